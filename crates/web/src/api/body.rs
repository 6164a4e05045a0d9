//! The JSON body of an API request. A body that is not JSON, or not the expected shape,
//! is refused with the same error body as any other bad input, naming where it failed.

use crate::ApiError;
use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, Request};
use homeward_domain::FieldError;
use serde::de::DeserializeOwned;

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
