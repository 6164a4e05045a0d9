//! A URL-encoded form as name–value pairs, keeping repeated names (checkboxes).

use crate::PageError;
use axum::body::to_bytes;
use axum::extract::{FromRequest, Request};
use homeward_domain::FieldError;

const LIMIT: usize = 1024 * 1024;

#[derive(Debug, Clone, Default)]
pub struct Fields(pub Vec<(String, String)>);

impl Fields {
    /// The first value of `name`, or "".
    pub fn get(&self, name: &str) -> &str {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .unwrap_or("")
    }

    /// Every value of `name`, in order.
    pub fn all(&self, name: &str) -> Vec<&str> {
        self.0
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .collect()
    }

    pub fn has(&self, name: &str) -> bool {
        self.0.iter().any(|(k, _)| k == name)
    }

    /// `name` as a whole number, or a field error naming it.
    pub fn int(&self, name: &str) -> Result<i64, PageError> {
        self.get(name).trim().parse().map_err(|_| {
            PageError::BadRequest(vec![FieldError::new(name, "must be a whole number")])
        })
    }
}

impl<S: Send + Sync> FromRequest<S> for Fields {
    type Rejection = PageError;

    async fn from_request(req: Request, _: &S) -> Result<Self, PageError> {
        let bytes = to_bytes(req.into_body(), LIMIT).await.map_err(|_| {
            PageError::BadRequest(vec![FieldError::new("form", "is larger than 1 MB")])
        })?;
        Ok(Fields(
            form_urlencoded::parse(&bytes).into_owned().collect(),
        ))
    }
}
