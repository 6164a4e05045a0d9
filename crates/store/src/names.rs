//! The name index: each returnee's name keys (see `homeward_domain::names`) in a table
//! with a B-tree index, the same on SQLite and PostgreSQL, so a misspelt name is found
//! with exact lookups and any number of app servers can share it.

use crate::sql::Sql;
use crate::{Backend, DbConnection, Store, StoreError};
use diesel::QueryableByName;
use diesel::sql_types::{BigInt, Text};
use homeward_domain::names;

/// The version of the key rules the index was built with; raising it re-indexes every
/// returnee at the next start.
pub(crate) const KEYS_VERSION: i64 = 1;

/// (Re)writes the keys of one returnee.
pub(crate) fn index_returnee(
    c: &mut DbConnection,
    backend: Backend,
    returnee_id: i64,
    given: &str,
    family: &str,
) -> Result<(), StoreError> {
    let mut del = Sql::new(backend);
    del.push("DELETE FROM name_keys WHERE returnee_id = ")
        .int(returnee_id);
    del.execute(c)?;
    let keys = names::name_keys(given, family);
    if !keys.is_empty() {
        let mut ins = Sql::new(backend);
        ins.push("INSERT INTO name_keys (key, returnee_id) VALUES ");
        for (i, k) in keys.iter().enumerate() {
            if i > 0 {
                ins.push(", ");
            }
            ins.push("(")
                .text(k.clone())
                .push(", ")
                .int(returnee_id)
                .push(")");
        }
        ins.execute(c)?;
    }
    let mut up = Sql::new(backend);
    up.push("UPDATE returnees SET keys_version = ")
        .int(KEYS_VERSION)
        .push(" WHERE id = ")
        .int(returnee_id);
    up.execute(c)?;
    Ok(())
}

#[derive(QueryableByName)]
struct Unindexed {
    #[diesel(sql_type = BigInt)]
    id: i64,
    #[diesel(sql_type = Text)]
    given_name: String,
    #[diesel(sql_type = Text)]
    family_name: String,
}

impl Store {
    /// Indexes the returnees whose keys are missing or made by older rules, in batches;
    /// returns how many were indexed. Runs after migrations.
    pub(crate) fn reindex_names(&self) -> Result<usize, StoreError> {
        let backend = self.backend();
        let mut done = 0;
        loop {
            let n = self.write(|c| {
                let mut q = Sql::new(backend);
                q.push("SELECT id, given_name, family_name FROM returnees WHERE keys_version <> ")
                    .int(KEYS_VERSION)
                    .push(" ORDER BY id LIMIT 1000");
                let rows = q.load::<Unindexed>(c)?;
                for r in &rows {
                    index_returnee(c, backend, r.id, &r.given_name, &r.family_name)?;
                }
                Ok(rows.len())
            })?;
            done += n;
            if n < 1000 {
                return Ok(done);
            }
        }
    }
}
