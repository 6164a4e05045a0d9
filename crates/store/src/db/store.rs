//! The storage handle: a pool of connections to one database, opened from a URL with the
//! per-backend settings (SQLite: WAL, foreign keys, busy timeout), and the transactions
//! repository code runs in.

use super::key::DatabaseKey;
use super::{Backend, DbConnection, redact};
use crate::StoreError;
use crate::catalogue::facets::FacetCache;
use crate::insight::facts::FactsCache;
use diesel::PgConnection;
use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use std::time::Duration;

fn sqlite_path(url: &str) -> &str {
    url.strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))
        .unwrap_or(url)
}

#[derive(Debug)]
pub(crate) struct Manager {
    url: String,
    backend: Backend,
    /// The SQLCipher key of an encrypted SQLite file.
    key: Option<super::key::DatabaseKey>,
}

/// A pooled connection, with when it was last found working and whether it was lost.
pub(crate) struct Checked {
    db: DbConnection,
    checked: std::time::Instant,
    /// A query on it failed because the connection was lost: the pool drops it.
    lost: bool,
}

impl std::ops::Deref for Checked {
    type Target = DbConnection;
    fn deref(&self) -> &DbConnection {
        &self.db
    }
}

impl std::ops::DerefMut for Checked {
    fn deref_mut(&mut self) -> &mut DbConnection {
        &mut self.db
    }
}

/// A connection used this recently is handed out without asking the database first:
/// under load that check would be one more round trip per request. One that broke since
/// fails its first query, is marked lost and dropped, and the work runs again on another.
const TRUSTED_FOR: Duration = Duration::from_secs(1);

impl r2d2::ManageConnection for Manager {
    type Connection = Checked;
    type Error = diesel::ConnectionError;

    fn connect(&self) -> Result<Checked, Self::Error> {
        Ok(Checked {
            db: self.establish()?,
            checked: std::time::Instant::now(),
            lost: false,
        })
    }

    /// Run before a pooled connection is handed out (when not used within
    /// [`TRUSTED_FOR`]): a connection the database closed is replaced, and so is one to a
    /// server that became a standby after a failover (it answers but cannot write); with
    /// several hosts in the URL and `target_session_attrs=read-write` the new one reaches
    /// the new primary.
    fn is_valid(&self, conn: &mut Checked) -> Result<(), Self::Error> {
        if conn.checked.elapsed() < TRUSTED_FOR {
            return Ok(());
        }
        valid(&mut conn.db)?;
        conn.checked = std::time::Instant::now();
        Ok(())
    }

    fn has_broken(&self, conn: &mut Checked) -> bool {
        conn.lost
    }
}

impl Manager {
    fn establish(&self) -> Result<DbConnection, diesel::ConnectionError> {
        match self.backend {
            Backend::Sqlite => {
                let mut c = super::key::open_sqlite(sqlite_path(&self.url), self.key.as_ref())?;
                // WAL lets readers and one writer work at once; the timeout makes a second
                // writer wait instead of failing. Deleted content is zeroed, so what
                // anonymisation removes does not linger in free pages of the file.
                c.batch_execute(
                    "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; \
                     PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 10000; \
                     PRAGMA secure_delete = ON;",
                )
                .map_err(|e| diesel::ConnectionError::BadConnection(e.to_string()))?;
                Ok(DbConnection::Sqlite(c))
            }
            Backend::Postgres => {
                let mut c = PgConnection::establish(&self.url)?;
                // Diesel keeps prepared statements; a generic plan made while a table was
                // small (a fresh import) stays a sequential scan as it grows. Plan each
                // execution for the table as it is. Homeward's queries walk indexes for a
                // page of rows or stream rows out: parallel workers and JIT compilation
                // take longer to start (tens of milliseconds) than they save.
                c.batch_execute(
                    "SET plan_cache_mode = force_custom_plan; \
                     SET max_parallel_workers_per_gather = 0; SET jit = off",
                )
                .map_err(|e| diesel::ConnectionError::BadConnection(e.to_string()))?;
                Ok(DbConnection::Postgres(c))
            }
        }
    }
}

fn valid(conn: &mut DbConnection) -> Result<(), diesel::ConnectionError> {
    let bad = |e: String| diesel::ConnectionError::BadConnection(e);
    match conn {
        DbConnection::Sqlite(c) => c.batch_execute("SELECT 1").map_err(|e| bad(e.to_string())),
        DbConnection::Postgres(c) => {
            #[derive(diesel::QueryableByName)]
            struct Recovery {
                #[diesel(sql_type = diesel::sql_types::Bool)]
                standby: bool,
            }
            let r = diesel::sql_query("SELECT pg_is_in_recovery() AS standby")
                .get_result::<Recovery>(c)
                .map_err(|e| bad(e.to_string()))?;
            if r.standby {
                Err(bad("the server is a standby now".into()))
            } else {
                Ok(())
            }
        }
    }
}

pub(crate) type Pooled = r2d2::PooledConnection<Manager>;

/// The storage handle: a pool of connections to one database.
#[derive(Clone)]
pub struct Store {
    pool: r2d2::Pool<Manager>,
    backend: Backend,
    pub(crate) facets: FacetCache,
    pub(crate) dashboard_facts: FactsCache,
    /// Entries recorded on their own, committed in groups.
    pub(crate) audit_group:
        std::sync::Arc<crate::audit::group::Group<crate::audit::entry::Written>>,
    /// The SQLCipher key of an encrypted SQLite file, for copies made under it.
    pub(crate) key: Option<DatabaseKey>,
    /// The small tables pages look things up in ([`crate::lookups`]).
    pub(crate) lookups: crate::lookups::LookupCache,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store")
            .field("backend", &self.backend)
            .finish()
    }
}

impl Store {
    /// Opens the database at `url` and brings its schema up to date.
    pub fn open(url: &str) -> Result<Store, StoreError> {
        Store::open_keyed(url, None)
    }

    /// The same, for an SQLite file encrypted with `key` (or to be created encrypted).
    pub fn open_keyed(url: &str, key: Option<DatabaseKey>) -> Result<Store, StoreError> {
        let store = Store::connect_keyed(url, key)?;
        store.migrate()?;
        Ok(store)
    }

    /// Opens the database without touching its schema.
    pub fn connect(url: &str) -> Result<Store, StoreError> {
        Store::connect_keyed(url, None)
    }

    /// The same, with the key of an encrypted SQLite file.
    pub fn connect_keyed(url: &str, key: Option<DatabaseKey>) -> Result<Store, StoreError> {
        let backend = Backend::of_url(url);
        if key.is_some() && backend == Backend::Postgres {
            return Err(StoreError::Key(
                "a database key is for an SQLite file; PostgreSQL is kept encrypted by its \
                 disks and TLS (docs/operations.md)"
                    .into(),
            ));
        }
        let size = match backend {
            Backend::Sqlite => 8,
            Backend::Postgres => 16,
        };
        let manager = Manager {
            url: url.to_owned(),
            backend,
            key: key.clone(),
        };
        // One connection now, outside the pool, so that an unreachable database is reported
        // at once with its address instead of after the pool's timeout.
        r2d2::ManageConnection::connect(&manager).map_err(|e| StoreError::Open {
            url: redact(url),
            reason: e.to_string(),
        })?;
        let pool = r2d2::Pool::builder()
            .max_size(size)
            // No idle minimum: with one, r2d2 opens replacement connections on a background
            // thread whenever one is taken, and a short command (`homeward audit verify`)
            // could exit while libpq was mid-handshake there, crashing at exit.
            .min_idle(Some(0))
            .connection_timeout(Duration::from_secs(10))
            .build(manager)
            .map_err(|e| StoreError::Open {
                url: redact(url),
                reason: e.to_string(),
            })?;
        Ok(Store {
            pool,
            backend,
            facets: Default::default(),
            dashboard_facts: Default::default(),
            audit_group: Default::default(),
            lookups: Default::default(),
            key,
        })
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    pub(crate) fn conn(&self) -> Result<Pooled, StoreError> {
        use super::stats::{COUNTERS, add};
        if self.pool.state().idle_connections > 0 {
            return Ok(self.pool.get()?);
        }
        let started = std::time::Instant::now();
        let c = self.pool.get();
        add(&COUNTERS.pool_waits, 1);
        add(
            &COUNTERS.pool_wait_micros,
            started.elapsed().as_micros() as u64,
        );
        Ok(c?)
    }

    /// The pool, this process's counters and the dashboards' facts, for metrics.
    pub fn stats(&self) -> super::stats::Stats {
        let state = self.pool.state();
        let (pool_waits, pool_wait_seconds, audit_written, audit_sealed, sign_in_failures) =
            super::stats::counted();
        super::stats::Stats {
            pool_max: self.pool.max_size(),
            pool_open: state.connections,
            pool_idle: state.idle_connections,
            pool_waits,
            pool_wait_seconds,
            audit_written,
            audit_sealed,
            sign_in_failures,
            facts: self.dashboard_facts.state(),
        }
    }

    /// Runs read-only work on a pooled connection; once more on a new connection when the
    /// first was lost (the database restarted or changed primary).
    pub(crate) fn read<T>(
        &self,
        mut f: impl FnMut(&mut DbConnection) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let mut once = || {
            let mut c = self.conn()?;
            let r = f(&mut c);
            note(&mut c, &r);
            r
        };
        match once() {
            Err(e) if e.connection_lost() => {
                tracing::warn!("database connection lost, reading again on a new one: {e}");
                once()
            }
            other => other,
        }
    }

    /// Runs `f` in one transaction: all of it is kept or none. On SQLite the transaction
    /// takes the write lock at once, so two writers queue instead of deadlocking. When the
    /// connection is lost before the commit was sent (a failover), nothing was written and
    /// `f` runs once more on a new connection; a commit whose answer was lost is never
    /// repeated, its error goes to the caller.
    pub(crate) fn write<T>(
        &self,
        mut f: impl FnMut(&mut DbConnection) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        match self.transaction(&mut f) {
            // A commit whose answer was lost is `CommitUnknown`, never `connection_lost`.
            Err(e) if e.connection_lost() => {
                tracing::warn!("database connection lost before the commit, writing again: {e}");
                self.transaction(&mut f)
            }
            other => other,
        }
    }

    /// One attempt of [`Store::write`].
    fn transaction<T>(
        &self,
        f: &mut impl FnMut(&mut DbConnection) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let c = self.conn()?;
        // Diesel begins SQLite transactions DEFERRED; two of them that read and then write
        // fail with SQLITE_BUSY at once. BEGIN IMMEDIATE waits for the lock under
        // busy_timeout instead. Bodies never nest transactions.
        let begin = match &**c {
            DbConnection::Sqlite(_) => "BEGIN IMMEDIATE",
            DbConnection::Postgres(_) => "BEGIN",
        };
        let mut tx = RollbackOnDrop {
            conn: c,
            open: false,
        };
        let began = tx.conn.batch_execute(begin).map_err(StoreError::from);
        note(&mut tx.conn, &began);
        began?;
        tx.open = true;
        let out = f(&mut tx.conn);
        note(&mut tx.conn, &out);
        let out = out?;
        let committed = tx.conn.batch_execute("COMMIT").map_err(StoreError::from);
        note(&mut tx.conn, &committed);
        match committed {
            Ok(()) => {
                tx.open = false;
                Ok(out)
            }
            Err(e) => {
                // The commit may or may not have happened: never run again.
                Err(if e.connection_lost() {
                    StoreError::CommitUnknown(e.to_string())
                } else {
                    e
                })
            }
        }
    }

    /// `ok` once a query goes through.
    pub fn ping(&self) -> Result<(), StoreError> {
        self.read(|c| Ok(c.batch_execute("SELECT 1")?))
    }
}

/// Keeps on a pooled connection what its last use said: it works (the database answered,
/// even with an error), or it was lost and the pool must drop it.
fn note<T>(c: &mut Checked, r: &Result<T, StoreError>) {
    match r {
        Err(e) if e.connection_lost() => c.lost = true,
        _ => c.checked = std::time::Instant::now(),
    }
}

/// Rolls an open transaction back if its body failed or panicked, so the connection goes
/// back to the pool clean.
struct RollbackOnDrop {
    conn: Pooled,
    open: bool,
}

impl Drop for RollbackOnDrop {
    fn drop(&mut self) {
        if self.open {
            let _ = self.conn.batch_execute("ROLLBACK");
        }
    }
}
