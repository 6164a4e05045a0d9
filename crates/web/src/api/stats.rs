//! `GET /api/v1/stats`: counts of cases within the caller's scope. Never a name.

use super::case_model::StatsDto;
use crate::auth::Signed;
use crate::{ApiError, AppState, blocking};
use axum::Json;
use axum::extract::State;
use homeward_domain::access::SeeAggregates;

/// Case counts by office, status, sex and nationality.
#[utoipa::path(
    get,
    path = "/api/v1/stats",
    tag = "cases",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Counts", body = StatsDto),
        (status = 401, description = "No valid token", body = crate::error::ErrorBody),
        (status = 403, description = "The caller may not see aggregates", body = crate::error::ErrorBody),
    )
)]
pub async fn get(State(state): State<AppState>, s: Signed) -> Result<Json<StatsDto>, ApiError> {
    let auth = s.authorize::<SeeAggregates>()?;
    let store = state.store.clone();
    let a = blocking(move || store.case_aggregates(&auth)).await??;
    Ok(Json(a.into()))
}
