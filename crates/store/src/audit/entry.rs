//! One audit entry as a change describes it and as it is written into `audit_pending`,
//! before the sealer numbers and chains it.

use crate::db::sql::Sql;
use crate::{Actor, Backend, DbConnection, StoreError};
use homeward_domain::audit::Action;

/// What changed, for one entry.
#[derive(Debug, Clone)]
pub struct Change<'a> {
    pub action: Action,
    pub record_type: &'a str,
    pub record_id: String,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
}

impl<'a> Change<'a> {
    pub fn new(action: Action, record_type: &'a str, record_id: impl ToString) -> Self {
        Change {
            action,
            record_type,
            record_id: record_id.to_string(),
            before: None,
            after: None,
        }
    }

    pub fn before(mut self, v: serde_json::Value) -> Self {
        self.before = Some(v);
        self
    }

    pub fn after(mut self, v: serde_json::Value) -> Self {
        self.after = Some(v);
        self
    }
}

/// One entry as written into `audit_pending`, before the sealer numbers it.
#[derive(Debug, Clone)]
pub(crate) struct Written {
    at: String,
    actor_id: Option<i64>,
    actor: String,
    ip: String,
    action: Action,
    record_type: String,
    record_id: String,
    before: String,
    after: String,
}

impl Written {
    /// The entry for `change` by `actor`, dated now.
    pub(crate) fn new(actor: &Actor, change: Change<'_>) -> Written {
        let json = |v: Option<serde_json::Value>| v.map(|v| v.to_string()).unwrap_or_default();
        Written {
            at: crate::clock::utc_now(),
            actor_id: actor.user_id,
            actor: actor.label.clone(),
            ip: actor.ip.clone(),
            action: change.action,
            record_type: change.record_type.to_owned(),
            record_id: change.record_id,
            before: json(change.before),
            after: json(change.after),
        }
    }
}

/// How many entries one INSERT carries: nine values each, well under every backend's
/// limit on parameters.
const WRITE_BATCH: usize = 500;

/// Writes entries inside the caller's transaction, for the sealer to number and chain.
pub(crate) fn write_entries(
    conn: &mut DbConnection,
    backend: Backend,
    entries: &[Written],
) -> Result<(), StoreError> {
    for chunk in entries.chunks(WRITE_BATCH) {
        let mut ins = Sql::new(backend);
        ins.push(
            "INSERT INTO audit_pending (at, actor_id, actor, ip, action, record_type, \
             record_id, before, after) VALUES ",
        );
        for (i, w) in chunk.iter().enumerate() {
            if i > 0 {
                ins.push(", ");
            }
            ins.push("(")
                .text(w.at.clone())
                .push(", ")
                .opt_int(w.actor_id)
                .push(", ")
                .text(w.actor.clone())
                .push(", ")
                .text(w.ip.clone())
                .push(", ")
                .text(w.action.code())
                .push(", ")
                .text(w.record_type.clone())
                .push(", ")
                .text(w.record_id.clone())
                .push(", ")
                .text(w.before.clone())
                .push(", ")
                .text(w.after.clone())
                .push(")");
        }
        ins.execute(conn)?;
    }
    use crate::db::stats::{COUNTERS, add};
    add(&COUNTERS.audit_written, entries.len() as u64);
    let failures = entries
        .iter()
        .filter(|w| w.action == Action::SignInFailed)
        .count();
    add(&COUNTERS.sign_in_failures, failures as u64);
    Ok(())
}
