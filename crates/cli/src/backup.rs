//! `homeward backup --out FILE` and `homeward restore FILE`: a consistent copy taken while
//! the server keeps serving (SQLite's own `VACUUM INTO`; PostgreSQL's `pg_dump` in custom
//! format), checked before it is called a backup (it opens, its migrations are current,
//! its audit trail verifies); and a restore into an empty database only, unless forced.

use anyhow::{Context, Result, anyhow, bail};
use homeward_store::{Backend, DatabaseKey, Store};
use std::path::Path;
use std::process::Command;

/// Runs a PostgreSQL client program, naming it when it is missing.
fn run(program: &str, args: &[&str]) -> Result<()> {
    let out = Command::new(program).args(args).output().map_err(|e| {
        anyhow!(
            "{program} could not be started ({e}): install the PostgreSQL client programs \
             (Debian: postgresql-client) of the server's version"
        )
    })?;
    if !out.status.success() {
        bail!(
            "{program} failed: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        );
    }
    Ok(())
}

/// The same server's URL for another database.
fn with_database(url: &str, name: &str) -> String {
    let (base, query) = url.split_once('?').map_or((url, ""), |(b, q)| (b, q));
    let base = match base.rfind('/') {
        Some(i) if i > "postgres://".len() => &base[..i],
        _ => base,
    };
    if query.is_empty() {
        format!("{base}/{name}")
    } else {
        format!("{base}/{name}?{query}")
    }
}

/// Checks a database holding a copy: current migrations and an intact audit trail.
fn check(store: &Store) -> Result<u64> {
    let pending = store.pending_migrations()?;
    if pending > 0 {
        bail!("the copy lacks {pending} migration(s) of this version");
    }
    store
        .audit_verify()?
        .map_err(|b| anyhow!("the copy's audit trail does not verify: {b}"))
}

/// `key` is the encrypted SQLite file's: the backup is encrypted under it too.
pub fn backup(url: &str, key: Option<DatabaseKey>, out: &Path) -> Result<()> {
    if out.exists() {
        bail!("{} exists already: choose a new file", out.display());
    }
    let store = Store::connect_keyed(url, key.clone())
        .with_context(|| format!("cannot open {}", homeward_store::redact_url(url)))?;
    println!("Copying the database to {} …", out.display());
    match store.backend() {
        Backend::Sqlite => {
            store.copy_sqlite_to(out)?;
            println!("Checking the copy …");
            let copy = Store::connect_keyed(&out.to_string_lossy(), key)?;
            let n = check(&copy)?;
            println!(
                "Backup written to {} ({} KB): migrations current, {n} audit entries verified.",
                out.display(),
                std::fs::metadata(out).map(|m| m.len() / 1024).unwrap_or(0)
            );
        }
        Backend::Postgres => {
            let file = out.to_string_lossy();
            run(
                "pg_dump",
                &["--format=custom", "--no-owner", "--file", &file, url],
            )?;
            println!("Checking the copy in a scratch database …");
            let scratch = format!("homeward_check_{}", std::process::id());
            run("createdb", &["--maintenance-db", url, &scratch])?;
            let scratch_url = with_database(url, &scratch);
            let checked = run(
                "pg_restore",
                &["--no-owner", "--dbname", &scratch_url, &file],
            )
            .and_then(|()| check(&Store::connect(&scratch_url)?));
            let dropped = run(
                "dropdb",
                &["--maintenance-db", url, "--if-exists", &scratch],
            );
            let n = checked?;
            dropped?;
            println!(
                "Backup written to {} ({} KB): migrations current, {n} audit entries verified.",
                out.display(),
                std::fs::metadata(out).map(|m| m.len() / 1024).unwrap_or(0)
            );
        }
    }
    Ok(())
}

/// `key` opens the backup and the restored file alike (an encrypted backup restores
/// encrypted).
pub fn restore(file: &Path, url: &str, key: Option<DatabaseKey>, force: bool) -> Result<()> {
    if !file.exists() {
        bail!("{} does not exist", file.display());
    }
    let target = Store::connect_keyed(url, key.clone())
        .with_context(|| format!("cannot open {}", homeward_store::redact_url(url)))?;
    let occupied = target.holds_tables()?;
    if occupied && !force {
        bail!(
            "{} is not empty: restore into a new database, or add --force to replace what it holds",
            homeward_store::redact_url(url)
        );
    }
    println!("Restoring {} …", file.display());
    match target.backend() {
        Backend::Sqlite => {
            let copy = Store::connect_keyed(&file.to_string_lossy(), key.clone())
                .with_context(|| format!("{} is not a Homeward SQLite backup", file.display()))?;
            check(&copy)?;
            drop(copy);
            drop(target);
            let path = Path::new(url.trim_start_matches("sqlite://"));
            for side in ["-wal", "-shm"] {
                let _ = std::fs::remove_file(format!("{}{side}", path.display()));
            }
            std::fs::copy(file, path)
                .with_context(|| format!("cannot write {}", path.display()))?;
        }
        Backend::Postgres => {
            drop(target);
            let f = file.to_string_lossy();
            let mut args = vec!["--no-owner", "--dbname", url];
            if occupied {
                args.extend(["--clean", "--if-exists"]);
            }
            args.push(&f);
            run("pg_restore", &args)?;
        }
    }
    // A backup of an older version is brought up to this one.
    let restored = Store::open_keyed(url, key)?;
    let n = check(&restored)?;
    println!("Restored: migrations current, {n} audit entries verified.");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn another_database_on_the_same_server() {
        assert_eq!(
            with_database("postgres://u@h:5432/homeward", "x"),
            "postgres://u@h:5432/x"
        );
        assert_eq!(
            with_database("postgres://u@h/homeward?sslmode=require", "x"),
            "postgres://u@h/x?sslmode=require"
        );
    }
}
