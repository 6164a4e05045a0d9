//! The search keys of returnees, kept in step with their records: each returnee's name
//! keys (see `homeward_domain::names`) in a table with a B-tree index, so a misspelt name
//! is found with exact lookups; the area and place of return folded for prefix matches;
//! one row per vulnerability. The same on SQLite and PostgreSQL, so any number of app
//! servers can share them.

use crate::sql::Sql;
use crate::{Backend, DbConnection, Store, StoreError};
use diesel::QueryableByName;
use diesel::sql_types::{BigInt, Text};
use homeward_domain::names;

/// The version of the key rules the index was built with; raising it re-indexes every
/// returnee at the next start. 2: place keys and vulnerability rows.
pub(crate) const KEYS_VERSION: i64 = 2;

#[derive(QueryableByName)]
struct Keyed {
    #[diesel(sql_type = BigInt)]
    id: i64,
    #[diesel(sql_type = Text)]
    given_name: String,
    #[diesel(sql_type = Text)]
    family_name: String,
    #[diesel(sql_type = Text)]
    return_area: String,
    #[diesel(sql_type = Text)]
    return_place: String,
    #[diesel(sql_type = Text)]
    vulnerabilities: String,
}

const KEYED: &str = "SELECT id, given_name, family_name, return_area, return_place, \
    vulnerabilities FROM returnees";

/// The vulnerability codes of a stored list (`trafficking,health_needs`).
fn codes(list: &str) -> impl Iterator<Item = &str> {
    list.split(',').filter(|c| !c.is_empty())
}

/// (Re)writes the keys of one returnee from the stored record.
pub(crate) fn index_returnee(
    c: &mut DbConnection,
    backend: Backend,
    returnee_id: i64,
) -> Result<(), StoreError> {
    let mut q = Sql::new(backend);
    q.push(KEYED).push(" WHERE id = ").int(returnee_id);
    for r in q.load::<Keyed>(c)? {
        write_keys(c, backend, &r)?;
    }
    Ok(())
}

fn write_keys(c: &mut DbConnection, backend: Backend, r: &Keyed) -> Result<(), StoreError> {
    for table in ["name_keys", "returnee_vulnerabilities"] {
        let mut del = Sql::new(backend);
        del.push("DELETE FROM ")
            .push(table)
            .push(" WHERE returnee_id = ")
            .int(r.id);
        del.execute(c)?;
    }
    let keys = names::name_keys(&r.given_name, &r.family_name);
    if !keys.is_empty() {
        let mut ins = Sql::new(backend);
        ins.push("INSERT INTO name_keys (key, returnee_id) VALUES ");
        for (i, k) in keys.iter().enumerate() {
            if i > 0 {
                ins.push(", ");
            }
            ins.push("(").text(k.clone()).push(", ").int(r.id).push(")");
        }
        ins.execute(c)?;
    }
    let mut vs: Vec<&str> = codes(&r.vulnerabilities).collect();
    vs.sort_unstable();
    vs.dedup();
    if !vs.is_empty() {
        let mut ins = Sql::new(backend);
        ins.push("INSERT INTO returnee_vulnerabilities (code, returnee_id) VALUES ");
        for (i, v) in vs.iter().enumerate() {
            if i > 0 {
                ins.push(", ");
            }
            ins.push("(").text(*v).push(", ").int(r.id).push(")");
        }
        ins.execute(c)?;
    }
    let mut up = Sql::new(backend);
    up.push("UPDATE returnees SET keys_version = ")
        .int(KEYS_VERSION)
        .push(", area_key = ")
        .text(names::fold(&r.return_area))
        .push(", place_key = ")
        .text(names::fold(&r.return_place))
        .push(" WHERE id = ")
        .int(r.id);
    up.execute(c)?;
    Ok(())
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
                q.push(KEYED)
                    .push(" WHERE keys_version <> ")
                    .int(KEYS_VERSION)
                    .push(" ORDER BY id LIMIT 1000");
                let rows = q.load::<Keyed>(c)?;
                for r in &rows {
                    write_keys(c, backend, r)?;
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
