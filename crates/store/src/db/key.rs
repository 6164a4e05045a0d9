//! Encryption at rest for the embedded database: the SQLite file is encrypted with
//! SQLCipher under a key read from a file (never from the command line, where other users
//! could read it); encrypting a plain file in place and changing the key.

use crate::StoreError;
use diesel::connection::SimpleConnection;
use diesel::{Connection, SqliteConnection};
use std::path::Path;

/// A database key: a passphrase as read from its file (SQLCipher derives the key from it
/// on each connection), or 32 raw bytes (no derivation). Shown as `DatabaseKey(…)`.
#[derive(Clone, PartialEq, Eq)]
pub struct DatabaseKey(Secret);

#[derive(Clone, PartialEq, Eq)]
enum Secret {
    Passphrase(String),
    Raw([u8; 32]),
}

impl std::fmt::Debug for DatabaseKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DatabaseKey(…)")
    }
}

/// The shortest passphrase taken: shorter ones are guessed.
const SHORTEST: usize = 16;

impl DatabaseKey {
    /// The key in `path`: its first line, which only its owner may read.
    pub fn from_file(path: &Path) -> Result<DatabaseKey, StoreError> {
        let bad = |why: String| {
            StoreError::Key(format!("the database key file {}: {why}", path.display()))
        };
        let meta = std::fs::metadata(path).map_err(|e| bad(format!("cannot be read ({e})")))?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            if meta.permissions().mode() & 0o077 != 0 {
                return Err(bad("other users can read it: chmod 600 it".into()));
            }
        }
        #[cfg(not(unix))]
        let _ = meta;
        let text =
            std::fs::read_to_string(path).map_err(|e| bad(format!("cannot be read ({e})")))?;
        let key = text
            .lines()
            .next()
            .unwrap_or_default()
            .trim_end_matches('\r');
        if key.chars().count() < SHORTEST {
            return Err(bad(format!(
                "the key must be at least {SHORTEST} characters"
            )));
        }
        Ok(DatabaseKey(Secret::Passphrase(key.to_owned())))
    }

    /// A key of 32 raw bytes: opening costs no derivation (tests open many databases).
    pub fn raw(bytes: [u8; 32]) -> DatabaseKey {
        DatabaseKey(Secret::Raw(bytes))
    }

    fn quoted(&self) -> String {
        match &self.0 {
            Secret::Passphrase(p) => format!("'{}'", p.replace('\'', "''")),
            Secret::Raw(b) => format!("\"x'{}'\"", homeward_domain::credentials::secret::hex(b)),
        }
    }
}

/// Opens an SQLite connection with `key` (or none) and checks the file can be read, so a
/// wrong or missing key is one sentence, not an error from the middle of a query.
pub(crate) fn open_sqlite(
    path: &str,
    key: Option<&DatabaseKey>,
) -> Result<SqliteConnection, diesel::ConnectionError> {
    let mut c = SqliteConnection::establish(path)?;
    if let Some(k) = key {
        // A wrong key is said once, in words, not also logged by SQLCipher.
        c.batch_execute(&format!(
            "PRAGMA key = {}; PRAGMA cipher_log_level = NONE;",
            k.quoted()
        ))
        .map_err(|e| diesel::ConnectionError::BadConnection(e.to_string()))?;
    }
    c.batch_execute("SELECT count(*) FROM sqlite_master")
        .map_err(|e| {
            let m = e.to_string();
            diesel::ConnectionError::BadConnection(if !m.contains("not a database") {
                m
            } else if key.is_some() {
                "the key does not open it: the key is wrong, or the file is not encrypted \
                 (homeward db encrypt encrypts it)"
                    .to_owned()
            } else {
                "it is encrypted, or not an SQLite database: name its key file with \
                 HOMEWARD_DATABASE_KEY_FILE (or --database-key-file)"
                    .to_owned()
            })
        })?;
    Ok(c)
}

fn open(path: &str, key: Option<&DatabaseKey>) -> Result<SqliteConnection, StoreError> {
    open_sqlite(path, key).map_err(|e| StoreError::Key(format!("{path}: {e}")))
}

/// Encrypts the plain SQLite file at `path` with `key`: written to a new file beside it,
/// then renamed over it (no server may have it open).
pub fn encrypt_sqlite(path: &str, key: &DatabaseKey) -> Result<(), StoreError> {
    let mut c = open(path, None)?;
    let tmp = format!("{path}.encrypting");
    let _ = std::fs::remove_file(&tmp);
    let sql = format!(
        "PRAGMA wal_checkpoint(TRUNCATE); ATTACH DATABASE '{}' AS encrypted KEY {}; \
         SELECT sqlcipher_export('encrypted'); DETACH DATABASE encrypted;",
        tmp.replace('\'', "''"),
        key.quoted()
    );
    c.batch_execute(&sql)
        .map_err(|e| StoreError::Key(format!("{path} could not be encrypted: {e}")))?;
    drop(c);
    std::fs::rename(&tmp, path)
        .map_err(|e| StoreError::Key(format!("{path} could not be replaced: {e}")))?;
    for side in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{path}{side}"));
    }
    // The new file opens with the key.
    open(path, Some(key)).map(|_| ())
}

/// Changes the key of the encrypted SQLite file at `path` from `old` to `new`.
pub fn rekey_sqlite(path: &str, old: &DatabaseKey, new: &DatabaseKey) -> Result<(), StoreError> {
    let mut c = open(path, Some(old))?;
    // The key is changed with the whole file rewritten, outside write-ahead logging.
    c.batch_execute(&format!(
        "PRAGMA journal_mode = DELETE; PRAGMA rekey = {}; PRAGMA journal_mode = WAL;",
        new.quoted()
    ))
    .map_err(|e| StoreError::Key(format!("{path}: the key could not be changed: {e}")))?;
    drop(c);
    open(path, Some(new)).map(|_| ())
}

/// Writes a consistent copy of the open encrypted database to `target` under the same
/// key (SQLite's own copy would write it in clear).
pub(crate) fn export_encrypted(
    c: &mut SqliteConnection,
    target: &str,
    key: &DatabaseKey,
) -> Result<(), StoreError> {
    c.batch_execute(&format!(
        "ATTACH DATABASE '{}' AS copy KEY {}; SELECT sqlcipher_export('copy'); DETACH DATABASE copy;",
        target.replace('\'', "''"),
        key.quoted()
    ))
    .map_err(|e| StoreError::Key(format!("the encrypted copy failed: {e}")))
}
