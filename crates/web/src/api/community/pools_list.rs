//! `GET /api/v1/asset-pools`: every tool pool, with its tools and units out now.

use super::model::PoolDto;
use crate::{ApiError, AppState, blocking};
use axum::Json;
use axum::extract::State;

/// Tool pools.
#[utoipa::path(
    get,
    path = "/api/v1/asset-pools",
    tag = "community",
    responses((status = 200, description = "Every pool", body = [PoolDto]))
)]
pub async fn list(State(state): State<AppState>) -> Result<Json<Vec<PoolDto>>, ApiError> {
    let store = state.store.clone();
    let pools = blocking(move || store.pools()).await??;
    Ok(Json(pools.iter().map(PoolDto::from).collect()))
}
