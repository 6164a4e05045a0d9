//! Schema migrations, plain SQL per backend, embedded in the binary.

use crate::{DbConnection, Store, StoreError};
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

pub(crate) const SQLITE: EmbeddedMigrations = embed_migrations!("migrations/sqlite");
pub(crate) const POSTGRES: EmbeddedMigrations = embed_migrations!("migrations/postgres");

impl Store {
    /// Applies every migration not yet applied; returns how many ran.
    pub fn migrate(&self) -> Result<usize, StoreError> {
        let mut c = self.conn()?;
        let ran = match &mut **c {
            DbConnection::Sqlite(s) => s.run_pending_migrations(SQLITE).map(|v| v.len()),
            DbConnection::Postgres(p) => p.run_pending_migrations(POSTGRES).map(|v| v.len()),
        };
        let ran = ran.map_err(|e| StoreError::Migration(e.to_string()))?;
        drop(c);
        self.ensure_roles()?;
        self.reindex_names()?;
        Ok(ran)
    }
}
