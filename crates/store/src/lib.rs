//! Homeward's storage: one code base for SQLite and PostgreSQL through Diesel's
//! `MultiConnection`, migrations per backend, repositories and full-text search.
//!
//! Callers get a [`Store`]; it hands out pooled connections and runs each repository
//! function inside them. Handlers never write SQL: they call these functions. Functions
//! that reach protected data take the access policy's proof (`Authorized<...>`), and
//! every change is appended to the audit trail in the same transaction.

pub mod activity_parts;
mod actor;
pub mod assistance;
pub mod audit;
pub mod auth;
pub mod bindings;
pub mod bulk;
pub mod bulk_plans;
pub mod bulk_surveys;
pub mod capacity;
pub mod case_file;
pub mod case_flow;
mod case_log;
pub mod caseload;
pub mod cases;
pub mod catalogue;
mod clock;
pub mod community;
mod connection;
pub mod dashboard;
mod dashboard_facts;
mod error;
mod facets;
pub mod follow_up;
pub mod instruments;
mod migrations;
mod names;
pub mod offices;
pub mod packages;
pub mod plans;
pub mod pools;
pub mod projects;
pub mod rates;
pub mod reference;
pub mod referrals;
pub mod roles;
mod schema;
pub mod sessions;
mod sql;
pub mod surveys;
pub mod testing;
pub mod throttle;
pub mod tokens;
pub mod users;

pub use actor::Actor;
pub use case_log::Event;
pub use clock::{parse_unix, today, unix_now, utc_after, utc_now};
pub use connection::{Backend, DbConnection, Store, redact as redact_url};
pub use error::StoreError;
