//! The answer to a POST that made something: 201 with the new record's id.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;

/// The id of what was made.
#[derive(Debug, Serialize, ToSchema)]
pub struct Created {
    pub id: i64,
}

impl IntoResponse for Created {
    fn into_response(self) -> Response {
        (StatusCode::CREATED, Json(self)).into_response()
    }
}
