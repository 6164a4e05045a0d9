//! Fresh databases for tests: an SQLite file in the temporary directory, or a new
//! PostgreSQL database on the local server, each dropped when the test ends.
//!
//! PostgreSQL is found at `HOMEWARD_TEST_PG_URL` (default
//! `postgres://postgres@127.0.0.1:5432/postgres`). When it cannot be reached a test on a
//! developer's machine is skipped with a notice; under `CI=true` it fails instead.

use crate::Store;
use diesel::connection::SimpleConnection;
use diesel::{Connection, PgConnection};
use std::path::PathBuf;
use std::sync::atomic::{AtomicU32, Ordering};

static COUNTER: AtomicU32 = AtomicU32::new(0);

enum Cleanup {
    Files(PathBuf),
    PgDatabase { admin_url: String, name: String },
}

/// A database that exists for one test.
pub struct TestDb {
    pub store: Store,
    pub url: String,
    cleanup: Cleanup,
}

fn unique_name(prefix: &str) -> String {
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let r: u32 = rand::random();
    format!("{prefix}_{}_{n}_{r:08x}", std::process::id())
}

pub fn pg_admin_url() -> String {
    std::env::var("HOMEWARD_TEST_PG_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_owned())
}

/// True when the run must not skip anything (CI sets `CI=true`).
pub fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true" || v == "1")
}

fn with_database(admin_url: &str, name: &str) -> String {
    match admin_url.rfind('/') {
        Some(i) if i > "postgres://".len() => format!("{}/{name}", &admin_url[..i]),
        _ => format!("{admin_url}/{name}"),
    }
}

impl TestDb {
    /// An empty, migrated SQLite database in a file of its own.
    pub fn sqlite() -> TestDb {
        let dir = std::env::temp_dir().join(unique_name("homeward_test"));
        std::fs::create_dir_all(&dir).expect("create a temporary directory");
        let url = dir.join("test.db").to_string_lossy().into_owned();
        let store = Store::open(&url).expect("open a fresh SQLite database");
        TestDb {
            store,
            url,
            cleanup: Cleanup::Files(dir),
        }
    }

    /// The same, encrypted with SQLCipher under a raw key (as a lost laptop's file would
    /// be): the suites that run on it show Homeward works the same on an encrypted file.
    pub fn sqlite_encrypted() -> TestDb {
        let dir = std::env::temp_dir().join(unique_name("homeward_test_encrypted"));
        std::fs::create_dir_all(&dir).expect("create a temporary directory");
        let url = dir.join("test.db").to_string_lossy().into_owned();
        let key = crate::DatabaseKey::raw(rand::random());
        let store =
            Store::open_keyed(&url, Some(key)).expect("open a fresh encrypted SQLite database");
        TestDb {
            store,
            url,
            cleanup: Cleanup::Files(dir),
        }
    }

    /// An empty, migrated PostgreSQL database of its own, or `None` (with a notice) when no
    /// server is reachable outside CI.
    pub fn postgres() -> Option<TestDb> {
        let admin_url = pg_admin_url();
        let mut admin = match PgConnection::establish(&admin_url) {
            Ok(c) => c,
            Err(e) if !in_ci() => {
                eprintln!("skipping a PostgreSQL test: {admin_url} is not reachable ({e})");
                return None;
            }
            Err(e) => panic!("PostgreSQL is required under CI=true: {admin_url}: {e}"),
        };
        let name = unique_name("homeward_test");
        admin
            .batch_execute(&format!("CREATE DATABASE {name}"))
            .expect("create a test database");
        let url = with_database(&admin_url, &name);
        let store = Store::open(&url).expect("open the test database");
        Some(TestDb {
            store,
            url,
            cleanup: Cleanup::PgDatabase { admin_url, name },
        })
    }
}

impl TestDb {
    /// Runs SQL behind Homeward's back: how tests play a database administrator who
    /// tampers with rows or moves the clock of a session.
    pub fn execute(&self, sql: &str) {
        self.try_execute(sql)
            .unwrap_or_else(|e| panic!("{sql}: {e}"));
    }

    /// One whole number from SQL written by the test itself (`SELECT COUNT(*) AS n ...`,
    /// the column named `n`), to check Homeward's figures against an independent query.
    /// How many audit entries match `condition` (SQL on `audit_events`), once every entry
    /// written so far is sealed into the trail.
    pub fn audited(&self, condition: &str) -> i64 {
        self.store.seal_audit().expect("seal the audit trail");
        self.number(&format!(
            "SELECT COUNT(*) AS n FROM audit_events WHERE {condition}"
        ))
    }

    pub fn number(&self, sql: &str) -> i64 {
        #[derive(diesel::QueryableByName)]
        struct N {
            #[diesel(sql_type = diesel::sql_types::BigInt)]
            n: i64,
        }
        let mut c = self.store.conn().expect("connection");
        crate::db::sql::Sql::new(self.store.backend())
            .push(sql)
            .clone()
            .load::<N>(&mut c)
            .unwrap_or_else(|e| panic!("{sql}: {e}"))
            .first()
            .map(|r| r.n)
            .unwrap_or_else(|| panic!("{sql}: no row"))
    }

    /// The text column `s` of every row of SQL written by the test itself.
    pub fn texts(&self, sql: &str) -> Vec<String> {
        #[derive(diesel::QueryableByName)]
        struct S {
            #[diesel(sql_type = diesel::sql_types::Text)]
            s: String,
        }
        let mut c = self.store.conn().expect("connection");
        crate::db::sql::Sql::new(self.store.backend())
            .push(sql)
            .clone()
            .load::<S>(&mut c)
            .unwrap_or_else(|e| panic!("{sql}: {e}"))
            .into_iter()
            .map(|r| r.s)
            .collect()
    }

    /// Every table and text- or byte-holding column of the database, as `table.column`
    /// (`table.column.bytes` for PostgreSQL's byte columns).
    pub fn text_columns(&self) -> Vec<String> {
        let sql = match self.store.backend() {
            crate::Backend::Sqlite => {
                "SELECT m.name || '.' || p.name AS s FROM sqlite_master m, \
                 pragma_table_info(m.name) p WHERE m.type = 'table' \
                 AND (p.type LIKE '%TEXT%' OR p.type LIKE '%BLOB%' OR p.type = '')"
            }
            crate::Backend::Postgres => {
                "SELECT table_name || '.' || column_name || \
                 CASE WHEN data_type = 'bytea' THEN '.bytes' ELSE '' END AS s \
                 FROM information_schema.columns WHERE table_schema = 'public' \
                 AND data_type IN ('text', 'bytea', 'character varying', 'json', 'jsonb')"
            }
        };
        self.texts(sql)
    }

    /// Where in the database `value` is written: every `table.column` holding it, as
    /// text or among bytes.
    pub fn found_in(&self, value: &str) -> Vec<String> {
        let needle = value.replace('\'', "''");
        self.text_columns()
            .into_iter()
            .filter(|tc| {
                let mut parts = tc.split('.');
                let (Some(t), Some(c)) = (parts.next(), parts.next()) else {
                    return false;
                };
                let bytes = parts.next().is_some();
                let test = match self.store.backend() {
                    crate::Backend::Sqlite => {
                        format!("instr(CAST(\"{c}\" AS BLOB), CAST('{needle}' AS BLOB)) > 0")
                    }
                    crate::Backend::Postgres if bytes => {
                        format!("position(convert_to('{needle}', 'UTF8') IN \"{c}\") > 0")
                    }
                    crate::Backend::Postgres => format!("\"{c}\"::text LIKE '%{needle}%'"),
                };
                self.number(&format!("SELECT COUNT(*) AS n FROM \"{t}\" WHERE {test}")) > 0
            })
            .collect()
    }

    /// As [`TestDb::execute`], returning the database's refusal instead of failing.
    pub fn try_execute(&self, sql: &str) -> Result<(), String> {
        execute(&self.store, sql)
    }
}

/// SQL behind Homeward's back on any store: for benchmarks that change rows between
/// measurements.
pub fn execute(store: &Store, sql: &str) -> Result<(), String> {
    let mut c = store.conn().map_err(|e| e.to_string())?;
    c.batch_execute(sql).map_err(|e| e.to_string())
}

/// A signed-in session for a user without their password: for tests that need many
/// sessions (the access matrix) without paying for argon2 each time. Only code linked
/// into the binary can call it; no request reaches it.
pub fn session_for(store: &Store, user_id: i64) -> crate::access::sessions::NewSession {
    store
        .write(|c| {
            crate::access::sessions::create(
                c,
                store.backend(),
                user_id,
                crate::access::sessions::Stage::Full,
                "127.0.0.1",
                "test",
            )
        })
        .expect("a session")
}

impl Drop for TestDb {
    fn drop(&mut self) {
        match &self.cleanup {
            Cleanup::Files(dir) => {
                let _ = std::fs::remove_dir_all(dir);
            }
            Cleanup::PgDatabase { admin_url, name } => {
                if let Ok(mut admin) = PgConnection::establish(admin_url) {
                    let _ = admin
                        .batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"));
                }
            }
        }
    }
}

/// As [`both_backends!`], with a third run on an SQLite file encrypted with SQLCipher.
#[macro_export]
macro_rules! every_backend {
    ($( $(#[$m:meta])* fn $name:ident($db:ident) $body:block )*) => {
        $(
            mod $name {
                #[allow(unused_imports)]
                use super::*;

                $(#[$m])*
                #[test]
                fn sqlite() {
                    let $db = $crate::testing::TestDb::sqlite();
                    $body
                }

                $(#[$m])*
                #[test]
                fn sqlite_encrypted() {
                    let $db = $crate::testing::TestDb::sqlite_encrypted();
                    $body
                }

                $(#[$m])*
                #[test]
                fn postgres() {
                    let Some($db) = $crate::testing::TestDb::postgres() else { return };
                    $body
                }
            }
        )*
    };
}

/// Writes each test twice, once per database: `name::sqlite` and `name::postgres`.
#[macro_export]
macro_rules! both_backends {
    ($( $(#[$m:meta])* fn $name:ident($db:ident) $body:block )*) => {
        $(
            mod $name {
                #[allow(unused_imports)]
                use super::*;

                $(#[$m])*
                #[test]
                fn sqlite() {
                    let $db = $crate::testing::TestDb::sqlite();
                    $body
                }

                $(#[$m])*
                #[test]
                fn postgres() {
                    let Some($db) = $crate::testing::TestDb::postgres() else { return };
                    $body
                }
            }
        )*
    };
}
