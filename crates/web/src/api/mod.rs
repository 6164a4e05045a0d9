//! The JSON API under `/api/v1`, one file per action, grouped by the domain's concepts
//! (`access`, `catalogue`, `cases`, `community`, `insight`), each group declaring its
//! routes with their access rules in its `routes.rs`; described by OpenAPI 3.1
//! (`openapi`). What every action shares: the JSON body of a request, refused with the
//! same error body as any other bad input and naming where it failed, amounts written with
//! a dot for decimals, and the answer to a POST that made something (201 with the new
//! record's id).

pub mod access;
pub mod cases;
pub mod catalogue;
pub mod community;
pub mod insight;
pub mod openapi;

use crate::ApiError;
use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, Request};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use homeward_domain::FieldError;
use serde::Serialize;
use serde::de::DeserializeOwned;
use utoipa::ToSchema;
/// Amounts in a request, as (field, text): the API takes a dot for decimals and no other
/// separator (`1250.50`); any other way of writing one is refused with every field named.
pub fn point_amounts(fields: &[(&str, &str)]) -> Result<(), ApiError> {
    let errs: Vec<FieldError> = fields
        .iter()
        .filter_map(|(field, text)| {
            homeward_domain::written_amount::point_only(text)
                .err()
                .map(|why| FieldError::new(*field, why))
        })
        .collect();
    if errs.is_empty() {
        Ok(())
    } else {
        Err(ApiError::BadRequest(errs))
    }
}

/// A JSON request body of type `T`.
pub struct JsonBody<T>(pub T);

impl<S, T> FromRequest<S> for JsonBody<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match axum::Json::<T>::from_request(req, state).await {
            Ok(axum::Json(v)) => Ok(JsonBody(v)),
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                Err(ApiError::TooLarge(format!(
                    "the body is larger than {} MiB",
                    crate::auth::gate::UPLOAD_LIMIT / (1024 * 1024)
                )))
            }
            Err(e) => Err(ApiError::BadRequest(vec![FieldError::new(
                "body",
                match &e {
                    JsonRejection::MissingJsonContentType(_) => {
                        "send Content-Type: application/json".to_owned()
                    }
                    _ => e.body_text(),
                },
            )])),
        }
    }
}

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
