//! The audit trail: appended in the same transaction as the change it records, read by
//! administrators, and verified end to end (`homeward audit verify`).
//!
//! A change writes its entry into `audit_pending` in its own transaction, with nothing to
//! wait for: requests never queue behind each other for the trail. The sealer
//! ([`Store::seal_audit`], run every moment by each server and at the end of every command)
//! takes pending entries in order under the one-row `audit_head` lock, numbers them without
//! gaps and chains each to the one before, even with several app servers on one PostgreSQL.
//! Triggers refuse UPDATE and DELETE on the sealed trail, and the hash chain catches whoever
//! gets around them; `audit verify` checks the sealed chain and counts what waits.

pub(crate) mod entry;
pub(crate) mod group;

pub use entry::Change;
pub(crate) use entry::{Written, write_entries};

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

/// What an entry says, sealed or waiting.
#[derive(QueryableByName)]
struct Said {
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
}

impl Said {
    fn entry(self, seq: i64, prev_hash: String, hash: String) -> Entry {
        Entry {
            seq,
            at: self.at,
            actor_id: self.actor_id,
            actor: self.actor,
            ip: self.ip,
            action: self.action,
            record_type: self.record_type,
            record_id: self.record_id,
            before: self.before,
            after: self.after,
            prev_hash,
            hash,
        }
    }
}

#[derive(QueryableByName)]
struct Row {
    #[diesel(sql_type = BigInt)]
    seq: i64,
    #[diesel(embed)]
    said: Said,
    #[diesel(sql_type = Text)]
    prev_hash: String,
    #[diesel(sql_type = Text)]
    hash: String,
}

impl From<Row> for Entry {
    fn from(r: Row) -> Entry {
        r.said.entry(r.seq, r.prev_hash, r.hash)
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

/// Writes one entry inside the caller's transaction, for the sealer to number and chain.
pub(crate) fn append(
    conn: &mut DbConnection,
    backend: Backend,
    actor: &Actor,
    change: Change<'_>,
) -> Result<(), StoreError> {
    write_entries(conn, backend, &[Written::new(actor, change)])
}

#[derive(QueryableByName)]
struct Pending {
    #[diesel(sql_type = BigInt)]
    id: i64,
    #[diesel(embed)]
    said: Said,
}

/// How many pending entries one sealing transaction takes: small enough to keep the
/// statement under every backend's parameter limit and the head lock short.
const SEAL_BATCH: usize = 500;

/// Numbers and chains the oldest pending entries after the head, in one transaction;
/// returns how many. The head's row lock makes sealers on several servers take turns.
fn seal_batch(conn: &mut DbConnection, backend: Backend) -> Result<usize, StoreError> {
    let h = head(conn, backend, true)?;
    let mut q = Sql::new(backend);
    q.push(
        "SELECT id, at, actor_id, actor, ip, action, record_type, record_id, before, after \
         FROM audit_pending ORDER BY id LIMIT ",
    )
    .int(SEAL_BATCH as i64);
    let pending = q.load::<Pending>(conn)?;
    if pending.is_empty() {
        return Ok(0);
    }
    let (mut seq, mut prev) = (h.seq, h.hash);
    let mut ids = Vec::with_capacity(pending.len());
    let mut ins = Sql::new(backend);
    ins.push(
        "INSERT INTO audit_events (seq, at, actor_id, actor, ip, action, record_type, \
         record_id, before, after, prev_hash, hash) VALUES ",
    );
    for (i, p) in pending.into_iter().enumerate() {
        seq += 1;
        ids.push(p.id);
        let mut e = p.said.entry(seq, prev, String::new());
        e.hash = e.compute_hash(&e.prev_hash);
        prev = e.hash.clone();
        if i > 0 {
            ins.push(", ");
        }
        ins.push("(")
            .int(e.seq)
            .push(", ")
            .text(e.at)
            .push(", ")
            .opt_int(e.actor_id)
            .push(", ")
            .text(e.actor)
            .push(", ")
            .text(e.ip)
            .push(", ")
            .text(e.action)
            .push(", ")
            .text(e.record_type)
            .push(", ")
            .text(e.record_id)
            .push(", ")
            .text(e.before)
            .push(", ")
            .text(e.after)
            .push(", ")
            .text(e.prev_hash)
            .push(", ")
            .text(e.hash)
            .push(")");
    }
    ins.execute(conn)?;
    // Exactly the rows sealed: on PostgreSQL a lower id may commit after a higher one, so
    // "everything up to the last id" could remove an entry not yet sealed.
    let mut del = Sql::new(backend);
    del.push("DELETE FROM audit_pending WHERE id IN ")
        .int_list(&ids);
    del.execute(conn)?;
    let mut up = Sql::new(backend);
    up.push("UPDATE audit_head SET seq = ")
        .int(seq)
        .push(", hash = ")
        .text(prev)
        .push(" WHERE id = 1");
    up.execute(conn)?;
    Ok(ids.len())
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
    /// Returns once the entry is committed; entries recorded at the same moment by other
    /// requests share one transaction ([`group`]).
    pub fn record(&self, actor: &Actor, change: Change<'_>) -> Result<(), StoreError> {
        let entry = Written::new(actor, change);
        match self.audit_group.commit(entry.clone(), |batch| {
            self.write(|c| write_entries(c, self.backend(), batch))
        }) {
            group::Outcome::Written => Ok(()),
            // The group's transaction failed: this entry alone, for its own answer.
            group::Outcome::Failed => {
                self.write(|c| write_entries(c, self.backend(), std::slice::from_ref(&entry)))
            }
        }
    }

    /// Reads with `f`, then records what it showed, if anything, before handing it over:
    /// the entry goes into the audit trail with those of other readers at the same moment
    /// ([`Store::record`]), not in a transaction of its own.
    pub(crate) fn read_recorded<T>(
        &self,
        actor: &Actor,
        f: impl FnMut(&mut DbConnection) -> Result<(T, Option<Change<'static>>), StoreError>,
    ) -> Result<T, StoreError> {
        let (read, shown) = self.read(f)?;
        if let Some(change) = shown {
            self.record(actor, change)?;
        }
        Ok(read)
    }

    /// Numbers and chains every entry waiting in `audit_pending`; returns how many.
    pub fn seal_audit(&self) -> Result<u64, StoreError> {
        // Each server asks four times a second: when nothing waits, no transaction takes
        // the head's row lock (which PostgreSQL writes to its log).
        let mut q = Sql::new(self.backend());
        q.push("SELECT COUNT(*) AS n FROM (SELECT 1 AS one FROM audit_pending LIMIT 1) p");
        if self.read(|c| Ok(q.clone().number(c)?))? == 0 {
            return Ok(0);
        }
        let mut sealed = 0u64;
        loop {
            let n = self.write(|c| seal_batch(c, self.backend()))?;
            crate::db::stats::add(&crate::db::stats::COUNTERS.audit_sealed, n as u64);
            sealed += n as u64;
            if n < SEAL_BATCH {
                return Ok(sealed);
            }
        }
    }

    /// How many entries are written and not yet sealed into the chain.
    pub fn audit_unsealed(&self) -> Result<i64, StoreError> {
        let mut q = Sql::new(self.backend());
        q.push("SELECT COUNT(*) AS n FROM audit_pending");
        self.read(|c| Ok(q.clone().number(c)?))
    }

    /// Newest first, everything written until now (pending entries are sealed first).
    pub fn audit_search(
        &self,
        _auth: &Authorized<ReadAudit>,
        q: &AuditQuery,
    ) -> Result<Vec<Entry>, StoreError> {
        self.seal_audit()?;
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
            .read(|c| Ok(s.clone().load::<Row>(c)?))?
            .into_iter()
            .map(Entry::from)
            .collect())
    }

    /// Checks every sealed entry's hash and link, oldest first, and the head; returns how
    /// many entries are intact, or where the trail was tampered with. Entries not yet
    /// sealed are counted by [`Store::audit_unsealed`].
    pub fn audit_verify(&self) -> Result<Result<u64, ChainBreak>, StoreError> {
        let mut q = Sql::new(self.backend());
        q.push("SELECT digests_from AS n FROM audit_head WHERE id = 1");
        let mut v = ChainVerifier::digests_from(self.read(|c| Ok(q.clone().number(c)?))?);
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
            let rows = self.read(|c| Ok(s.clone().load::<Row>(c)?))?;
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

    /// How many entries the trail holds, sealed or not.
    pub fn audit_len(&self) -> Result<i64, StoreError> {
        Ok(self.read(|c| head(c, self.backend(), false))?.seq + self.audit_unsealed()?)
    }
}
