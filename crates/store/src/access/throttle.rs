//! Throttling of failed sign-ins, per account and per client address, kept in the
//! database so every app server counts the same failures.

use crate::db::sql::Sql;
use crate::{Backend, DbConnection, StoreError};
use diesel::QueryableByName;
use diesel::sql_types::{BigInt, Nullable, Text};

/// Failures for one account from one address within the window that lock that address
/// out of that account for [`LOCK_MINUTES`]; the owner signing in from elsewhere, or
/// through an emailed link, is not locked out.
pub const ACCOUNT_LIMIT: i64 = 5;
/// Failures for one account from any addresses that lock the account itself: guessing
/// spread over many addresses stays bounded.
pub const ACCOUNT_WIDE_LIMIT: i64 = 50;
/// Failures from one address (any accounts) within the window that lock the address.
pub const ADDRESS_LIMIT: i64 = 20;
pub const WINDOW_MINUTES: i64 = 15;
pub const LOCK_MINUTES: i64 = 15;

#[derive(QueryableByName)]
struct Row {
    #[diesel(sql_type = BigInt)]
    failures: i64,
    #[diesel(sql_type = Text)]
    window_start: String,
    #[diesel(sql_type = Nullable<Text>)]
    locked_until: Option<String>,
}

pub(crate) fn account_key(email: &str) -> String {
    format!("account:{}", email.trim().to_lowercase())
}

pub(crate) fn attempt_key(email: &str, ip: &str) -> String {
    format!("attempt:{} from {ip}", email.trim().to_lowercase())
}

/// The keys one sign-in attempt counts against and is checked on.
pub(crate) fn keys(email: &str, ip: &str) -> [String; 3] {
    [attempt_key(email, ip), account_key(email), address_key(ip)]
}

pub(crate) fn address_key(ip: &str) -> String {
    format!("address:{ip}")
}

fn limit_of(key: &str) -> i64 {
    if key.starts_with("address:") {
        ADDRESS_LIMIT
    } else if key.starts_with("attempt:") {
        ACCOUNT_LIMIT
    } else {
        ACCOUNT_WIDE_LIMIT
    }
}

fn row(conn: &mut DbConnection, backend: Backend, key: &str) -> Result<Option<Row>, StoreError> {
    let mut q = Sql::new(backend);
    q.push("SELECT failures, window_start, locked_until FROM signin_failures WHERE key = ")
        .text(key);
    Ok(q.load(conn)?.into_iter().next())
}

/// The latest time any of the keys is locked until, if one is locked now.
pub(crate) fn locked_until(
    conn: &mut DbConnection,
    backend: Backend,
    keys: &[String],
) -> Result<Option<String>, StoreError> {
    let now = crate::utc_now();
    let mut latest: Option<String> = None;
    for k in keys {
        if let Some(until) = row(conn, backend, k)?.and_then(|r| r.locked_until)
            && until > now
            && latest.as_ref().is_none_or(|l| until > *l)
        {
            latest = Some(until);
        }
    }
    Ok(latest)
}

/// Counts a failure against each key, locking those that reach their limit.
pub(crate) fn fail(
    conn: &mut DbConnection,
    backend: Backend,
    keys: &[String],
) -> Result<(), StoreError> {
    let now = crate::utc_now();
    let window_floor = crate::clock::utc_after(-WINDOW_MINUTES * 60);
    for k in keys {
        let (failures, start) = match row(conn, backend, k)? {
            Some(r) if r.window_start > window_floor => (r.failures + 1, r.window_start),
            Some(_) | None => (1, now.clone()),
        };
        let lock = (failures >= limit_of(k)).then(|| crate::clock::utc_after(LOCK_MINUTES * 60));
        let mut del = Sql::new(backend);
        del.push("DELETE FROM signin_failures WHERE key = ")
            .text(k.clone());
        del.execute(conn)?;
        let mut ins = Sql::new(backend);
        ins.push(
            "INSERT INTO signin_failures (key, failures, window_start, locked_until) VALUES (",
        )
        .text(k.clone())
        .push(", ")
        .int(failures)
        .push(", ")
        .text(start)
        .push(", ")
        .opt_text(lock)
        .push(")");
        ins.execute(conn)?;
    }
    Ok(())
}

/// Forgets the failures of a key (after a successful sign-in to that account).
pub(crate) fn clear(
    conn: &mut DbConnection,
    backend: Backend,
    key: &str,
) -> Result<(), StoreError> {
    let mut q = Sql::new(backend);
    q.push("DELETE FROM signin_failures WHERE key = ").text(key);
    q.execute(conn)?;
    Ok(())
}

/// Minutes (rounded up) from now until an instant.
pub fn minutes_until(instant: &str) -> i64 {
    let now = crate::clock::unix_now() as i64;
    let secs = crate::clock::parse_unix(instant).unwrap_or(now) - now;
    (secs.max(0) + 59) / 60
}
