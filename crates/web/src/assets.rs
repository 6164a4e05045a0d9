//! The stylesheet and other static files, embedded in the binary.

use axum::extract::Path;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

const STYLE: &str = include_str!("../assets/style.css");

pub async fn serve(Path(file): Path<String>) -> Response {
    match file.as_str() {
        "style.css" => (
            [
                (header::CONTENT_TYPE, "text/css; charset=utf-8"),
                (header::CACHE_CONTROL, "public, max-age=3600"),
            ],
            STYLE,
        )
            .into_response(),
        _ => StatusCode::NOT_FOUND.into_response(),
    }
}
