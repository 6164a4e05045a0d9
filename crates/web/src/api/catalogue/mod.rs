//! The public project portfolio: a search with its filters, and one project.

pub mod get;
pub mod list;
pub mod model;
pub mod routes;
