//! What can go wrong in storage, worded for the person who has to act on it.

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("cannot open the database {url}: {reason}")]
    Open { url: String, reason: String },
    #[error("the database is not reachable: {0}")]
    Pool(#[from] r2d2::Error),
    #[error("database error: {0}")]
    Query(#[from] diesel::result::Error),
    /// The connection was lost while committing: the change may or may not be saved.
    #[error(
        "the database connection was lost while saving; the change may not be saved, look before trying again: {0}"
    )]
    CommitUnknown(String),
    #[error("the database could not be migrated: {0}")]
    Migration(String),
    /// A value that collides with one already stored, such as a second project with the
    /// same Projects ID.
    #[error("{field}: {message}")]
    Conflict { field: String, message: String },
    /// Someone else changed the record since the reader loaded it; the message says
    /// who and what, and nothing was saved.
    #[error("{0}")]
    Stale(String),
    /// A stored value that no longer parses (edited outside Homeward).
    #[error("stored data is unreadable: {0}")]
    Corrupt(String),
    #[error("{0} was not found")]
    NotFound(String),
    /// The database key is missing, wrong, or not usable (SQLCipher).
    #[error("{0}")]
    Key(String),
    #[error("a password could not be hashed: {0}")]
    Hash(String),
    /// The policy refused: the principal lacks the permission, or the record is outside
    /// the scope it reaches.
    #[error("{0}")]
    Forbidden(String),
    /// Rows of an import that were refused, each with (row, field, reason); nothing of the
    /// import was kept.
    #[error("{} row(s) were refused; nothing was recorded", .0.len())]
    Rows(Vec<(usize, String, String)>),
}

impl StoreError {
    /// The connection broke, or reaches a server that can no longer write (a standby
    /// after a failover): what was asked did not happen, and a new connection may succeed.
    pub fn connection_lost(&self) -> bool {
        use diesel::result::{DatabaseErrorKind, Error};
        match self {
            StoreError::Query(Error::DatabaseError(kind, info)) => {
                let m = info.message();
                matches!(
                    kind,
                    DatabaseErrorKind::ClosedConnection | DatabaseErrorKind::ReadOnlyTransaction
                ) || m.contains("terminating connection")
                    || m.contains("server closed the connection")
                    || m.contains("no connection to the server")
                    || m.contains("could not receive data from server")
                    || m.contains("could not send data to server")
                    || m.contains("read-only transaction")
            }
            _ => false,
        }
    }

    pub fn conflict(field: &str, message: impl Into<String>) -> Self {
        StoreError::Conflict {
            field: field.to_owned(),
            message: message.into(),
        }
    }
}
