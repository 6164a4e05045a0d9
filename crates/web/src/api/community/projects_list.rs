//! `GET /api/v1/community-projects`: community projects, newest first, by country.

use super::ByCountry;
use super::model::CommunityProjectDto;
use crate::{ApiError, AppState, blocking};
use axum::Json;
use axum::extract::{Query, State};
use homeward_store::community::activity::ActivityFilter;
use homeward_store::community::projects::CommunityLine;

/// Community projects.
#[utoipa::path(
    get,
    path = "/api/v1/community-projects",
    tag = "community",
    params(("country" = Option<String>, Query, description = "ISO 3166-1 alpha-2")),
    responses(
        (status = 200, description = "Community projects, newest first", body = [CommunityProjectDto]),
        (status = 400, description = "The country is not a country code", body = crate::error::ErrorBody),
    )
)]
pub async fn list(
    State(state): State<AppState>,
    Query(q): Query<ByCountry>,
) -> Result<Json<Vec<CommunityProjectDto>>, ApiError> {
    let f = ActivityFilter {
        country: q.code()?,
        project_id: None,
    };
    let store = state.store.clone();
    let lines = blocking(move || store.activities::<CommunityLine>(&f)).await??;
    Ok(Json(lines.iter().map(CommunityProjectDto::from).collect()))
}
