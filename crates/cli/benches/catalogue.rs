//! Catalogue search and filter latency on a large portfolio, on SQLite and PostgreSQL.
//!
//! Loads `BENCH_PROJECTS` synthetic projects (default 100,000) into a fresh database per
//! backend, then times catalogue searches as the public pages run them (page of results plus
//! counts for every facet). Prints p50 and p95 per scenario and their ratio to a baseline
//! measured in the same run: loading one project by its Projects ID.
//! Target: p95 under 20 ms for a search with two filters.
//!
//! Run: `cargo bench -p homeward --bench catalogue` (BENCH_PROJECTS=10000 for a quick look).

use homeward_domain::catalogue::CatalogueQuery;
use homeward_store::Store;
use homeward_store::testing::TestDb;
use std::time::{Duration, Instant};

const ROUNDS: usize = 60;

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn measure(mut f: impl FnMut(usize)) -> (Duration, Duration) {
    let mut times: Vec<Duration> = (0..ROUNDS)
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

fn query(pairs: &[(&str, &str)]) -> CatalogueQuery {
    CatalogueQuery::from_pairs(pairs.iter().copied()).expect("valid query")
}

/// Text searches no earlier round asked, so the database ranks each afresh.
/// Words of the synthetic projects, commonest first.
const WORDS: &[&str] = &[
    "reintegration",
    "trafficking",
    "psychosocial",
    "livelihoods",
    "referral",
    "diaspora",
    "vocational",
    "stigma",
    "debts",
    "youth",
    "children",
    "policy",
    "capacity",
    "government",
    "economic",
    "community",
];

fn cold_text_queries() -> Vec<CatalogueQuery> {
    let words = WORDS;
    let regions = [
        "Europe",
        "Africa",
        "Asia and Oceania",
        "Middle East and North Africa",
    ];
    let mut out = Vec::new();
    for (i, a) in words.iter().enumerate() {
        for b in &words[i + 1..] {
            let r = regions[out.len() % regions.len()];
            let s = if out.len() % 2 == 0 {
                "active"
            } else {
                "completed"
            };
            out.push(query(&[
                ("q", &format!("{a} {b}")),
                ("region", r),
                ("status", s),
            ]));
        }
    }
    out
}

fn scenarios() -> Vec<(&'static str, Vec<CatalogueQuery>)> {
    let words = &WORDS[..6];
    let regions = [
        "Europe",
        "Africa",
        "Asia and Oceania",
        "Middle East and North Africa",
    ];
    let statuses = ["active", "completed"];
    let mut two_filters_text = Vec::new();
    let mut two_filters = Vec::new();
    let mut text_only = Vec::new();
    for (i, w) in words.iter().enumerate() {
        for (j, r) in regions.iter().enumerate() {
            let s = statuses[(i + j) % 2];
            two_filters_text.push(query(&[("q", w), ("region", r), ("status", s)]));
            let year = (2012 + (i * 4 + j) % 14).to_string();
            two_filters.push(query(&[("region", r), ("year", &year)]));
        }
        text_only.push(query(&[("q", w)]));
    }
    vec![
        ("search + two filters", two_filters_text),
        ("search + two filters, cold", cold_text_queries()),
        ("two filters", two_filters),
        ("search only", text_only),
        ("everything, page 1", vec![query(&[])]),
        (
            "country + type, by budget",
            vec![query(&[
                ("country", "AL"),
                ("type", "Community Development"),
                ("sort", "budget_desc"),
            ])],
        ),
    ]
}

fn run(name: &str, store: &Store, projects: usize) {
    let t = Instant::now();
    homeward_interop::demo::load_demo(store, projects).expect("load demo data");
    let load = t.elapsed();
    println!(
        "\n{name}: loaded {} projects in {:.1} s ({:.0} projects/s)",
        projects + 3,
        load.as_secs_f64(),
        (projects + 3) as f64 / load.as_secs_f64()
    );
    // The first search builds the facet index, as a server's first request would.
    let t = Instant::now();
    store.search(&query(&[])).expect("search");
    println!(
        "first search (builds the facet index): {:.1} ms",
        ms(t.elapsed())
    );
    let (b50, b95) = measure(|_| {
        store.project("TC.0495").expect("lookup").expect("found");
    });
    println!(
        "{:<28} p50 {:>7.2} ms  p95 {:>7.2} ms  (baseline)",
        "one project by id",
        ms(b50),
        ms(b95)
    );
    for (label, qs) in scenarios() {
        let mut total = 0;
        // Warm: every query asked once before timing, as on a server in use. Cold: each
        // timed query is new to the server.
        if !label.ends_with("cold") {
            for q in &qs {
                store.search(q).expect("search");
            }
        }
        let (p50, p95) = measure(|i| {
            total = store.search(&qs[i % qs.len()]).expect("search").total;
        });
        let verdict = if label.starts_with("search + two filters") || label == "two filters" {
            if ms(p95) < 20.0 {
                "  target <20 ms: met"
            } else {
                "  target <20 ms: MISSED"
            }
        } else {
            ""
        };
        println!(
            "{label:<28} p50 {:>7.2} ms  p95 {:>7.2} ms  ×{:.1} / ×{:.1} baseline{verdict}",
            ms(p50),
            ms(p95),
            ms(p50) / ms(b50),
            ms(p95) / ms(b50),
        );
    }
}

fn main() {
    // `cargo test --benches` runs this with --bench absent; only run when benchmarking.
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    let projects: usize = std::env::var("BENCH_PROJECTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let sqlite = TestDb::sqlite();
    run("SQLite", &sqlite.store, projects);
    drop(sqlite);
    match TestDb::postgres() {
        Some(pg) => run("PostgreSQL", &pg.store, projects),
        None => println!("\nPostgreSQL: not reachable, skipped"),
    }
}
