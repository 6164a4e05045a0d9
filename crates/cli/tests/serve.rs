//! `homeward serve`, `migrate` and `demo` as a user runs them.

mod support;

use std::process::Command;
use support::Server;

fn homeward(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_homeward"))
        .args(args)
        .env("HOMEWARD_LOG", "warn")
        .output()
        .expect("run homeward")
}

#[test]
fn serve_demo_answers_over_tcp() {
    let server = Server::start(None);
    assert_eq!(server.get("/healthz"), (200, "ok".to_owned()));
    let (status, body) = server.get("/projects/AU10P0004");
    assert_eq!(status, 200);
    assert!(body.contains("Capacity building for reintegration of non-IOM returnees in Samoa"));
    let (status, body) = server.get("/api/v1/projects?q=Albania&per_page=1");
    assert_eq!(status, 200);
    assert!(body.contains("\"total\":"));
}

#[test]
fn migrate_and_demo_fill_a_new_database_once() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("h.db");
    let db = db.to_str().unwrap();
    let out = homeward(&["migrate", "--database-url", db]);
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("migration(s) applied"));
    let again = homeward(&["migrate", "--database-url", db]);
    assert!(String::from_utf8_lossy(&again.stdout).starts_with("0 migration(s)"));
    for _ in 0..2 {
        let out = homeward(&["demo", "--projects", "50", "--database-url", db]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let store = homeward_store::Store::open(db).unwrap();
    assert_eq!(
        store.project_count().unwrap(),
        53,
        "a second demo run updates, not duplicates"
    );
}

#[test]
fn a_bad_database_url_is_a_clear_error() {
    let out = homeward(&[
        "migrate",
        "--database-url",
        "postgres://nobody@127.0.0.1:1/none",
    ]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("Error") && err.contains("127.0.0.1:1"),
        "{err}"
    );
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn serve_on_postgres() {
    let Some(db) = homeward_store::testing::TestDb::postgres() else {
        return;
    };
    let server = Server::start(Some(&db.url));
    assert_eq!(server.get("/healthz").0, 200);
    let (_, body) = server.get("/api/v1/projects/TC.0495");
    assert!(body.contains("\"status\":\"completed\""), "{body}");
}

#[test]
fn export_then_import_into_a_new_database() {
    let dir = tempfile::tempdir().unwrap();
    let first = dir.path().join("a.db");
    let second = dir.path().join("b.db");
    let (first, second) = (first.to_str().unwrap(), second.to_str().unwrap());
    assert!(
        homeward(&["demo", "--projects", "20", "--database-url", first])
            .status
            .success()
    );
    for (format, file) in [
        ("iati", "p.xml"),
        ("csv", "p.csv"),
        ("xlsx", "p.xlsx"),
        ("hxl", "h.csv"),
    ] {
        let out = dir.path().join(file);
        let run = homeward(&[
            "export",
            format,
            "--out",
            out.to_str().unwrap(),
            "--database-url",
            first,
        ]);
        assert!(
            run.status.success(),
            "{format}: {}",
            String::from_utf8_lossy(&run.stderr)
        );
    }
    let xml = dir.path().join("p.xml");
    let run = homeward(&[
        "import",
        "iati",
        xml.to_str().unwrap(),
        "--database-url",
        second,
    ]);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert!(String::from_utf8_lossy(&run.stdout).contains("23 project(s) created, 0 updated"));
    let csv = dir.path().join("p.csv");
    let run = homeward(&[
        "import",
        "projects",
        csv.to_str().unwrap(),
        "--database-url",
        second,
    ]);
    assert!(String::from_utf8_lossy(&run.stdout).contains("0 project(s) created, 23 updated"));
    let filtered = dir.path().join("europe.csv");
    let run = homeward(&[
        "export",
        "csv",
        "--query",
        "region=Europe&sort=oldest",
        "--out",
        filtered.to_str().unwrap(),
        "--database-url",
        second,
    ]);
    assert!(run.status.success());
    let text = std::fs::read_to_string(&filtered).unwrap();
    assert!(
        text.contains("\nTC.0495,") && !text.contains("AU10P0004"),
        "only Europe: {text}"
    );
}

#[test]
fn a_bad_import_says_where_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("a.db");
    let db = db.to_str().unwrap();
    let csv = dir.path().join("bad.csv");
    std::fs::write(
        &csv,
        "projects_id,title,year\nCD.0001,Fine,2020\nCD.0002,Bad,20x0\n",
    )
    .unwrap();
    let run = homeward(&[
        "import",
        "projects",
        csv.to_str().unwrap(),
        "--database-url",
        db,
    ]);
    assert!(!run.status.success());
    let err = String::from_utf8_lossy(&run.stderr);
    assert!(err.contains("row 3, field year"), "{err}");
    assert!(!err.contains("panicked"));
    let store = homeward_store::Store::open(db).unwrap();
    assert_eq!(store.project_count().unwrap(), 0);
    let run = homeward(&[
        "export",
        "csv",
        "--query",
        "year=soon",
        "--out",
        "x.csv",
        "--database-url",
        db,
    ]);
    assert!(String::from_utf8_lossy(&run.stderr).contains("--query: year"));
}

#[test]
fn reference_lists_are_edited_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("a.db");
    let db = db.to_str().unwrap();
    let listed = homeward(&["reference", "regions", "--database-url", db]);
    let text = String::from_utf8_lossy(&listed.stdout);
    assert!(
        text.contains("Asia and Oceania") && text.contains("Europe"),
        "{text}"
    );
    let added = homeward(&[
        "reference",
        "regions",
        "--add",
        "Africa",
        "--database-url",
        db,
    ]);
    assert!(String::from_utf8_lossy(&added.stdout).contains("Africa"));
    let renamed = homeward(&[
        "reference",
        "types",
        "--rename",
        "3",
        "--to",
        "Technical cooperation",
        "--database-url",
        db,
    ]);
    assert!(
        renamed.status.success(),
        "{}",
        String::from_utf8_lossy(&renamed.stderr)
    );
    let clash = homeward(&[
        "reference",
        "types",
        "--rename",
        "2",
        "--to",
        "technical cooperation",
        "--database-url",
        db,
    ]);
    assert!(!clash.status.success());
    assert!(String::from_utf8_lossy(&clash.stderr).contains("already in the list"));
}

/// `--log-format json`: one JSON object a line on standard error, each answer with its
/// request id, status and time.
#[test]
fn json_logs_carry_the_request_id() {
    use std::io::{BufRead, BufReader, Read, Write};
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("homeward.db");
    let mut child = Command::new(env!("CARGO_BIN_EXE_homeward"))
        .args([
            "--log-format",
            "json",
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--database-url",
        ])
        .arg(&db)
        .env("HOMEWARD_LOG", "info")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("start");
    let mut lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
    let addr = loop {
        let line = lines.next().expect("a line").expect("text");
        if let Some(i) = line.find("http://") {
            let url = line[i..].split_whitespace().next().unwrap_or_default();
            break url
                .trim_start_matches("http://")
                .trim_end_matches("/projects")
                .to_owned();
        }
    };
    let mut s = std::net::TcpStream::connect(&addr).expect("connect");
    write!(s, "GET /healthz HTTP/1.1\r\nHost: {addr}\r\nX-Request-Id: probe-7\r\nConnection: close\r\n\r\n").expect("send");
    let mut answer = String::new();
    s.read_to_string(&mut answer).expect("read");
    assert!(
        answer
            .to_ascii_lowercase()
            .contains("x-request-id: probe-7"),
        "{answer}"
    );
    std::thread::sleep(std::time::Duration::from_millis(200));
    let _ = child.kill();
    let _ = child.wait();
    let mut err = String::new();
    child
        .stderr
        .take()
        .expect("stderr")
        .read_to_string(&mut err)
        .expect("stderr");
    let line = err
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .find(|v| v["span"]["id"] == "probe-7")
        .unwrap_or_else(|| panic!("a JSON line with the request id: {err}"));
    assert_eq!(line["fields"]["message"], "answered", "{line}");
    assert_eq!(line["fields"]["status"], 200, "{line}");
}

#[test]
fn the_server_seals_the_audit_trail_as_it_goes() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("h.db");
    let db = db.to_str().unwrap();
    let _server = Server::start(Some(db));
    // Loading the demo wrote entries; the running server's sealer chains them within a
    // moment, with no command run against it.
    let started = std::time::Instant::now();
    loop {
        let out = homeward(&["audit", "verify", "--database-url", db]);
        let text = String::from_utf8_lossy(&out.stdout).into_owned();
        assert!(out.status.success(), "{text}");
        if !text.contains("not yet sealed") {
            assert!(text.contains("intact"), "{text}");
            break;
        }
        assert!(started.elapsed().as_secs() < 20, "still unsealed: {text}");
        std::thread::sleep(std::time::Duration::from_millis(200));
    }
}
