//! What access control and the audit trail cost, on SQLite and PostgreSQL.
//!
//! - Sign-in latency: `POST /signin` through the router in-process (throttle check,
//!   argon2id verification, new session, audit entry), against the baseline `GET /healthz`
//!   through the same router; and argon2id verification alone.
//! - Audit overhead per request: `GET /cases/{id}` (session lookup, scope check, case
//!   load, one audit entry appended in the same transaction) against `GET /api/v1/me`
//!   (session lookup only); and one audit append alone.
//!
//! Prints p50 and p95 and ratios to the baseline measured in the same run.
//! Run: `cargo bench -p homeward --bench access`.

use axum::Router;
use axum::body::Body;
use axum::http::{Method, Request, header};
use homeward_domain::audit::Action;
use homeward_store::audit::Change;
use homeward_store::testing::{TestDb, session_for};
use homeward_store::{Actor, Store};
use homeward_web::{AppState, router};
use std::time::{Duration, Instant};
use tower::ServiceExt;

const ROUNDS: usize = 200;
const PASSWORD: &str = "amber-basil-cedar-delta-42";

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn measure(rounds: usize, mut f: impl FnMut(usize)) -> (Duration, Duration) {
    let mut times: Vec<Duration> = (0..rounds)
        .map(|i| {
            let t = Instant::now();
            f(i);
            t.elapsed()
        })
        .collect();
    times.sort();
    (percentile(&times, 0.5), percentile(&times, 0.95))
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

struct Bench {
    app: Router,
    rt: tokio::runtime::Runtime,
}

impl Bench {
    fn send(&self, method: Method, uri: &str, cookie: &str, body: String) -> u16 {
        let mut req = Request::builder().method(method).uri(uri);
        if !cookie.is_empty() {
            req = req.header(header::COOKIE, cookie);
        }
        if !body.is_empty() {
            req = req.header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
        }
        let req = req.body(Body::from(body)).expect("request");
        let app = self.app.clone();
        self.rt
            .block_on(async move { app.oneshot(req).await.expect("response").status().as_u16() })
    }
}

fn report(label: &str, (p50, p95): (Duration, Duration), base: (Duration, Duration)) {
    println!(
        "  {label:<58} p50 {:>7.2} ms  p95 {:>7.2} ms  (×{:.1} / ×{:.1} the baseline)",
        ms(p50),
        ms(p95),
        ms(p50) / ms(base.0).max(1e-6),
        ms(p95) / ms(base.1).max(1e-6)
    );
}

fn run(name: &str, store: Store) {
    println!("{name}:");
    homeward_interop::demo::load_people(&store, PASSWORD).expect("demo people");
    let bench = Bench {
        app: router(AppState::new(store.clone())),
        rt: tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("runtime"),
    };
    let health = measure(ROUNDS, |_| {
        assert_eq!(bench.send(Method::GET, "/healthz", "", String::new()), 200);
    });
    report("baseline: GET /healthz", health, health);
    // Each sign-in from its own address and account rotation, so throttling never engages.
    let emails = [
        "caseworker.oslo%40homeward.example",
        "office-manager.oslo%40homeward.example",
        "caseworker.tirana%40homeward.example",
        "office-manager.tirana%40homeward.example",
    ];
    let signin = measure(60, |i| {
        let body = format!(
            "_csrf=pre&email={}&password={PASSWORD}&next=",
            emails[i % emails.len()]
        );
        let status = bench.send(Method::POST, "/signin", "hw_pre=pre", body);
        assert_eq!(status, 303, "signed in");
    });
    report(
        "POST /signin (argon2id m=19 MiB t=2 p=1, session, audit)",
        signin,
        health,
    );
    let hash = homeward_domain::credentials::password::hash(PASSWORD).expect("hash");
    let verify = measure(60, |_| {
        assert!(homeward_domain::credentials::password::verify(
            PASSWORD, &hash
        ));
    });
    report("argon2id verification alone", verify, health);

    let user = store
        .user_by_email("caseworker.tirana@homeward.example")
        .expect("ok")
        .expect("user");
    let s = session_for(&store, user.id);
    let cookie = format!("hw_session={}", s.token);
    let me = measure(ROUNDS, |_| {
        assert_eq!(
            bench.send(Method::GET, "/api/v1/me", &cookie, String::new()),
            200
        );
    });
    report("baseline 2: GET /api/v1/me (session, no audit)", me, me);
    let view = measure(ROUNDS, |_| {
        assert_eq!(
            bench.send(Method::GET, "/api/v1/cases/1", &cookie, String::new()),
            200
        );
    });
    report(
        "GET /api/v1/cases/1 (session, scope, case, audit entry)",
        view,
        me,
    );
    let actor = Actor::console();
    let append = measure(ROUNDS, |i| {
        store
            .record(&actor, Change::new(Action::View, "bench", i))
            .expect("append");
    });
    report("one audit append alone (own transaction)", append, me);
    let t = Instant::now();
    let sealed = store.seal_audit().expect("seal");
    println!("  sealing {sealed} entries: {:.1} ms", ms(t.elapsed()));
    let n = store.audit_len().expect("len");
    let t = Instant::now();
    let verified = store.audit_verify().expect("ok").expect("intact");
    println!(
        "  audit verify: {verified} of {n} entries in {:.1} ms",
        ms(t.elapsed())
    );
}

fn main() {
    if !std::env::args().any(|a| a == "--bench") {
        // `cargo test` runs benches once as tests; the measurement is for `cargo bench`.
        return;
    }
    let sqlite = TestDb::sqlite();
    run("SQLite", sqlite.store.clone());
    match TestDb::postgres() {
        Some(db) => run("PostgreSQL", db.store.clone()),
        None => println!("PostgreSQL: not reachable, skipped"),
    }
}
