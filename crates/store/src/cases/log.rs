//! A case's version and timeline. Every change to a case adds an event to its timeline;
//! edits also move the version on, and an edit made from an older version is refused
//! with what changed since, so no one's work is silently overwritten.

use crate::db::sql::Sql;
use crate::{Actor, Backend, DbConnection, StoreError};
use diesel::QueryableByName;
use diesel::sql_types::{BigInt, Nullable, Text};

/// One entry of a case's timeline.
#[derive(Debug, Clone, PartialEq, Eq, QueryableByName)]
pub struct Event {
    #[diesel(sql_type = BigInt)]
    pub version: i64,
    /// UTC instant.
    #[diesel(sql_type = Text)]
    pub at: String,
    /// Who did it (name, or `console`).
    #[diesel(sql_type = Nullable<Text>)]
    pub by: Option<String>,
    /// What happened: `registered`, `stage`, `plan_item_added`, `assistance` ...
    #[diesel(sql_type = Text)]
    pub kind: String,
    /// The facts of it, as data ("arrived 2013-02-14", "IOM Tirana").
    #[diesel(sql_type = Text)]
    pub detail: String,
}

#[derive(QueryableByName)]
struct Version {
    #[diesel(sql_type = BigInt)]
    version: i64,
}

/// The current version of a case.
pub(crate) fn version_of(
    c: &mut DbConnection,
    backend: Backend,
    case_id: i64,
) -> Result<i64, StoreError> {
    let mut q = Sql::new(backend);
    q.push("SELECT version FROM cases WHERE id = ").int(case_id);
    q.load::<Version>(c)?
        .first()
        .map(|v| v.version)
        .ok_or_else(|| StoreError::NotFound(format!("case {case_id}")))
}

fn insert_event(
    c: &mut DbConnection,
    backend: Backend,
    case_id: i64,
    version: i64,
    actor: &Actor,
    kind: &str,
    detail: &str,
) -> Result<(), StoreError> {
    let mut q = Sql::new(backend);
    q.push("INSERT INTO case_events (case_id, version, at, user_id, kind, detail) VALUES (")
        .int(case_id)
        .push(", ")
        .int(version)
        .push(", ")
        .text(crate::utc_now())
        .push(", ")
        .opt_int(actor.user_id)
        .push(", ")
        .text(kind)
        .push(", ")
        .text(detail)
        .push(")");
    q.execute(c)?;
    Ok(())
}

/// The timeline of a case, oldest first, from `after_version` on (0 for all of it).
pub(crate) fn events(
    c: &mut DbConnection,
    backend: Backend,
    case_id: i64,
    after_version: i64,
) -> Result<Vec<Event>, StoreError> {
    let mut q = Sql::new(backend);
    q.push(
        "SELECT e.version, e.at, COALESCE(u.name, 'console') AS by, e.kind, e.detail \
         FROM case_events e LEFT JOIN users u ON u.id = e.user_id WHERE e.case_id = ",
    )
    .int(case_id)
    .push(" AND e.version > ")
    .int(after_version)
    .push(" ORDER BY e.id");
    Ok(q.load(c)?)
}

/// Records an edit made from `expected` (the version the editor loaded): the version
/// moves on by one, or, if someone else's edit came first, nothing is saved and the
/// error lists what they changed.
pub(crate) fn edit(
    c: &mut DbConnection,
    backend: Backend,
    case_id: i64,
    expected: i64,
    actor: &Actor,
    kind: &str,
    detail: &str,
) -> Result<i64, StoreError> {
    let mut q = Sql::new(backend);
    q.push("UPDATE cases SET version = version + 1, updated_at = ")
        .text(crate::utc_now())
        .push(" WHERE id = ")
        .int(case_id)
        .push(" AND version = ")
        .int(expected);
    if q.execute(c)? == 0 {
        return Err(stale(c, backend, case_id, expected)?);
    }
    insert_event(c, backend, case_id, expected + 1, actor, kind, detail)?;
    Ok(expected + 1)
}

/// Refuses at once an edit made from an older version, before any rule is checked: the
/// editor must first see what changed.
pub(crate) fn check(
    c: &mut DbConnection,
    backend: Backend,
    case_id: i64,
    expected: i64,
) -> Result<(), StoreError> {
    if version_of(c, backend, case_id)? == expected {
        Ok(())
    } else {
        Err(stale(c, backend, case_id, expected)?)
    }
}

fn stale(
    c: &mut DbConnection,
    backend: Backend,
    case_id: i64,
    expected: i64,
) -> Result<StoreError, StoreError> {
    let now = version_of(c, backend, case_id)?;
    let changes: Vec<String> = events(c, backend, case_id, expected)?
        .into_iter()
        .map(|e| {
            let by = e.by.unwrap_or_default();
            format!("{} by {by} at {}: {}", e.kind, e.at, e.detail)
        })
        .collect();
    Ok(StoreError::Stale(format!(
        "this case changed since you opened it (version {expected}, now {now}); nothing \
         was saved. Changes since: {}. Reload the case and make your change again.",
        if changes.is_empty() {
            "none recorded".to_owned()
        } else {
            changes.join("; ")
        }
    )))
}

/// Records an addition that does not conflict with edits (a visit, a payment, a
/// consent): it joins the timeline at the current version.
pub(crate) fn note(
    c: &mut DbConnection,
    backend: Backend,
    case_id: i64,
    actor: &Actor,
    kind: &str,
    detail: &str,
) -> Result<(), StoreError> {
    let v = version_of(c, backend, case_id)?;
    let mut q = Sql::new(backend);
    q.push("UPDATE cases SET updated_at = ")
        .text(crate::utc_now())
        .push(" WHERE id = ")
        .int(case_id);
    q.execute(c)?;
    insert_event(c, backend, case_id, v, actor, kind, detail)
}
