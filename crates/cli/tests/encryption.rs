//! Encryption at rest for SQLite, through the real binary: the demo written into an
//! encrypted file leaves no returnee's name in its bytes nor its write-ahead log (a plain
//! file does), opens with its key and is refused with a wrong or missing one in a
//! sentence; its backup is encrypted too and restores; a plain file is encrypted in place
//! and a key is changed.

mod support;

use std::path::Path;
use std::process::Command;
use support::Server;

const NAMES: [&str; 5] = ["Besnik", "Tregim", "Elira", "Demokrati", "Tropoj"];

fn key_file(dir: &Path, name: &str, key: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, format!("{key}\n")).expect("write the key");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).expect("chmod");
    }
    path.to_string_lossy().into_owned()
}

/// Runs `homeward` with the key file `key` (or none); whether it succeeded, and what it said.
fn homeward(key: Option<&str>, args: &[&str]) -> (bool, String) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_homeward"));
    cmd.args(args)
        .env("RUST_BACKTRACE", "0")
        .env_remove("HOMEWARD_DATABASE_KEY_FILE");
    if let Some(k) = key {
        cmd.env("HOMEWARD_DATABASE_KEY_FILE", k);
    }
    let out = cmd.output().expect("run homeward");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

/// The names of the demo found in a database's file and its log.
fn names_in(db: &Path) -> Vec<&'static str> {
    let mut bytes = std::fs::read(db).expect("the database file");
    bytes.extend(std::fs::read(format!("{}-wal", db.display())).unwrap_or_default());
    NAMES
        .into_iter()
        .filter(|n| bytes.windows(n.len()).any(|w| w == n.as_bytes()))
        .collect()
}

fn demo(db: &Path, extra: &[String]) {
    let server = Server::start_with(Some(&db.to_string_lossy()), extra);
    let (status, body) = server.get("/projects/TC.0495");
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("TC.0495"));
}

#[test]
fn an_encrypted_database_names_nobody_and_opens_only_with_its_key() {
    let dir = tempfile::tempdir().expect("dir");
    let key = key_file(dir.path(), "key", "field-laptop-passphrase-2026");
    let wrong = key_file(dir.path(), "wrong", "not-the-right-passphrase-0000");
    let url = |f: &str| dir.path().join(f).to_string_lossy().into_owned();

    // A plain demo holds the names in clear: the search below finds them.
    let plain = dir.path().join("plain.db");
    demo(&plain, &[]);
    assert_eq!(
        names_in(&plain).len(),
        NAMES.len(),
        "a plain file shows every name"
    );

    let db = dir.path().join("homeward.db");
    demo(&db, &["--database-key-file".into(), key.clone()]);
    assert_eq!(
        names_in(&db),
        Vec::<&str>::new(),
        "no name in the encrypted file or its log"
    );

    let (ok, said) = homeward(
        Some(&key),
        &["audit", "verify", "--database-url", &url("homeward.db")],
    );
    assert!(ok && said.contains("The audit trail is intact"), "{said}");
    let (ok, said) = homeward(
        Some(&wrong),
        &["audit", "verify", "--database-url", &url("homeward.db")],
    );
    assert!(
        !ok && said.contains("the key does not open it: the key is wrong"),
        "{said}"
    );
    assert!(
        !said.contains("hmac") && !said.contains("panicked"),
        "one sentence, no noise: {said}"
    );
    let (ok, said) = homeward(
        None,
        &["audit", "verify", "--database-url", &url("homeward.db")],
    );
    assert!(
        !ok && said.contains("it is encrypted") && said.contains("HOMEWARD_DATABASE_KEY_FILE"),
        "{said}"
    );
    let loose = dir.path().join("loose");
    std::fs::write(&loose, "readable-by-everyone-key-12345\n").expect("write");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&loose, std::fs::Permissions::from_mode(0o644)).expect("chmod");
        let (ok, said) = homeward(
            Some(&loose.to_string_lossy()),
            &["audit", "verify", "--database-url", &url("homeward.db")],
        );
        assert!(!ok && said.contains("other users can read it"), "{said}");
    }

    // Its backup is encrypted under the same key, and restores.
    let backup = dir.path().join("homeward.backup");
    let (ok, said) = homeward(
        Some(&key),
        &[
            "backup",
            "--database-url",
            &url("homeward.db"),
            "--out",
            &backup.to_string_lossy(),
        ],
    );
    assert!(ok, "{said}");
    assert_eq!(
        names_in(&backup),
        Vec::<&str>::new(),
        "the backup is encrypted"
    );
    let (ok, said) = homeward(
        Some(&key),
        &[
            "restore",
            &backup.to_string_lossy(),
            "--database-url",
            &url("restored.db"),
        ],
    );
    assert!(ok && said.contains("Restored"), "{said}");
    let (ok, _) = homeward(
        None,
        &["audit", "verify", "--database-url", &url("restored.db")],
    );
    assert!(!ok, "the restored file is encrypted too");

    // A new key: the old one no longer opens it.
    let new = key_file(dir.path(), "new", "the-new-passphrase-after-rotation");
    let (ok, said) = homeward(
        Some(&key),
        &[
            "db",
            "rekey",
            "--new-key-file",
            &new,
            "--database-url",
            &url("homeward.db"),
        ],
    );
    assert!(ok, "{said}");
    assert!(
        homeward(
            Some(&new),
            &["audit", "verify", "--database-url", &url("homeward.db")]
        )
        .0
    );
    assert!(
        !homeward(
            Some(&key),
            &["audit", "verify", "--database-url", &url("homeward.db")]
        )
        .0
    );

    // The plain file encrypted in place: the names are gone from its bytes, and it opens
    // with the key only.
    let (ok, said) = homeward(
        Some(&key),
        &["db", "encrypt", "--database-url", &url("plain.db")],
    );
    assert!(ok, "{said}");
    assert_eq!(names_in(&plain), Vec::<&str>::new());
    let (ok, said) = homeward(
        Some(&key),
        &["audit", "verify", "--database-url", &url("plain.db")],
    );
    assert!(ok && said.contains("intact"), "{said}");
    let (ok, said) = homeward(
        Some(&key),
        &["db", "encrypt", "--database-url", &url("plain.db")],
    );
    assert!(
        !ok && said.contains("it is encrypted"),
        "twice is refused: {said}"
    );
}
