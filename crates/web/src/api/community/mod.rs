//! The community and structural levels: community projects, their asset pools with tools
//! and loans, and capacity-building activities, one action per file. What the API sends
//! about them is in `model`.

pub mod capacity_add;
pub mod capacity_get;
pub mod capacity_list;
pub mod model;
pub mod pool_get;
pub mod pool_loans;
pub mod pool_tool_add;
pub mod pools_list;
pub mod project_add;
pub mod project_get;
pub mod projects_list;
pub mod routes;

use crate::{ApiError, AppState, blocking};
use homeward_domain::FieldError;
use serde::Deserialize;

/// A list narrowed to one country (`?country=GE`).
#[derive(Debug, Default, Deserialize)]
pub struct ByCountry {
    #[serde(default)]
    pub country: String,
}

impl ByCountry {
    /// The country asked for, checked: `None` for every country.
    pub fn code(&self) -> Result<Option<String>, ApiError> {
        match self.country.trim() {
            "" => Ok(None),
            t => t
                .parse::<homeward_domain::CountryCode>()
                .map(|c| Some(c.as_str().to_owned()))
                .map_err(|e| {
                    ApiError::BadRequest(vec![homeward_domain::FieldError::new("country", e)])
                }),
        }
    }
}

/// The stored number of a funding project named by its Projects ID or Prima ID.
pub async fn project_number(state: &AppState, key: &str) -> Result<String, ApiError> {
    let store = state.store.clone();
    let k = key.trim().to_owned();
    match blocking(move || store.project(&k)).await?? {
        Some(p) => Ok(p.id.to_string()),
        None => Err(ApiError::BadRequest(vec![FieldError::new(
            "project",
            format!("there is no project {:?}", key.trim()),
        )])),
    }
}
