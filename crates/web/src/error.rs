//! The two error shapes a client can receive: an HTML page for people and a JSON body for
//! programs. Both say what was wrong and where; neither shows internals.

use crate::task::TaskFailed;
use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use homeward_domain::FieldError;
use homeward_store::StoreError;
use serde::Serialize;

/// An error on a page.
#[derive(Debug)]
pub enum PageError {
    BadRequest(Vec<FieldError>),
    /// Not signed in; the path to come back to.
    Unauthorized(String),
    /// Signed in without the permission (the reason is logged, not shown).
    Forbidden(String),
    /// A form post without this session's CSRF token.
    Csrf,
    NotFound(String),
    /// The database cannot be reached for now (restarting, changing primary): worth
    /// trying again in a moment.
    Unavailable(String),
    Internal(String),
}

/// Seconds a client is told to wait before trying again when the database is away.
const RETRY_AFTER: &str = "5";

impl From<StoreError> for PageError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound(what) => PageError::NotFound(what),
            StoreError::Forbidden(why) => PageError::Forbidden(why),
            StoreError::Conflict { field, message } => {
                PageError::BadRequest(vec![FieldError::new(field, message)])
            }
            e @ (StoreError::Pool(_) | StoreError::CommitUnknown(_)) => {
                PageError::Unavailable(e.to_string())
            }
            e if e.connection_lost() => PageError::Unavailable(e.to_string()),
            other => PageError::Internal(other.to_string()),
        }
    }
}

impl From<TaskFailed> for PageError {
    fn from(e: TaskFailed) -> Self {
        PageError::Internal(e.to_string())
    }
}

/// What went wrong on a page, left on the response for [`localize`] to render in the
/// reader's language.
#[derive(Debug, Clone)]
pub struct ErrorPage {
    pub kind: ErrorKind,
    /// Field problems for a bad request, in the form `field: reason`.
    pub lines: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    BadRequest,
    Forbidden,
    Csrf,
    NotFound,
    Unavailable,
    Internal,
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let (status, page) = match self {
            PageError::BadRequest(errs) => (
                StatusCode::BAD_REQUEST,
                ErrorPage {
                    kind: ErrorKind::BadRequest,
                    lines: errs.iter().map(|e| e.to_string()).collect(),
                },
            ),
            PageError::Unauthorized(next) => {
                return axum::response::Redirect::to(&crate::links::with_pairs(
                    "/signin",
                    [("next", next.as_str())],
                ))
                .into_response();
            }
            PageError::Forbidden(why) => {
                tracing::info!("refused: {why}");
                (
                    StatusCode::FORBIDDEN,
                    ErrorPage {
                        kind: ErrorKind::Forbidden,
                        lines: vec![],
                    },
                )
            }
            PageError::Csrf => (
                StatusCode::FORBIDDEN,
                ErrorPage {
                    kind: ErrorKind::Csrf,
                    lines: vec![],
                },
            ),
            PageError::NotFound(what) => {
                tracing::debug!("not found: {what}");
                (
                    StatusCode::NOT_FOUND,
                    ErrorPage {
                        kind: ErrorKind::NotFound,
                        lines: vec![],
                    },
                )
            }
            PageError::Unavailable(detail) => {
                tracing::warn!("database unavailable: {detail}");
                let mut res = (
                    StatusCode::SERVICE_UNAVAILABLE,
                    [(axum::http::header::RETRY_AFTER, RETRY_AFTER)],
                )
                    .into_response();
                res.extensions_mut().insert(ErrorPage {
                    kind: ErrorKind::Unavailable,
                    lines: vec![],
                });
                return res;
            }
            PageError::Internal(detail) => {
                tracing::error!("internal error: {detail}");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    ErrorPage {
                        kind: ErrorKind::Internal,
                        lines: vec![],
                    },
                )
            }
        };
        let mut res = status.into_response();
        res.extensions_mut().insert(page);
        res
    }
}

/// An error from the JSON API.
#[derive(Debug)]
pub enum ApiError {
    BadRequest(Vec<FieldError>),
    /// No valid bearer token (or session).
    Unauthorized,
    Forbidden(String),
    NotFound(String),
    /// The record changed since the version the caller sent: what changed.
    Conflict(String),
    /// Likely duplicates of a new registration, one detail each.
    Duplicates(Vec<FieldError>),
    /// The database cannot be reached for now: try again in a moment.
    Unavailable(String),
    /// The request's body is over the limit: what the limit is.
    TooLarge(String),
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
        match e {
            StoreError::Stale(what) => ApiError::Conflict(what),
            e => ApiError::from(PageError::from(e)),
        }
    }
}

impl From<PageError> for ApiError {
    fn from(e: PageError) -> Self {
        match e {
            PageError::BadRequest(v) => ApiError::BadRequest(v),
            PageError::NotFound(w) => ApiError::NotFound(w),
            PageError::Internal(d) => ApiError::Internal(d),
            PageError::Unavailable(d) => ApiError::Unavailable(d),
            PageError::Unauthorized(_) => ApiError::Unauthorized,
            PageError::Forbidden(w) => ApiError::Forbidden(w),
            PageError::Csrf => ApiError::Forbidden("missing CSRF token".into()),
        }
    }
}

impl From<TaskFailed> for ApiError {
    fn from(e: TaskFailed) -> Self {
        ApiError::Internal(e.to_string())
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
            ApiError::Unauthorized => {
                let body = ErrorBody {
                    error: "sign in or send a valid bearer token".into(),
                    details: vec![],
                };
                return (
                    StatusCode::UNAUTHORIZED,
                    [(axum::http::header::WWW_AUTHENTICATE, "Bearer")],
                    Json(body),
                )
                    .into_response();
            }
            ApiError::Forbidden(why) => (
                StatusCode::FORBIDDEN,
                ErrorBody {
                    error: format!("not allowed: {why}"),
                    details: vec![],
                },
            ),
            ApiError::NotFound(what) => (
                StatusCode::NOT_FOUND,
                ErrorBody {
                    error: format!("{what} was not found"),
                    details: vec![],
                },
            ),
            ApiError::Conflict(what) => (
                StatusCode::CONFLICT,
                ErrorBody {
                    error: what,
                    details: vec![],
                },
            ),
            ApiError::Duplicates(found) => (
                StatusCode::CONFLICT,
                ErrorBody {
                    error: "likely duplicates of this person are registered; check them, \
                            and send again with not_duplicate if this is someone else"
                        .into(),
                    details: found
                        .into_iter()
                        .map(|e| ErrorDetail {
                            field: e.field,
                            reason: e.reason,
                        })
                        .collect(),
                },
            ),
            ApiError::TooLarge(what) => (
                StatusCode::PAYLOAD_TOO_LARGE,
                ErrorBody {
                    error: what,
                    details: vec![],
                },
            ),
            ApiError::Unavailable(detail) => {
                tracing::warn!("database unavailable: {detail}");
                let body = ErrorBody {
                    error: "the database cannot be reached for now; try again in a few seconds"
                        .into(),
                    details: vec![],
                };
                return (
                    StatusCode::SERVICE_UNAVAILABLE,
                    [(axum::http::header::RETRY_AFTER, RETRY_AFTER)],
                    Json(body),
                )
                    .into_response();
            }
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

/// Every error answered under `/api/` is JSON, whoever produced it: the router's own
/// refusals (a method not allowed, a body over the limit, a body that is not JSON) come
/// from axum as text, and a client should parse one shape. Their text says what was
/// wrong, so it becomes the error's sentence; headers such as `Allow` and `Retry-After`
/// stay.
pub(crate) async fn api_errors_as_json(
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    use axum::http::header::{CONTENT_LENGTH, CONTENT_TYPE};
    let api = req.uri().path().starts_with("/api/");
    let res = next.run(req).await;
    let status = res.status();
    if !api || !(status.is_client_error() || status.is_server_error()) {
        return res;
    }
    let json = res
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| t.starts_with("application/json") || t.contains("+json"));
    if json {
        return res;
    }
    let (parts, body) = res.into_parts();
    let text = axum::body::to_bytes(body, 4096)
        .await
        .ok()
        .map(|b| String::from_utf8_lossy(&b).trim().to_owned())
        .filter(|t| !t.is_empty() && !t.starts_with('<'));
    let error = text.unwrap_or_else(|| {
        status
            .canonical_reason()
            .unwrap_or("the request failed")
            .to_lowercase()
    });
    let mut out = (
        status,
        Json(ErrorBody {
            error,
            details: vec![],
        }),
    )
        .into_response();
    for (k, v) in &parts.headers {
        if k != CONTENT_TYPE && k != CONTENT_LENGTH {
            out.headers_mut().insert(k.clone(), v.clone());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_database_away_is_503_with_retry_after_for_pages_and_the_api() {
        let lost = || StoreError::CommitUnknown("server closed the connection".into());
        let page = PageError::from(lost()).into_response();
        assert_eq!(page.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(page.headers()[axum::http::header::RETRY_AFTER], RETRY_AFTER);
        assert_eq!(
            page.extensions().get::<ErrorPage>().map(|p| p.kind),
            Some(ErrorKind::Unavailable)
        );
        let api = ApiError::from(lost()).into_response();
        assert_eq!(api.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert!(api.headers().contains_key(axum::http::header::RETRY_AFTER));
        // Anything else stays an internal error.
        let other = PageError::from(StoreError::Corrupt("x".into())).into_response();
        assert_eq!(other.status(), StatusCode::INTERNAL_SERVER_ERROR);
    }
}
