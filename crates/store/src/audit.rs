//! The audit trail: appended in the same transaction as the change it records, read by
//! administrators, and verified end to end (`homeward audit verify`).
//!
//! Appends lock the one-row `audit_head` table, so entries are numbered without gaps even
//! with several app servers on one PostgreSQL; triggers refuse UPDATE and DELETE on the
//! trail itself, and the hash chain catches whoever gets around them.

use crate::db::sql::Sql;
use crate::{Actor, Backend, DbConnection, Store, StoreError};
use diesel::QueryableByName;
use diesel::sql_types::{BigInt, Nullable, Text};
use homeward_domain::access::{Authorized, ReadAudit};
use homeward_domain::audit::{Action, ChainBreak, ChainVerifier, Entry};

#[derive(QueryableByName)]
struct Head {
    #[diesel(sql_type = BigInt)]
    seq: i64,
    #[diesel(sql_type = Text)]
    hash: String,
}

#[derive(QueryableByName)]
struct Row {
    #[diesel(sql_type = BigInt)]
    seq: i64,
    #[diesel(sql_type = Text)]
    at: String,
    #[diesel(sql_type = Nullable<BigInt>)]
    actor_id: Option<i64>,
    #[diesel(sql_type = Text)]
    actor: String,
    #[diesel(sql_type = Text)]
    ip: String,
    #[diesel(sql_type = Text)]
    action: String,
    #[diesel(sql_type = Text)]
    record_type: String,
    #[diesel(sql_type = Text)]
    record_id: String,
    #[diesel(sql_type = Text)]
    before: String,
    #[diesel(sql_type = Text)]
    after: String,
    #[diesel(sql_type = Text)]
    prev_hash: String,
    #[diesel(sql_type = Text)]
    hash: String,
}

impl From<Row> for Entry {
    fn from(r: Row) -> Entry {
        Entry {
            seq: r.seq,
            at: r.at,
            actor_id: r.actor_id,
            actor: r.actor,
            ip: r.ip,
            action: r.action,
            record_type: r.record_type,
            record_id: r.record_id,
            before: r.before,
            after: r.after,
            prev_hash: r.prev_hash,
            hash: r.hash,
        }
    }
}

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

fn head(conn: &mut DbConnection, backend: Backend, lock: bool) -> Result<Head, StoreError> {
    let mut q = Sql::new(backend);
    q.push("SELECT seq, hash FROM audit_head WHERE id = 1");
    if lock && backend == Backend::Postgres {
        q.push(" FOR UPDATE");
    }
    q.load::<Head>(conn)?
        .into_iter()
        .next()
        .ok_or_else(|| StoreError::NotFound("the audit trail's head".into()))
}

/// Appends one entry inside the caller's transaction; returns its number.
pub(crate) fn append(
    conn: &mut DbConnection,
    backend: Backend,
    actor: &Actor,
    change: Change<'_>,
) -> Result<i64, StoreError> {
    let h = head(conn, backend, true)?;
    let json = |v: Option<serde_json::Value>| v.map(|v| v.to_string()).unwrap_or_default();
    let mut e = Entry {
        seq: h.seq + 1,
        at: crate::clock::utc_now(),
        actor_id: actor.user_id,
        actor: actor.label.clone(),
        ip: actor.ip.clone(),
        action: change.action.code().to_owned(),
        record_type: change.record_type.to_owned(),
        record_id: change.record_id,
        before: json(change.before),
        after: json(change.after),
        prev_hash: h.hash,
        hash: String::new(),
    };
    e.hash = e.compute_hash(&e.prev_hash);
    let mut ins = Sql::new(backend);
    ins.push(
        "INSERT INTO audit_events (seq, at, actor_id, actor, ip, action, record_type, \
         record_id, before, after, prev_hash, hash) VALUES (",
    )
    .int(e.seq)
    .push(", ")
    .text(e.at.clone())
    .push(", ")
    .opt_int(e.actor_id)
    .push(", ")
    .text(e.actor.clone())
    .push(", ")
    .text(e.ip.clone())
    .push(", ")
    .text(e.action.clone())
    .push(", ")
    .text(e.record_type.clone())
    .push(", ")
    .text(e.record_id.clone())
    .push(", ")
    .text(e.before.clone())
    .push(", ")
    .text(e.after.clone())
    .push(", ")
    .text(e.prev_hash.clone())
    .push(", ")
    .text(e.hash.clone())
    .push(")");
    ins.execute(conn)?;
    let mut up = Sql::new(backend);
    up.push("UPDATE audit_head SET seq = ")
        .int(e.seq)
        .push(", hash = ")
        .text(e.hash)
        .push(" WHERE id = 1");
    up.execute(conn)?;
    Ok(e.seq)
}

/// An administrator's search of the trail. Empty fields match everything.
#[derive(Debug, Clone, Default)]
pub struct AuditQuery {
    pub actor: Option<String>,
    pub record_type: Option<String>,
    pub record_id: Option<String>,
    pub action: Option<Action>,
    /// `YYYY-MM-DD`, inclusive.
    pub from: Option<String>,
    pub to: Option<String>,
    /// Entries older than this number (for the next page).
    pub before_seq: Option<i64>,
    pub limit: i64,
}

const VERIFY_BATCH: i64 = 2_000;

impl Store {
    /// Records something that changed nothing else (a view, a failed sign-in, an export).
    pub fn record(&self, actor: &Actor, change: Change<'_>) -> Result<i64, StoreError> {
        self.write(|c| append(c, self.backend(), actor, change))
    }

    /// Newest first.
    pub fn audit_search(
        &self,
        _auth: &Authorized<ReadAudit>,
        q: &AuditQuery,
    ) -> Result<Vec<Entry>, StoreError> {
        self.audit_rows(q)
    }

    fn audit_rows(&self, q: &AuditQuery) -> Result<Vec<Entry>, StoreError> {
        let mut s = Sql::new(self.backend());
        s.push(
            "SELECT seq, at, actor_id, actor, ip, action, record_type, record_id, before, \
             after, prev_hash, hash FROM audit_events WHERE 1 = 1",
        );
        if let Some(a) = &q.actor {
            s.push(" AND LOWER(actor) LIKE ")
                .text(format!("%{}%", a.to_lowercase()));
        }
        if let Some(t) = &q.record_type {
            s.push(" AND record_type = ").text(t.clone());
        }
        if let Some(id) = &q.record_id {
            s.push(" AND record_id = ").text(id.clone());
        }
        if let Some(a) = q.action {
            s.push(" AND action = ").text(a.code());
        }
        if let Some(f) = &q.from {
            s.push(" AND at >= ").text(f.clone());
        }
        if let Some(t) = &q.to {
            // Inclusive of the whole day: every instant on it sorts before the next day.
            s.push(" AND at < ").text(format!("{t}T99"));
        }
        if let Some(b) = q.before_seq {
            s.push(" AND seq < ").int(b);
        }
        s.push(" ORDER BY seq DESC LIMIT ")
            .int(q.limit.clamp(1, 10_000));
        Ok(self
            .read(|c| Ok(s.load::<Row>(c)?))?
            .into_iter()
            .map(Entry::from)
            .collect())
    }

    /// Checks every entry's hash and link, oldest first, and the head; returns how many
    /// entries are intact, or where the trail was tampered with.
    pub fn audit_verify(&self) -> Result<Result<u64, ChainBreak>, StoreError> {
        let mut v = ChainVerifier::default();
        let mut after = 0i64;
        loop {
            let mut s = Sql::new(self.backend());
            s.push(
                "SELECT seq, at, actor_id, actor, ip, action, record_type, record_id, \
                 before, after, prev_hash, hash FROM audit_events WHERE seq > ",
            )
            .int(after)
            .push(" ORDER BY seq LIMIT ")
            .int(VERIFY_BATCH);
            let rows = self.read(|c| Ok(s.load::<Row>(c)?))?;
            let n = rows.len() as i64;
            for r in rows {
                after = r.seq;
                if let Err(b) = v.push(&Entry::from(r)) {
                    return Ok(Err(b));
                }
            }
            if n < VERIFY_BATCH {
                break;
            }
        }
        let h = self.read(|c| head(c, self.backend(), false))?;
        Ok(v.finish(h.seq, &h.hash))
    }

    /// How many entries the trail holds.
    pub fn audit_len(&self) -> Result<i64, StoreError> {
        Ok(self.read(|c| head(c, self.backend(), false))?.seq)
    }
}
