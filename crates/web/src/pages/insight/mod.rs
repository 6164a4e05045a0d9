//! Numbers about cases without a name: the statistics page and the dashboard.

pub mod dashboard;
pub mod routes;
pub mod stats;
