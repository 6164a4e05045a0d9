//! A stored file sent for download: its type as kept, and its name (quotes and
//! backslashes removed) in an attachment header, so a browser saves it rather than
//! showing it.

use axum::http::header;
use axum::response::{IntoResponse, Response};

pub fn attachment(name: &str, content_type: String, bytes: Vec<u8>) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{}\"", name.replace(['"', '\\'], "")),
            ),
        ],
        bytes,
    )
        .into_response()
}
