//! What Prometheus scrapes, in its text format: requests by route and status with their
//! latency, the database pool, the dashboards' facts, sign-in failures and the audit
//! trail. Served by [`router`] on a listen address of its own (`serve --metrics-listen`),
//! so that the public never reaches it; [`track`] counts every request of the main router.

use axum::extract::{MatchedPath, Request, State};
use axum::http::header;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use homeward_store::Store;
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;
use std::sync::atomic::AtomicU64;
use std::sync::{Arc, Mutex};
use std::time::Instant;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct Answered {
    route: String,
    method: String,
    status: u16,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct Route {
    route: String,
    method: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct PoolState {
    state: &'static str,
}

type Seconds = Histogram;

fn latency_buckets() -> Histogram {
    // 1 ms to about 16 s.
    Histogram::new(exponential_buckets(0.001, 2.0, 15))
}

/// Counters the store keeps, copied into Prometheus counters at each scrape.
#[derive(Default)]
struct FromStore {
    pool_waits: Counter,
    pool_wait_seconds: Counter<f64, AtomicU64>,
    audit_written: Counter,
    audit_sealed: Counter,
    sign_in_failures: Counter,
}

/// The metrics of one server.
pub struct Metrics {
    registry: Registry,
    requests: Family<Answered, Counter>,
    latency: Family<Route, Seconds, fn() -> Histogram>,
    pool: Family<PoolState, Gauge>,
    pool_max: Gauge,
    facts_age: Gauge<f64, AtomicU64>,
    facts_cases: Gauge,
    facts_bytes: Gauge,
    audit_pending: Gauge,
    from_store: FromStore,
    /// One scrape at a time brings the copied counters up to date.
    scraping: Mutex<()>,
}

impl std::fmt::Debug for Metrics {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Metrics")
    }
}

impl Default for Metrics {
    fn default() -> Self {
        let mut r = Registry::with_prefix("homeward");
        let requests = Family::<Answered, Counter>::default();
        r.register(
            "http_requests",
            "Requests answered, by route, method and status",
            requests.clone(),
        );
        let latency: Family<Route, Seconds, fn() -> Histogram> =
            Family::new_with_constructor(latency_buckets);
        r.register(
            "http_request_duration_seconds",
            "Time to answer a request, by route and method",
            latency.clone(),
        );
        let pool = Family::<PoolState, Gauge>::default();
        r.register(
            "db_pool_connections",
            "Database connections open, by state (in_use or idle)",
            pool.clone(),
        );
        let pool_max = Gauge::default();
        r.register(
            "db_pool_max_connections",
            "The most database connections the pool opens",
            pool_max.clone(),
        );
        let facts_age = Gauge::<f64, AtomicU64>::default();
        r.register(
            "dashboard_facts_age_seconds",
            "Seconds since the dashboards' facts were brought up to date",
            facts_age.clone(),
        );
        let facts_cases = Gauge::default();
        r.register(
            "dashboard_facts_cases",
            "Cases in the dashboards' facts held in memory",
            facts_cases.clone(),
        );
        let facts_bytes = Gauge::default();
        r.register(
            "dashboard_facts_bytes",
            "Memory the dashboards' facts take",
            facts_bytes.clone(),
        );
        let audit_pending = Gauge::default();
        r.register(
            "audit_entries_pending",
            "Audit entries written and not yet sealed into the chain (all servers)",
            audit_pending.clone(),
        );
        let from_store = FromStore::default();
        r.register(
            "db_pool_waits",
            "Database connections asked for when none was idle",
            from_store.pool_waits.clone(),
        );
        r.register(
            "db_pool_wait_seconds",
            "Time spent waiting for a database connection",
            from_store.pool_wait_seconds.clone(),
        );
        r.register(
            "audit_entries_written",
            "Audit entries written by this server",
            from_store.audit_written.clone(),
        );
        r.register(
            "audit_entries_sealed",
            "Audit entries this server's sealer numbered and chained",
            from_store.audit_sealed.clone(),
        );
        r.register(
            "sign_in_failures",
            "Sign-ins refused (wrong password, unknown account, throttled)",
            from_store.sign_in_failures.clone(),
        );
        Metrics {
            registry: r,
            requests,
            latency,
            pool,
            pool_max,
            facts_age,
            facts_cases,
            facts_bytes,
            audit_pending,
            from_store,
            scraping: Mutex::new(()),
        }
    }
}

/// Moves a copied counter up to the store's value.
fn catch_up(c: &Counter, to: u64) {
    let now = c.get();
    if to > now {
        c.inc_by(to - now);
    }
}

impl Metrics {
    /// The text Prometheus reads, with the store's readings brought up to date.
    fn scrape(&self, store: &Store) -> String {
        let _one = self.scraping.lock().unwrap_or_else(|p| p.into_inner());
        let s = store.stats();
        let in_use = s.pool_open.saturating_sub(s.pool_idle);
        self.pool
            .get_or_create(&PoolState { state: "in_use" })
            .set(i64::from(in_use));
        self.pool
            .get_or_create(&PoolState { state: "idle" })
            .set(i64::from(s.pool_idle));
        self.pool_max.set(i64::from(s.pool_max));
        if let Some(f) = s.facts {
            self.facts_age.set(f.age_seconds);
            self.facts_cases.set(f.cases as i64);
            self.facts_bytes.set(f.bytes as i64);
        }
        let fs = &self.from_store;
        catch_up(&fs.pool_waits, s.pool_waits);
        let waited = fs.pool_wait_seconds.get();
        if s.pool_wait_seconds > waited {
            fs.pool_wait_seconds.inc_by(s.pool_wait_seconds - waited);
        }
        catch_up(&fs.audit_written, s.audit_written);
        catch_up(&fs.audit_sealed, s.audit_sealed);
        catch_up(&fs.sign_in_failures, s.sign_in_failures);
        // The one reading that asks the database; a scrape during an outage still answers.
        if let Ok(n) = store.audit_unsealed() {
            self.audit_pending.set(n);
        }
        let mut out = String::new();
        if prometheus_client::encoding::prometheus_text::encode(&mut out, &self.registry).is_err() {
            out.clear();
        }
        out
    }
}

/// Counts each request of the main router under its route pattern (`/cases/{id}`, not
/// the path asked, so that the series stay few), once answered.
pub async fn track(State(metrics): State<Arc<Metrics>>, req: Request, next: Next) -> Response {
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "unmatched".to_owned(), |m| m.as_str().to_owned());
    let method = req.method().as_str().to_owned();
    let started = Instant::now();
    let res = next.run(req).await;
    let elapsed = started.elapsed().as_secs_f64();
    metrics
        .requests
        .get_or_create(&Answered {
            route: route.clone(),
            method: method.clone(),
            status: res.status().as_u16(),
        })
        .inc();
    metrics
        .latency
        .get_or_create(&Route { route, method })
        .observe(elapsed);
    res
}

#[derive(Clone)]
struct Scrape {
    metrics: Arc<Metrics>,
    store: Store,
}

async fn metrics_text(State(s): State<Scrape>) -> Response {
    let text = crate::blocking(move || s.metrics.scrape(&s.store))
        .await
        .unwrap_or_default();
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        text,
    )
        .into_response()
}

/// `GET /metrics` alone, for the metrics listen address.
pub fn router(metrics: Arc<Metrics>, store: Store) -> axum::Router {
    axum::Router::new()
        .route("/metrics", axum::routing::get(metrics_text))
        .with_state(Scrape { metrics, store })
}
