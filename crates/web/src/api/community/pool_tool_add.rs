//! `POST /api/v1/asset-pools/{id}/tools`: adds a tool to a pool's inventory, for staff
//! who run its community project or its centre (`community.manage`).

use crate::api::Created;
use crate::api::JsonBody;
use crate::auth::Signed;
use crate::{ApiError, AppState, blocking};
use axum::extract::{Path, State};
use homeward_domain::access::ManageCommunity;
use homeward_domain::community::pool::ToolDraft;
use serde::Deserialize;
use utoipa::ToSchema;

/// A tool.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct NewTool {
    pub name: String,
    /// electrical, plumbing, sewage, appliances, construction, garden or other.
    pub category: String,
    /// Identical units, 1 to 1000.
    pub quantity: u32,
    /// good, fair, poor, broken or lost.
    pub condition: String,
    /// One unit's value in the pool's currency, with a dot for decimals (e.g. "350.00").
    pub value: String,
    /// The fee per day out in the pool's currency, with a dot for decimals (e.g. "2.50").
    pub fee_per_day: String,
    pub notes: String,
}

/// Add a tool.
#[utoipa::path(
    post,
    path = "/api/v1/asset-pools/{id}/tools",
    tag = "community",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Pool id")),
    request_body = NewTool,
    responses(
        (status = 201, description = "Added", body = Created),
        (status = 400, description = "Fields not valid, each named", body = crate::error::ErrorBody),
        (status = 401, description = "No valid token", body = crate::error::ErrorBody),
        (status = 403, description = "The caller may not keep this pool's inventory", body = crate::error::ErrorBody),
        (status = 404, description = "No such pool", body = crate::error::ErrorBody),
    )
)]
pub async fn add(
    State(state): State<AppState>,
    s: Signed,
    Path(id): Path<i64>,
    JsonBody(b): JsonBody<NewTool>,
) -> Result<Created, ApiError> {
    let auth = s.authorize::<ManageCommunity>()?;
    crate::api::point_amounts(&[("value", &b.value), ("fee_per_day", &b.fee_per_day)])?;
    let store = state.store.clone();
    let pool = blocking(move || store.pool(id)).await??;
    let currency = pool
        .currency
        .parse()
        .map_err(|e: String| ApiError::Internal(e))?;
    let draft = ToolDraft::parse(
        &b.name,
        &b.category,
        &b.quantity.to_string(),
        &b.condition,
        &b.value,
        &b.fee_per_day,
        &b.notes,
        currency,
    )
    .map_err(ApiError::BadRequest)?;
    let (store, actor) = (state.store.clone(), s.actor());
    let tool = blocking(move || store.save_tool(&auth, &actor, id, None, &draft)).await??;
    Ok(Created { id: tool })
}
