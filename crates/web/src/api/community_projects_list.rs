//! `GET /api/v1/community-projects`: community projects, newest first, by country.

use super::community_model::CommunityProjectDto;
use crate::{ApiError, AppState, blocking};
use axum::Json;
use axum::extract::{Query, State};
use homeward_store::community::CommunityFilter;
use serde::Deserialize;

#[derive(Debug, Default, Deserialize)]
pub struct ByCountry {
    #[serde(default)]
    pub country: String,
}

impl ByCountry {
    /// The country asked for, checked: `None` for every country.
    pub fn code(&self) -> Result<Option<String>, ApiError> {
        match self.country.trim() {
            "" => Ok(None),
            t => t
                .parse::<homeward_domain::CountryCode>()
                .map(|c| Some(c.as_str().to_owned()))
                .map_err(|e| {
                    ApiError::BadRequest(vec![homeward_domain::FieldError::new("country", e)])
                }),
        }
    }
}

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
    let f = CommunityFilter {
        country: q.code()?,
        project_id: None,
    };
    let store = state.store.clone();
    let lines = blocking(move || store.community_projects(&f)).await??;
    Ok(Json(lines.iter().map(CommunityProjectDto::from).collect()))
}
