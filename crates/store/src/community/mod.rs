//! The community and structural levels: community projects with their participants and
//! asset pools (tools lent at the counter), capacity-building activities with their
//! trainees, and what both kinds of activity share (outputs and spending, in `activity`).

pub mod activity;
pub mod capacity;
pub mod pools;
pub mod projects;

use crate::db::sql::Sql;
use crate::{Backend, DbConnection, StoreError};
use diesel::QueryableByName;
use diesel::sql_types::BigInt;
use homeward_domain::access::{Authorized, Capability, CaseFacts};

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
