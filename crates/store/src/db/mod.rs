//! The database underneath: one connection type for SQLite and PostgreSQL, which backend a
//! URL names, and the pieces every repository uses to talk to it (the pool and its
//! transactions in [`store`], hand-written SQL in [`sql`], the schema and migrations).

pub mod backup;
pub mod key;
pub mod migrations;
#[cfg(test)]
mod reconnect_tests;
pub mod schema;
pub mod sql;
pub mod stats;
pub mod store;

use diesel::connection::SimpleConnection;
use diesel::{PgConnection, SqliteConnection};

/// One connection type for both databases: a query written against it compiles only if
/// both backends accept it.
#[derive(diesel::MultiConnection)]
pub enum DbConnection {
    Sqlite(SqliteConnection),
    Postgres(PgConnection),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    /// `postgres://` and `postgresql://` select PostgreSQL; anything else is an SQLite path,
    /// with or without a `sqlite:` prefix.
    pub fn of_url(url: &str) -> Backend {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Backend::Postgres
        } else {
            Backend::Sqlite
        }
    }

    pub fn name(&self) -> &'static str {
        match self {
            Backend::Sqlite => "SQLite",
            Backend::Postgres => "PostgreSQL",
        }
    }
}

/// Hides a password in a database URL before it is shown or logged.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => {
            let creds = &url[s + 3..at];
            match creds.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..s + 3], &url[at..]),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}
