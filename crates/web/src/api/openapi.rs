//! `GET /api/v1/openapi.json`: the API's description, generated from the handlers.

use axum::Json;
use utoipa::OpenApi;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Homeward API",
        description = "The public project portfolio of Homeward, a system for the return and reintegration of migrants.",
        license(name = "AGPL-3.0-or-later")
    ),
    paths(super::projects_list::list, super::project_get::get),
    tags((name = "projects", description = "The project portfolio"))
)]
pub struct ApiDoc;

pub async fn spec() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}
