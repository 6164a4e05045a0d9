//! `homeward user add` and `homeward audit verify` as an operator runs them, on an SQLite
//! file and on PostgreSQL.

use homeward_store::testing::TestDb;
use std::io::Write;
use std::process::{Command, Output, Stdio};

fn homeward(args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_homeward"))
        .args(args)
        .env("HOMEWARD_LOG", "warn")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run homeward");
    if let Some(input) = stdin
        && let Some(mut s) = child.stdin.take()
    {
        s.write_all(input.as_bytes()).expect("write stdin");
    }
    drop(child.stdin.take());
    child.wait_with_output().expect("finish")
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

fn first_run_then_tamper(url: &str, db: &TestDb) {
    // No office yet: the command says how to create one.
    let o = homeward(
        &[
            "user",
            "add",
            "--email",
            "root@example.org",
            "--role",
            "administrator",
            "--office",
            "IOM Tirana",
            "--database-url",
            url,
        ],
        None,
    );
    assert!(!o.status.success());
    assert!(text(&o).contains("--office-country"), "{}", text(&o));
    // A generated password, printed once.
    let o = homeward(
        &[
            "user",
            "add",
            "--email",
            "root@example.org",
            "--role",
            "administrator",
            "--office",
            "IOM Tirana",
            "--office-country",
            "AL",
            "--database-url",
            url,
        ],
        None,
    );
    assert!(o.status.success(), "{}", text(&o));
    let out = text(&o);
    let pw = out
        .lines()
        .find_map(|l| l.strip_prefix("Password (shown once): "))
        .expect("printed password")
        .trim()
        .to_owned();
    assert!(matches!(
        db.store
            .sign_in("root@example.org", &pw, "10.0.0.1", "t")
            .expect("ok"),
        homeward_store::access::auth::SignIn::Done(_)
    ));
    // A password from standard input must meet the policy.
    let weak = homeward(
        &[
            "user",
            "add",
            "--email",
            "b@example.org",
            "--role",
            "caseworker",
            "--office",
            "IOM Tirana",
            "--password-stdin",
            "--database-url",
            url,
        ],
        Some("password123\n"),
    );
    assert!(!weak.status.success());
    assert!(text(&weak).contains("password"), "{}", text(&weak));
    let ok = homeward(
        &[
            "user",
            "add",
            "--email",
            "b@example.org",
            "--role",
            "caseworker",
            "--office",
            "IOM Tirana",
            "--password-stdin",
            "--database-url",
            url,
        ],
        Some("copper lantern orchard drift\n"),
    );
    assert!(ok.status.success(), "{}", text(&ok));
    assert!(
        !text(&ok).contains("copper lantern"),
        "a typed password is not echoed"
    );
    let bad_role = homeward(
        &[
            "user",
            "add",
            "--email",
            "c@example.org",
            "--role",
            "root",
            "--office",
            "IOM Tirana",
            "--database-url",
            url,
        ],
        None,
    );
    assert!(text(&bad_role).contains("--role"), "{}", text(&bad_role));

    let o = homeward(&["audit", "verify", "--database-url", url], None);
    assert!(o.status.success(), "{:?} {}", o.status, text(&o));
    assert!(text(&o).contains("intact"));
    db.execute(match db.store.backend() {
        homeward_store::Backend::Sqlite => "DROP TRIGGER audit_events_no_update",
        homeward_store::Backend::Postgres => "ALTER TABLE audit_events DISABLE TRIGGER USER",
    });
    db.execute("UPDATE audit_events SET ip = '203.0.113.9' WHERE seq = 2");
    let o = homeward(&["audit", "verify", "--database-url", url], None);
    assert_eq!(o.status.code(), Some(1));
    assert!(text(&o).contains("entry 2 was changed"), "{}", text(&o));
}

#[test]
fn first_run_and_audit_verify_on_sqlite() {
    let db = TestDb::sqlite();
    let url = db.url.clone();
    first_run_then_tamper(&url, &db);
}

#[test]
fn first_run_and_audit_verify_on_postgres() {
    let Some(db) = TestDb::postgres() else { return };
    let url = db.url.clone();
    first_run_then_tamper(&url, &db);
}

#[test]
fn exchange_rates_are_imported_whole_or_not_at_all() {
    let db = TestDb::sqlite();
    let dir = tempfile::tempdir().expect("dir");
    let bad = dir.path().join("bad.csv");
    std::fs::write(
        &bad,
        "currency,date,usd_per_unit\nALL,2013-02-01,0.0094\nWST,2013-02-01,abc\n",
    )
    .expect("write");
    let o = homeward(
        &[
            "rates",
            "import",
            bad.to_str().expect("path"),
            "--database-url",
            &db.url,
        ],
        None,
    );
    assert!(!o.status.success());
    assert!(
        text(&o).contains("row 3, field usd_per_unit"),
        "{}",
        text(&o)
    );
    assert!(db.store.rates(10).expect("ok").is_empty(), "nothing saved");
    let good = dir.path().join("good.csv");
    std::fs::write(&good, "currency,date,usd_per_unit,source\nALL,2013-02-01,0.0094,Bank of Albania\nWST,2013-02-01,0.44,\n").expect("write");
    let o = homeward(
        &[
            "rates",
            "import",
            good.to_str().expect("path"),
            "--database-url",
            &db.url,
        ],
        None,
    );
    assert!(o.status.success(), "{}", text(&o));
    assert!(text(&o).contains("2 rate(s) added, 0 replaced."));
    let rates = db.store.rates(10).expect("ok");
    assert_eq!(rates.len(), 2);
    assert!(
        rates
            .iter()
            .any(|r| r.source == "import" && r.currency.as_str() == "WST")
    );
}
