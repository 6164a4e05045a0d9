//! The two error shapes a client can receive: an HTML page for people and a JSON body for
//! programs. Both say what was wrong and where; neither shows internals.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use homeward_domain::FieldError;
use homeward_store::StoreError;
use serde::Serialize;

/// An error on a page.
#[derive(Debug)]
pub enum PageError {
    BadRequest(Vec<FieldError>),
    NotFound(String),
    Internal(String),
}

impl From<StoreError> for PageError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound(what) => PageError::NotFound(what),
            StoreError::Conflict { field, message } => {
                PageError::BadRequest(vec![FieldError::new(field, message)])
            }
            other => PageError::Internal(other.to_string()),
        }
    }
}

impl From<String> for PageError {
    fn from(e: String) -> Self {
        PageError::Internal(e)
    }
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let (status, title, lines) = match self {
            PageError::BadRequest(errs) => (
                StatusCode::BAD_REQUEST,
                "The request could not be understood",
                errs.iter().map(|e| e.to_string()).collect(),
            ),
            PageError::NotFound(what) => (
                StatusCode::NOT_FOUND,
                "Not found",
                vec![format!("{what} was not found.")],
            ),
            PageError::Internal(detail) => {
                tracing::error!("internal error: {detail}");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "Something went wrong",
                    vec!["The server could not complete the request. Try again later.".to_owned()],
                )
            }
        };
        let items: String = lines
            .iter()
            .map(|l| format!("<li>{}</li>", escape(l)))
            .collect();
        let body = format!(
            "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
             <title>{title} · Homeward</title><link rel=\"stylesheet\" href=\"/static/style.css\">\
             </head><body><main class=\"page\"><h1>{title}</h1><ul class=\"errors\">{items}</ul>\
             <p><a href=\"/projects\">Back to the project catalogue</a></p></main></body></html>"
        );
        (status, Html(body)).into_response()
    }
}

/// An error from the JSON API.
#[derive(Debug)]
pub enum ApiError {
    BadRequest(Vec<FieldError>),
    NotFound(String),
    Internal(String),
}

/// The body of every API error.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    /// What went wrong, in one sentence.
    pub error: String,
    /// For bad input: each field (or parameter) and why it was refused.
    pub details: Vec<ErrorDetail>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ErrorDetail {
    pub field: String,
    pub reason: String,
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        match PageError::from(e) {
            PageError::BadRequest(v) => ApiError::BadRequest(v),
            PageError::NotFound(w) => ApiError::NotFound(w),
            PageError::Internal(d) => ApiError::Internal(d),
        }
    }
}

impl From<String> for ApiError {
    fn from(e: String) -> Self {
        ApiError::Internal(e)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, body) = match self {
            ApiError::BadRequest(errs) => (
                StatusCode::BAD_REQUEST,
                ErrorBody {
                    error: "invalid request".into(),
                    details: errs
                        .into_iter()
                        .map(|e| ErrorDetail {
                            field: e.field,
                            reason: e.reason,
                        })
                        .collect(),
                },
            ),
            ApiError::NotFound(what) => (
                StatusCode::NOT_FOUND,
                ErrorBody {
                    error: format!("{what} was not found"),
                    details: vec![],
                },
            ),
            ApiError::Internal(detail) => {
                tracing::error!("internal error: {detail}");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    ErrorBody {
                        error: "the server could not complete the request".into(),
                        details: vec![],
                    },
                )
            }
        };
        (status, Json(body)).into_response()
    }
}
