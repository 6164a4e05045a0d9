//! What backing up and restoring needs from the database itself: SQLite's online copy
//! (`VACUUM INTO`, consistent while the server keeps writing; an encrypted file is copied
//! under its key), whether a database already
//! holds tables (a restore goes only into an empty one unless forced), and how many
//! migrations a copy lacks (a backup is checked to be current).

use crate::db::sql::Sql;
use crate::{Backend, DbConnection, Store, StoreError};
use diesel_migrations::MigrationHarness;

impl Store {
    /// Writes a consistent copy of this SQLite database to `path` (which must not exist).
    pub fn copy_sqlite_to(&self, path: &std::path::Path) -> Result<(), StoreError> {
        if self.backend() != Backend::Sqlite {
            return Err(StoreError::conflict(
                "database",
                "only a SQLite database is copied this way",
            ));
        }
        let mut c = self.conn()?;
        // An encrypted database is copied under its key: SQLite's own copy is in clear.
        if let (Some(key), DbConnection::Sqlite(s)) = (&self.key, &mut **c) {
            return super::key::export_encrypted(s, &path.to_string_lossy(), key);
        }
        let target = path.to_string_lossy().replace('\'', "''");
        let mut q = Sql::new(Backend::Sqlite);
        q.push(&format!("VACUUM INTO '{target}'"));
        q.execute(&mut c)?;
        Ok(())
    }

    /// Whether the database holds any table (Homeward's or another's).
    pub fn holds_tables(&self) -> Result<bool, StoreError> {
        let backend = self.backend();
        let mut c = self.conn()?;
        let mut q = Sql::new(backend);
        q.push(match backend {
            Backend::Sqlite => "SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'table'",
            Backend::Postgres => {
                "SELECT COUNT(*) AS n FROM information_schema.tables WHERE table_schema = 'public'"
            }
        });
        Ok(q.number(&mut c)? > 0)
    }

    /// How many of this build's migrations the database has not had.
    pub fn pending_migrations(&self) -> Result<usize, StoreError> {
        let mut c = self.conn()?;
        let n = match &mut **c {
            DbConnection::Sqlite(s) => s
                .pending_migrations(super::migrations::SQLITE)
                .map(|v| v.len()),
            DbConnection::Postgres(p) => p
                .pending_migrations(super::migrations::POSTGRES)
                .map(|v| v.len()),
        };
        n.map_err(|e| StoreError::Migration(e.to_string()))
    }
}
