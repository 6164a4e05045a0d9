//! The dashboard at scale, on SQLite and PostgreSQL: a million synthetic returnees (or
//! `HOMEWARD_BENCH_RETURNEES`) with their surveys (about three per returnee who came
//! home), then `GET /dashboard` through the router in-process, as Tirana's M&E officer
//! (every case, small numbers withheld) and office manager (the office's cases), with no
//! filter, one and several: target p95 under 300 ms for every view of the page.
//!
//! Prints p50 and p95 and the ratio to a baseline measured in the same run (the public
//! page of one project). Run: `cargo bench -p homeward --bench dashboard`. To measure
//! again without loading again, load once with `homeward demo --returnees 1000000
//! --database-url …` and set `HOMEWARD_BENCH_SQLITE=<file>` and/or `HOMEWARD_BENCH_PG=<url>`
//! (`skip` to leave either out).

use axum::body::Body;
use axum::http::{Request, header};
use homeward_store::Store;
use homeward_store::testing::{TestDb, session_for};
use homeward_web::{AppState, router};
use std::time::{Duration, Instant};
use tower::ServiceExt;

/// Rounds per line; `HOMEWARD_BENCH_ROUNDS` overrides (a page can take seconds).
fn rounds() -> usize {
    std::env::var("HOMEWARD_BENCH_ROUNDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20)
}
const TARGET_MS: f64 = 300.0;

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn run(name: &str, url: &str, store: Store, n: usize, load: bool) {
    println!("{name}:");
    if load {
        let password = homeward_interop::demo::demo_password();
        homeward_interop::demo::load_people(&store, &password).expect("demo people");
        let t = Instant::now();
        homeward_interop::demo::load_returnees(&store, n, &password).expect("returnees");
        println!(
            "  loaded {n} returnees in {:.1} s",
            t.elapsed().as_secs_f64()
        );
    }
    // The facts every dashboard counts, read whole once (a server does this at start).
    let t = Instant::now();
    let (cases, bytes) = store.warm_dashboards().expect("facts");
    let whole = t.elapsed();
    println!(
        "  dashboard facts: {cases} cases read in {:.1} s, {:.0} MiB in memory ({:.0} bytes a case)",
        whole.as_secs_f64(),
        bytes as f64 / f64::from(1 << 20),
        bytes as f64 / cases.max(1) as f64
    );
    // Stored in the database (as a server does), then a server starting on that database:
    // the stored facts and the cases changed since, against reading every case.
    let t = Instant::now();
    let stored = store.store_dashboard_facts().expect("store").unwrap_or(0);
    println!(
        "  facts stored: {:.0} MiB in {:.1} s",
        stored as f64 / f64::from(1 << 20),
        t.elapsed().as_secs_f64()
    );
    let t = Instant::now();
    let next = Store::open(url).expect("a second server");
    next.warm_dashboards().expect("facts from the stored ones");
    let started = t.elapsed();
    let from_stored = next.stats().facts.is_some_and(|f| f.from_stored);
    println!(
        "  a server starting: facts ready in {:.2} s from the stored facts ({from_stored}), \
         {:.2}x the whole read (target: under 3 s at a million)",
        started.as_secs_f64(),
        started.as_secs_f64() / whole.as_secs_f64()
    );
    drop(next);
    let app = router(AppState::new(store.clone()));
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    let get = |uri: &str, cookie: &str| {
        let req = Request::builder()
            .uri(uri)
            .header(header::COOKIE, cookie)
            .body(Body::empty())
            .expect("request");
        let app = app.clone();
        let t = Instant::now();
        let (status, size) = rt.block_on(async move {
            let res = app.oneshot(req).await.expect("response");
            let status = res.status().as_u16();
            let body = axum::body::to_bytes(res.into_body(), 10 << 20)
                .await
                .expect("body");
            (status, body.len())
        });
        assert_eq!(status, 200, "{uri}");
        (t.elapsed(), size)
    };
    let measure = |uri: &str, cookie: &str| {
        let mut times: Vec<Duration> = (0..rounds()).map(|_| get(uri, cookie).0).collect();
        times.sort();
        (percentile(&times, 0.5), percentile(&times, 0.95))
    };
    let surveys = store
        .instruments()
        .expect("instruments")
        .iter()
        .map(|i| i.surveys)
        .sum::<i64>();
    println!("  {surveys} surveys in the database");
    let base = measure("/projects/RN.0001", "");
    println!(
        "  {:<44} p50 {:>8.2} ms  p95 {:>8.2} ms",
        "baseline: a public project page",
        ms(base.0),
        ms(base.1)
    );
    let mut worst: f64 = 0.0;
    for email in [
        "me-officer.tirana@homeward.example",
        "office-manager.tirana@homeward.example",
    ] {
        let user = store.user_by_email(email).expect("ok").expect("user");
        let cookie = format!("hw_session={}", session_for(&store, user.id).token);
        println!("  as {email}:");
        for (label, query) in [
            ("no filter", ""),
            ("country of return", "country=AL"),
            ("year of return", "year=2019"),
            (
                "country + sex + age group",
                "country=GE&sex=female&age=18_34",
            ),
            ("vulnerability", "vulnerability=trafficking"),
            (
                "country + year + vulnerability",
                "country=AL&year=2022&vulnerability=health_needs",
            ),
        ] {
            let uri = format!("/dashboard?{query}");
            let size = get(&uri, &cookie).1;
            let (p50, p95) = measure(&uri, &cookie);
            worst = worst.max(ms(p95));
            println!(
                "    {:<42} p50 {:>8.2} ms  p95 {:>8.2} ms  (×{:.0} / ×{:.0} the baseline; {} KB)",
                label,
                ms(p50),
                ms(p95),
                ms(p50) / ms(base.0).max(1e-6),
                ms(p95) / ms(base.1).max(1e-6),
                size / 1024
            );
        }
    }
    // Dashboards while cases change: a write (a stage recorded) before each page, so each
    // page first reads the changed case back.
    let user = store
        .user_by_email("office-manager.tirana@homeward.example")
        .expect("ok")
        .expect("user");
    let cookie = format!("hw_session={}", session_for(&store, user.id).token);
    let mut times = vec![];
    for i in 0..rounds() {
        let status = if i % 2 == 0 { "monitoring" } else { "closed" };
        homeward_store::testing::execute(
            &store,
            &format!(
                "UPDATE cases SET status = '{status}' WHERE id = (SELECT MIN(id) FROM cases \
                 WHERE owning_office_id = (SELECT office_id FROM users WHERE id = {}))",
                user.id
            ),
        )
        .expect("a case changed");
        times.push(get("/dashboard?country=AL", &cookie).0);
    }
    times.sort();
    let (p50, p95) = (percentile(&times, 0.5), percentile(&times, 0.95));
    worst = worst.max(ms(p95));
    println!(
        "  {:<44} p50 {:>8.2} ms  p95 {:>8.2} ms  (×{:.0} / ×{:.0} the baseline)",
        "a case changed before each page (manager, AL)",
        ms(p50),
        ms(p95),
        ms(p50) / ms(base.0).max(1e-6),
        ms(p95) / ms(base.1).max(1e-6),
    );
    println!(
        "  worst p95: {worst:.1} ms (target < {TARGET_MS} ms: {})",
        if worst < TARGET_MS { "met" } else { "MISSED" }
    );
}

fn main() {
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    let n: usize = std::env::var("HOMEWARD_BENCH_RETURNEES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    match std::env::var("HOMEWARD_BENCH_SQLITE") {
        Ok(url) if url == "skip" => println!("SQLite: skipped (HOMEWARD_BENCH_SQLITE=skip)"),
        Ok(url) => run(
            "SQLite (loaded before)",
            &url,
            Store::open(&url).expect("open"),
            n,
            false,
        ),
        Err(_) => {
            let db = TestDb::sqlite();
            run("SQLite", &db.url, db.store.clone(), n, true);
        }
    }
    match std::env::var("HOMEWARD_BENCH_PG") {
        Ok(url) if url == "skip" => println!("PostgreSQL: skipped (HOMEWARD_BENCH_PG=skip)"),
        Ok(url) => run(
            "PostgreSQL (loaded before)",
            &url,
            Store::open(&url).expect("open"),
            n,
            false,
        ),
        Err(_) => match TestDb::postgres() {
            Some(db) => run("PostgreSQL", &db.url, db.store.clone(), n, true),
            None => println!("PostgreSQL: not reachable, skipped"),
        },
    }
}
