//! The small tables every signed-in page looks things up in, held in memory by each
//! server: the names of offices, packages and caseworkers a caseload line shows, the
//! packages a caseload can be filtered by, and what each role grants. Reading them with
//! every page cost PostgreSQL more than finding the page itself.
//!
//! `lookups_version` is bumped by triggers, in the same transaction, whenever one of those
//! tables changes (for users, only their names). A query that needs them reads the
//! version in the same statement as its rows; when it differs from the one held, they are
//! read again. Every server thus answers as the database stands, as if it had read them
//! itself.

use crate::db::sql::Sql;
use crate::{Backend, DbConnection, StoreError};
use diesel::QueryableByName;
use diesel::sql_types::{BigInt, Text};
use homeward_domain::access::{Grants, Role};
use std::collections::HashMap;
use std::sync::{Arc, PoisonError, RwLock};

/// The column a query selects to learn the version its rows were read at.
pub(crate) const VERSION: &str =
    "(SELECT lv.version FROM lookups_version lv WHERE lv.id = 1) AS lookups_version";

/// The tables as read at `version`.
#[derive(Debug, Default)]
pub(crate) struct Lookups {
    version: i64,
    offices: HashMap<i64, String>,
    packages: HashMap<i64, String>,
    /// Active packages first, then by name.
    package_choices: Vec<(i64, String)>,
    users: HashMap<i64, String>,
    /// Whether the role must use one-time codes.
    require_totp: HashMap<String, bool>,
    grants: HashMap<String, Grants>,
}

impl Lookups {
    pub(crate) fn office(&self, id: i64) -> Option<&str> {
        self.offices.get(&id).map(String::as_str)
    }

    pub(crate) fn package(&self, id: i64) -> Option<&str> {
        self.packages.get(&id).map(String::as_str)
    }

    /// Every package as (id, name), active ones first, then by name.
    pub(crate) fn package_choices(&self) -> &[(i64, String)] {
        &self.package_choices
    }

    pub(crate) fn user(&self, id: i64) -> Option<&str> {
        self.users.get(&id).map(String::as_str)
    }

    /// What the role grants; nothing for a role without permissions.
    pub(crate) fn grants(&self, role: Role) -> Grants {
        self.grants.get(role.code()).cloned().unwrap_or_default()
    }

    pub(crate) fn requires_totp(&self, role: Role) -> bool {
        self.require_totp.get(role.code()).copied().unwrap_or(false)
    }
}

/// What one server holds; clones share it.
#[derive(Debug, Clone, Default)]
pub(crate) struct LookupCache(Arc<RwLock<Option<Arc<Lookups>>>>);

#[derive(QueryableByName)]
struct LookupRow {
    #[diesel(sql_type = Text)]
    kind: String,
    #[diesel(sql_type = BigInt)]
    id: i64,
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = Text)]
    extra: String,
}

#[derive(QueryableByName)]
struct VersionRow {
    #[diesel(sql_type = BigInt)]
    lookups_version: i64,
}

/// Every table with the version, in one statement (one snapshot).
fn read(conn: &mut DbConnection, backend: Backend) -> Result<Lookups, StoreError> {
    let mut q = Sql::new(backend);
    q.push(
        "SELECT 'v' AS kind, version AS id, '' AS name, '' AS extra \
         FROM lookups_version WHERE id = 1 \
         UNION ALL SELECT 'o', id, name, '' FROM offices \
         UNION ALL SELECT 'p', id, name, CASE WHEN active THEN '1' ELSE '0' END FROM packages \
         UNION ALL SELECT 'u', id, name, '' FROM users \
         UNION ALL SELECT 'r', 0, code, CASE WHEN require_totp THEN '1' ELSE '0' END FROM roles \
         UNION ALL SELECT 'g', 0, role, permission || ' ' || scope FROM role_permissions",
    );
    let mut l = Lookups::default();
    let mut active = HashMap::new();
    for r in q.load::<LookupRow>(conn)? {
        match r.kind.as_str() {
            "v" => l.version = r.id,
            "o" => {
                l.offices.insert(r.id, r.name);
            }
            "p" => {
                active.insert(r.id, r.extra == "1");
                l.packages.insert(r.id, r.name);
            }
            "u" => {
                l.users.insert(r.id, r.name);
            }
            "r" => {
                l.require_totp.insert(r.name, r.extra == "1");
            }
            _ => {
                if let Some((permission, scope)) = r.extra.split_once(' ') {
                    l.grants
                        .entry(r.name)
                        .or_default()
                        .insert_codes(permission, scope);
                }
            }
        }
    }
    let mut choices: Vec<(i64, String)> =
        l.packages.iter().map(|(id, n)| (*id, n.clone())).collect();
    choices.sort_by(|a, b| {
        let on = |id: &i64| active.get(id).copied().unwrap_or(false);
        on(&b.0).cmp(&on(&a.0)).then_with(|| a.1.cmp(&b.1))
    });
    l.package_choices = choices;
    Ok(l)
}

impl LookupCache {
    /// The tables as of `version` or later: those held, or read again when rows were read
    /// at another version or name something not held.
    pub(crate) fn at(
        &self,
        conn: &mut DbConnection,
        backend: Backend,
        version: i64,
        known: impl Fn(&Lookups) -> bool,
    ) -> Result<Arc<Lookups>, StoreError> {
        let held = self
            .0
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .clone();
        if let Some(l) = held
            && l.version >= version
            && known(&l)
        {
            return Ok(l);
        }
        let fresh = Arc::new(read(conn, backend)?);
        *self.0.write().unwrap_or_else(PoisonError::into_inner) = Some(fresh.clone());
        Ok(fresh)
    }

    /// The tables as they stand now (one small query to learn the version).
    pub(crate) fn current(
        &self,
        conn: &mut DbConnection,
        backend: Backend,
    ) -> Result<Arc<Lookups>, StoreError> {
        let mut q = Sql::new(backend);
        q.push("SELECT ").push(VERSION);
        let version = q
            .load::<VersionRow>(conn)?
            .first()
            .map(|v| v.lookups_version)
            .unwrap_or(0);
        self.at(conn, backend, version, |_| true)
    }
}
