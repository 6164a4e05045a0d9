//! Homeward's storage: one code base for SQLite and PostgreSQL through Diesel's
//! `MultiConnection`, migrations per backend, repositories and full-text search.
//!
//! Callers get a [`Store`]; it hands out pooled connections and runs each repository
//! function inside them. Handlers never write SQL: they call these functions. Functions
//! that reach protected data take the access policy's proof (`Authorized<...>`), and
//! every change is appended to the audit trail in the same transaction.
//!
//! The folders follow the domain's concepts: `db` (connections, schema, migrations, SQL),
//! `access` (people, sessions, offices, roles), `catalogue` (the project portfolio and its
//! search), `cases` (a returnee's case from registration to closure), `community`
//! (community projects, capacity building, asset pools), `survey` (instruments and
//! surveys), `insight` (dashboards), `retention` (how long records are kept, and their
//! anonymisation) and `bulk` (generated data at scale). What the files
//! of a folder share lives in its `mod.rs`.

pub mod access;
mod actor;
pub mod audit;
pub mod bulk;
pub mod cases;
pub mod catalogue;
mod clock;
pub mod community;
pub mod db;
mod error;
pub mod insight;
pub(crate) mod lookups;
pub mod retention;
pub mod survey;
pub mod testing;

pub use actor::Actor;
pub use cases::log::Event;
pub use clock::{parse_unix, today, unix_now, utc_after, utc_now};
pub use db::key::DatabaseKey;
pub use db::store::Store;
pub use db::{Backend, DbConnection, redact as redact_url};
pub use error::StoreError;
