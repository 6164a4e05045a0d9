//! The dashboards' facts kept in the database, with the mark of the change log they were
//! read up to: a server starting reads them and the cases changed since, instead of every
//! case (seconds at a million). One row, replaced by whichever server saves last; a row of
//! another survey instrument or of another layout is ignored and the facts read whole.

use crate::db::sql::Sql;
use crate::{Backend, DbConnection, StoreError};
use diesel::QueryableByName;
use diesel::sql_types::{BigInt, Binary};
use homeward_domain::dashboard::Facts;

/// Written before the facts; changed whenever what a case's fact holds changes, so that a
/// row written by another version is never read as this one's.
const LAYOUT: &[u8] = b"homeward dashboard facts 1\n";

#[derive(QueryableByName)]
struct Row {
    #[diesel(sql_type = BigInt)]
    mark: i64,
    #[diesel(sql_type = Binary)]
    data: Vec<u8>,
}

/// The stored facts and their mark, when there are some for instrument `iid` in this
/// layout.
pub(crate) fn load(
    c: &mut DbConnection,
    backend: Backend,
    iid: Option<i64>,
) -> Result<Option<(Facts, i64)>, StoreError> {
    // Facts of another instrument are not even read (tens of megabytes at a million).
    let mut q = Sql::new(backend);
    q.push("SELECT mark, data FROM dashboard_snapshot WHERE id = 1 AND ");
    match iid {
        Some(i) => q.push("instrument_id = ").int(i),
        None => q.push("instrument_id IS NULL"),
    };
    let Some(row) = q.load::<Row>(c)?.into_iter().next() else {
        return Ok(None);
    };
    let Some(body) = row.data.strip_prefix(LAYOUT) else {
        return Ok(None);
    };
    match postcard::from_bytes::<Facts>(body) {
        Ok(facts) => Ok(Some((facts, row.mark))),
        Err(e) => {
            tracing::warn!("the stored dashboard facts are unreadable, reading every case: {e}");
            Ok(None)
        }
    }
}

/// The facts as stored: the layout line, then the facts.
pub(crate) fn encode(facts: &Facts) -> Result<Vec<u8>, StoreError> {
    let mut out = LAYOUT.to_vec();
    let body = postcard::to_allocvec(facts)
        .map_err(|e| StoreError::Corrupt(format!("dashboard facts: {e}")))?;
    out.extend_from_slice(&body);
    Ok(out)
}

/// Replaces the stored facts.
pub(crate) fn save(
    c: &mut DbConnection,
    backend: Backend,
    iid: Option<i64>,
    mark: i64,
    cases: usize,
    data: Vec<u8>,
) -> Result<(), StoreError> {
    let mut del = Sql::new(backend);
    del.push("DELETE FROM dashboard_snapshot");
    del.execute(c)?;
    let mut ins = Sql::new(backend);
    ins.push(
        "INSERT INTO dashboard_snapshot (id, instrument_id, mark, cases, data, taken_at) \
         VALUES (1, ",
    )
    .opt_int(iid)
    .push(", ")
    .int(mark)
    .push(", ")
    .int(cases as i64)
    .push(", ")
    .bytes(data)
    .push(", ")
    .text(crate::utc_now())
    .push(")");
    ins.execute(c)?;
    Ok(())
}
