//! The caller and their permissions.

pub mod me;
pub mod routes;
