//! `GET /api/v1/capacity-activities`: capacity-building activities, newest first, by
//! country.

use super::ByCountry;
use super::model::CapacityDto;
use crate::{ApiError, AppState, blocking};
use axum::Json;
use axum::extract::{Query, State};
use homeward_store::community::activity::ActivityFilter;
use homeward_store::community::capacity::CapacityLine;

/// Capacity-building activities.
#[utoipa::path(
    get,
    path = "/api/v1/capacity-activities",
    tag = "community",
    params(("country" = Option<String>, Query, description = "ISO 3166-1 alpha-2")),
    responses(
        (status = 200, description = "Activities, newest first", body = [CapacityDto]),
        (status = 400, description = "The country is not a country code", body = crate::error::ErrorBody),
    )
)]
pub async fn list(
    State(state): State<AppState>,
    Query(q): Query<ByCountry>,
) -> Result<Json<Vec<CapacityDto>>, ApiError> {
    let f = ActivityFilter {
        country: q.code()?,
        project_id: None,
    };
    let store = state.store.clone();
    let lines = blocking(move || store.activities::<CapacityLine>(&f)).await??;
    Ok(Json(lines.iter().map(CapacityDto::from).collect()))
}
