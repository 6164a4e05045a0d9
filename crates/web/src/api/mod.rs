//! The JSON API under `/api/v1`, one file per action, described by OpenAPI 3.1.

pub mod model;
pub mod openapi;
pub mod project_get;
pub mod projects_list;

use crate::AppState;
use axum::Router;
use axum::routing::get;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/projects", get(projects_list::list))
        .route("/api/v1/projects/{id}", get(project_get::get))
        .route("/api/v1/openapi.json", get(openapi::spec))
}
