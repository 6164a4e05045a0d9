//! The community and structural levels: community projects with their participants and
//! asset pools (tools lent at the counter), capacity-building activities with their
//! trainees, and what both kinds of activity share (outputs and spending, in `activity`).

pub mod activity;
pub mod capacity;
pub mod pools;
pub mod projects;

use crate::audit::{Change, append};
use crate::db::sql::{Sql, Value};
use crate::{Actor, Backend, DbConnection, StoreError};
use diesel::QueryableByName;
use diesel::sql_types::BigInt;
use homeward_domain::access::{Authorized, Capability, CaseFacts};
use homeward_domain::audit::Action;

/// Whether the proof reaches what office `office_id` runs.
pub(crate) fn reaches<C: Capability>(
    auth: &Authorized<C>,
    office_id: i64,
) -> Result<(), StoreError> {
    let facts = CaseFacts {
        owning_office: office_id,
        ..Default::default()
    };
    if auth.covers(&facts) {
        Ok(())
    } else {
        Err(StoreError::Forbidden(
            "this is run by another office; ask its staff".into(),
        ))
    }
}

/// Adds one row of a part of an activity (`columns` into `table`) and records it as a change
/// of the activity (`record` its audit name, `id` its number), with what `after` says of
/// the new row given its id.
#[allow(clippy::too_many_arguments)]
pub(crate) fn add_part(
    c: &mut DbConnection,
    backend: Backend,
    actor: &Actor,
    table: &str,
    columns: Vec<(&str, Value)>,
    record: &str,
    id: i64,
    after: impl FnOnce(i64) -> serde_json::Value,
) -> Result<i64, StoreError> {
    let mut q = Sql::new(backend);
    q.push("INSERT INTO ")
        .push(table)
        .push(" ")
        .columns_values(columns)
        .push(" RETURNING id");
    let new = q.insert_id(c)?;
    append(
        c,
        backend,
        actor,
        Change::new(Action::Update, record, id).after(after(new)),
    )?;
    Ok(new)
}

pub(crate) fn office_exists(
    c: &mut DbConnection,
    backend: Backend,
    id: i64,
) -> Result<(), StoreError> {
    #[derive(QueryableByName)]
    struct N {
        #[diesel(sql_type = BigInt)]
        n: i64,
    }
    let mut q = Sql::new(backend);
    q.push("SELECT COUNT(*) AS n FROM offices WHERE id = ")
        .int(id);
    if q.load::<N>(c)?.first().is_some_and(|r| r.n > 0) {
        Ok(())
    } else {
        Err(StoreError::conflict("office", "choose an existing office"))
    }
}
