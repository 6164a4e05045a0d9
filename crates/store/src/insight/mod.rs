//! Numbers for dashboards: the per-case facts each app server keeps in memory and the
//! counts, sums and means drawn from them within a reader's scope.

pub mod dashboard;
pub mod facts;
mod snapshot;
