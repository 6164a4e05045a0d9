//! The JSON API under `/api/v1`, one file per action, described by OpenAPI 3.1. Routes
//! are declared with their access rules in `crate::app`.

pub mod case_get;
pub mod case_model;
pub mod cases_list;
pub mod me;
pub mod model;
pub mod openapi;
pub mod project_get;
pub mod projects_list;
pub mod stats;
