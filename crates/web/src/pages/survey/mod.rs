//! Measuring reintegration: survey instruments (each version's questions and scores, its
//! XLSForm and TOML files, adopting a new version) and surveys collected offline.

pub mod import;
pub mod instruments;
pub mod routes;
