//! Homeward's storage: one code base for SQLite and PostgreSQL through Diesel's
//! `MultiConnection`, migrations per backend, repositories and full-text search.
//!
//! Callers get a [`Store`]; it hands out pooled connections and runs each repository
//! function inside them. Handlers never write SQL: they call these functions.

pub mod catalogue;
mod clock;
mod connection;
mod error;
mod facets;
mod migrations;
pub mod projects;
pub mod reference;
mod schema;
mod sql;
pub mod testing;

pub use clock::{today, utc_now};
pub use connection::{Backend, DbConnection, Store, redact as redact_url};
pub use error::StoreError;
