//! `GET /api/v1/asset-pools/{id}`: one pool with its inventory; `GET
//! /api/v1/asset-pools/{id}/tools` the inventory alone. No borrower is named.

use super::model::{PoolDetail, PoolDto, ToolDto};
use crate::{ApiError, AppState, blocking};
use axum::Json;
use axum::extract::{Path, State};

/// One tool pool.
#[utoipa::path(
    get,
    path = "/api/v1/asset-pools/{id}",
    tag = "community",
    params(("id" = i64, Path, description = "Pool id")),
    responses(
        (status = 200, description = "The pool and its inventory", body = PoolDetail),
        (status = 404, description = "No such pool", body = crate::error::ErrorBody),
    )
)]
pub async fn get(
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> Result<Json<PoolDetail>, ApiError> {
    let store = state.store.clone();
    let (pool, tools) = blocking(move || -> Result<_, homeward_store::StoreError> {
        Ok((store.pool(id)?, store.pool_tools(id, "")?))
    })
    .await??;
    Ok(Json(PoolDetail {
        pool: PoolDto::from(&pool),
        inventory: tools.iter().map(ToolDto::from).collect(),
    }))
}

/// A pool's inventory.
#[utoipa::path(
    get,
    path = "/api/v1/asset-pools/{id}/tools",
    tag = "community",
    params(("id" = i64, Path, description = "Pool id")),
    responses(
        (status = 200, description = "The tools, by name", body = [ToolDto]),
        (status = 404, description = "No such pool", body = crate::error::ErrorBody),
    )
)]
pub async fn tools(
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> Result<Json<Vec<ToolDto>>, ApiError> {
    let store = state.store.clone();
    let tools = blocking(move || -> Result<_, homeward_store::StoreError> {
        store.pool(id)?;
        store.pool_tools(id, "")
    })
    .await??;
    Ok(Json(tools.iter().map(ToolDto::from).collect()))
}
