//! The project portfolio, as pages: the public search with its filters and downloads, a
//! project's page, project indicators counted from case data, and exchange rates to USD.

pub mod export;
pub mod indicators;
pub mod project;
pub mod rates;
pub mod routes;
pub mod search;
