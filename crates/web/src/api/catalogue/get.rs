//! `GET /api/v1/projects/{id}`: one project with every published field.

use super::model::ProjectDetail;
use crate::{ApiError, AppState, blocking};
use axum::Json;
use axum::extract::{Path, State};

/// One project by Projects ID (`TC.0495`) or Prima ID (`AU10P0004`).
#[utoipa::path(
    get,
    path = "/api/v1/projects/{id}",
    tag = "projects",
    params(("id" = String, Path, description = "Projects ID or Prima ID")),
    responses(
        (status = 200, description = "The project", body = ProjectDetail),
        (status = 404, description = "No such project", body = crate::error::ErrorBody),
    )
)]
pub async fn get(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<ProjectDetail>, ApiError> {
    let store = state.store.clone();
    let key = id.clone();
    let stored = blocking(move || store.project(&key))
        .await??
        .ok_or_else(|| ApiError::NotFound(format!("project {id:?}")))?;
    Ok(Json(ProjectDetail::new(&stored.project, stored.updated_at)))
}
