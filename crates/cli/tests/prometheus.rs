//! Prometheus itself (Debian's `prometheus`) scrapes a running server's metrics address
//! and answers a query for its request counter; the public address has no /metrics.

mod support;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};
use support::Server;

fn http_get(addr: &str, path: &str) -> Option<String> {
    let mut s = TcpStream::connect(addr).ok()?;
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .ok()?;
    let mut raw = String::new();
    s.read_to_string(&mut raw).ok()?;
    Some(raw)
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

#[test]
fn prometheus_scrapes_the_metrics_address_and_answers_a_query() {
    if Command::new("prometheus")
        .arg("--version")
        .output()
        .is_err()
    {
        assert!(
            !homeward_store::testing::in_ci(),
            "prometheus is missing (Debian package prometheus; .ci/run installs it)"
        );
        eprintln!("skipped: prometheus is not installed");
        return;
    }
    let server = Server::start_with(None, &["--metrics-listen".into(), "127.0.0.1:0".into()]);
    let metrics = server
        .said
        .iter()
        .find_map(|l| l.strip_prefix("Metrics for Prometheus at "))
        .and_then(|r| r.split("/metrics").next())
        .unwrap_or_else(|| panic!("the metrics address is said: {:?}", server.said))
        .to_owned();
    assert_eq!(server.get("/metrics").0, 404, "not on the public address");
    for _ in 0..3 {
        assert_eq!(server.get("/projects").0, 200);
    }
    let dir = tempfile::tempdir().expect("dir");
    let conf = dir.path().join("prometheus.yml");
    std::fs::write(
        &conf,
        format!(
            "global:\n  scrape_interval: 1s\nscrape_configs:\n  - job_name: homeward\n    static_configs:\n      - targets: [\"{metrics}\"]\n"
        ),
    )
    .expect("write");
    let web = format!("127.0.0.1:{}", free_port());
    let mut prom = Command::new("prometheus")
        .arg(format!("--config.file={}", conf.display()))
        .arg(format!(
            "--storage.tsdb.path={}",
            dir.path().join("data").display()
        ))
        .arg(format!("--web.listen-address={web}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start prometheus");
    let query = "/api/v1/query?query=homeward_http_requests_total%7Broute%3D%22%2Fprojects%22%2Cstatus%3D%22200%22%7D";
    let started = Instant::now();
    let mut last = String::new();
    let answered = loop {
        if let Some(raw) = http_get(&web, query) {
            if raw.contains("\"homeward_http_requests_total\"") && raw.contains("\"3\"") {
                break true;
            }
            last = raw;
        }
        if started.elapsed() > Duration::from_secs(60) {
            break false;
        }
        std::thread::sleep(Duration::from_millis(500));
    };
    let _ = prom.kill();
    let _ = prom.wait();
    assert!(
        answered,
        "Prometheus answers with the three requests; last answer: {last}"
    );
}
