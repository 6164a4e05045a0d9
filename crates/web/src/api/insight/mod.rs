//! Numbers about cases without a name.

pub mod routes;
pub mod stats;
