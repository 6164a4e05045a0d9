//! Every route of the router, driven in-process against a fresh database on SQLite and on
//! PostgreSQL.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use homeward_store::every_backend;
use homeward_store::testing::TestDb;
use homeward_web::{AppState, router};
use http_body_util::BodyExt;
use tower::ServiceExt;

struct Reply {
    status: StatusCode,
    headers: axum::http::HeaderMap,
    body: String,
}

impl Reply {
    fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
}

fn rt() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime")
}

fn get(db: &TestDb, uri: &str, headers: &[(&str, &str)]) -> Reply {
    let app = router(AppState::new(db.store.clone()));
    let mut req = Request::builder().uri(uri);
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let req = req.body(Body::empty()).expect("request");
    rt().block_on(async move {
        let res = app.oneshot(req).await.expect("response");
        let status = res.status();
        let headers = res.headers().clone();
        let bytes = res.into_body().collect().await.expect("body").to_bytes();
        Reply {
            status,
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
        }
    })
}

fn seeded(db: &TestDb) {
    homeward_interop::demo::load_demo(&db.store, 30).expect("demo data");
}

every_backend! {
    fn health_answers_ok(db) {
        let r = get(&db, "/healthz", &[]);
        assert_eq!(r.status, StatusCode::OK);
        assert_eq!(r.body, "ok");
        let r = get(&db, "/readyz", &[]);
        assert_eq!((r.status, r.body.as_str()), (StatusCode::OK, "ready"));
        // A database behind this version's migrations is not ready; the process still lives.
        db.execute("DELETE FROM __diesel_schema_migrations WHERE version = (SELECT MAX(version) FROM __diesel_schema_migrations)");
        let r = get(&db, "/readyz", &[]);
        assert_eq!(r.status, StatusCode::SERVICE_UNAVAILABLE);
        assert!(r.body.contains("lacks 1 migration"), "{}", r.body);
        assert_eq!(get(&db, "/healthz", &[]).status, StatusCode::OK);
    }

    fn every_answer_carries_its_request_id(db) {
        let r = get(&db, "/projects", &[]);
        let id = r.headers["x-request-id"].to_str().expect("text").to_owned();
        assert!(id.len() > 5, "{id}");
        assert_ne!(get(&db, "/projects", &[]).headers["x-request-id"], id.as_str(), "each its own");
        let r = get(&db, "/healthz", &[("x-request-id", "proxy-42.a_b")]);
        assert_eq!(r.headers["x-request-id"], "proxy-42.a_b", "a proxy's plain id is kept");
        let r = get(&db, "/healthz", &[("x-request-id", "<script>")]);
        assert_ne!(r.headers["x-request-id"], "<script>", "anything else is replaced");
    }

    fn metrics_count_requests_by_route_and_read_the_store_on_their_own_router(db) {
        seeded(&db);
        let state = AppState::new(db.store.clone());
        let app = router(state.clone());
        let metrics = homeward_web::metrics::router(state.metrics.clone(), db.store.clone());
        let send = |app: &axum::Router, uri: &str| {
            let app = app.clone();
            let req = Request::builder().uri(uri).body(Body::empty()).expect("request");
            rt().block_on(async move {
                let res = app.oneshot(req).await.expect("response");
                let status = res.status();
                let bytes = res.into_body().collect().await.expect("body").to_bytes();
                (status, String::from_utf8_lossy(&bytes).into_owned())
            })
        };
        for _ in 0..3 {
            assert_eq!(send(&app, "/projects").0, StatusCode::OK);
        }
        assert_eq!(send(&app, "/projects/AU10P0004").0, StatusCode::OK);
        assert_eq!(send(&app, "/projects/NOPE.0000").0, StatusCode::NOT_FOUND);
        assert_eq!(send(&app, "/no/such/page").0, StatusCode::NOT_FOUND);
        assert_eq!(send(&app, "/metrics").0, StatusCode::NOT_FOUND, "never on the public router");
        let _ = db.store.sign_in("nobody@example.org", "not the password", "192.0.2.1", "test");
        db.store.warm_dashboards().expect("facts");
        let (status, text) = send(&metrics, "/metrics");
        assert_eq!(status, StatusCode::OK);
        for line in [
            "homeward_http_requests_total{route=\"/projects\",method=\"GET\",status=\"200\"} 3",
            "homeward_http_requests_total{route=\"/projects/{id}\",method=\"GET\",status=\"200\"} 1",
            "homeward_http_requests_total{route=\"/projects/{id}\",method=\"GET\",status=\"404\"} 1",
            "homeward_http_requests_total{route=\"unmatched\",method=\"GET\",status=\"404\"} 2",
            "homeward_http_request_duration_seconds_count{route=\"/projects\",method=\"GET\"} 3",
            "# TYPE homeward_http_request_duration_seconds histogram",
            "homeward_db_pool_connections{state=\"in_use\"}",
            "homeward_db_pool_max_connections ",
            "homeward_db_pool_waits_total ",
            "homeward_dashboard_facts_age_seconds ",
            "homeward_audit_entries_pending ",
        ] {
            assert!(text.contains(line), "{line} in\n{text}");
        }
        let value = |name: &str| -> f64 {
            text.lines().find_map(|l| l.strip_prefix(name).and_then(|v| v.trim().parse().ok())).unwrap_or_else(|| panic!("{name} in {text}"))
        };
        assert!(value("homeward_sign_in_failures_total ") >= 1.0);
        assert!(value("homeward_audit_entries_written_total ") >= 1.0);
        assert!(value("homeward_audit_entries_pending ") >= 1.0, "the failed sign-in waits for the sealer");
        assert!(value("homeward_dashboard_facts_age_seconds ") < 60.0 && value("homeward_dashboard_facts_cases ") >= 0.0);
        db.store.seal_audit().expect("seal");
        let (_, text) = send(&metrics, "/metrics");
        assert!(text.contains("homeward_audit_entries_pending 0"), "{text}");
    }

    fn home_leads_to_the_catalogue(db) {
        let r = get(&db, "/", &[]);
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        assert_eq!(r.headers[header::LOCATION], "/projects");
    }

    fn catalogue_searches_filters_and_highlights(db) {
        seeded(&db);
        let r = get(&db, "/projects?q=Samoa&region=Asia+and+Oceania", &[]);
        assert_eq!(r.status, StatusCode::OK);
        assert!(r.body.contains("<mark>Samoa</mark>"), "highlighted");
        assert!(r.body.contains("href=\"/projects/AU10P0004\""), "links to the Samoa page");
        assert!(r.body.contains("✓ Asia and Oceania"), "selected filter shown");
        assert!(!r.body.contains("TC.0495"), "Albania is not in Asia");
        let all = get(&db, "/projects", &[]);
        assert!(all.body.contains("33 projects"), "3 published + 30 synthetic");
        assert!(all.body.contains("Page 1 of 2"));
        let page2 = get(&db, "/projects?page=2", &[]);
        assert!(page2.body.contains("Page 2 of 2"));
    }

    fn catalogue_refuses_bad_parameters_with_their_names(db) {
        let r = get(&db, "/projects?status=finished&year=soon", &[]);
        assert_eq!(r.status, StatusCode::BAD_REQUEST);
        assert!(r.body.contains("status: "), "{}", r.body);
        assert!(r.body.contains("year: "), "{}", r.body);
        let long = "x".repeat(300);
        assert_eq!(get(&db, &format!("/projects?q={long}"), &[]).status, StatusCode::BAD_REQUEST);
        assert_eq!(get(&db, "/projects?page=0", &[]).status, StatusCode::BAD_REQUEST);
        // Query syntax of either database is never passed through.
        for q in ["%22", "*", "NEAR(", "a%27%3B--", "%E2%80%9C%E2%80%9D"] {
            assert_eq!(get(&db, &format!("/projects?q={q}"), &[]).status, StatusCode::OK, "{q}");
        }
    }

    fn project_page_shows_the_published_facts(db) {
        seeded(&db);
        let r = get(&db, "/projects/TC.0495", &[]);
        assert_eq!(r.status, StatusCode::OK);
        for fact in ["Start Date", "<dd>2012</dd>", "<dd>2014</dd>", "<dd>Completed</dd>", "<dd>TCMMCB</dd>",
                     "Budget Amount (USD)", "<dd>100,000.00</dd>", "<dd>National</dd>", "<dd>Europe</dd>",
                     "<dd>Albania</dd>", "National Action Plan on Migration (2013-2018)"] {
            assert!(r.body.contains(fact), "{fact} missing");
        }
        let mut foreign = homeward_interop::demo::samoa();
        foreign.prima_id = String::new();
        foreign.iati_identifier = "GB-GOV-1-300123".into();
        db.store.save_project(&foreign.validate().unwrap()).unwrap();
        assert_eq!(get(&db, "/projects/GB-GOV-1-300123", &[]).status, StatusCode::OK);
        let by_prima = get(&db, "/projects/GE10P0527", &[]);
        assert!(by_prima.body.contains("<dd>Armenia, Georgia</dd>"));
        assert!(by_prima.body.contains("<dd>Regional</dd>"));
        assert_eq!(get(&db, "/projects/XX.9999", &[]).status, StatusCode::NOT_FOUND);
        assert_eq!(get(&db, "/projects/%3Cscript%3E", &[]).status, StatusCode::NOT_FOUND);
    }

    fn french_is_chosen_by_switch_cookie_or_browser(db) {
        seeded(&db);
        let sw = get(&db, "/lang/fr?next=/projects/TC.0495", &[]);
        assert_eq!(sw.status, StatusCode::SEE_OTHER);
        assert_eq!(sw.headers[header::LOCATION], "/projects/TC.0495");
        assert!(sw.headers[header::SET_COOKIE].to_str().unwrap().starts_with("lang=fr"));
        let fr = get(&db, "/projects/TC.0495", &[("cookie", "lang=fr")]);
        assert!(fr.body.contains("Date de début") && fr.body.contains("<html lang=\"fr\">"));
        let browser = get(&db, "/projects", &[("accept-language", "fr-CH, fr;q=0.9")]);
        assert!(browser.body.contains("Catalogue des projets"));
        let english = get(&db, "/projects?lang=en", &[("cookie", "lang=fr")]);
        assert!(english.body.contains("Project catalogue"));
        assert_eq!(get(&db, "/lang/xx", &[]).status, StatusCode::BAD_REQUEST);
        let missing = get(&db, "/projects/XX.9999", &[("cookie", "lang=fr")]);
        assert_eq!(missing.status, StatusCode::NOT_FOUND);
        assert!(missing.body.contains("Page introuvable") && missing.body.contains("<html lang=\"fr\">"));
        let bad = get(&db, "/projects?year=soon&lang=fr", &[]);
        assert!(bad.body.contains("La demande n’a pas pu être comprise") && bad.body.contains("year: "));
        let away = get(&db, "/lang/fr?next=//evil.example", &[]);
        assert_eq!(away.headers[header::LOCATION], "/projects");
    }

    fn api_lists_with_filters_and_facets(db) {
        seeded(&db);
        let r = get(&db, "/api/v1/projects?country=GE&country=AM&per_page=5", &[]);
        assert_eq!(r.status, StatusCode::OK);
        let v = r.json();
        assert!(v["total"].as_i64().unwrap() >= 1);
        let ids: Vec<&str> = v["items"].as_array().unwrap().iter().map(|i| i["id"].as_str().unwrap()).collect();
        assert!(ids.contains(&"CD.0085"), "{ids:?}");
        assert!(v["items"].as_array().unwrap().iter().any(|i| i["url"] == "/api/v1/projects/CD.0085"));
        assert!(v["facets"]["country"].as_array().unwrap().iter().any(|c| c["value"] == "GE" && c["selected"] == true));
        let bad = get(&db, "/api/v1/projects?country=XX&per_page=1000", &[]);
        assert_eq!(bad.status, StatusCode::BAD_REQUEST);
        let fields: Vec<String> = bad.json()["details"].as_array().unwrap().iter().map(|d| d["field"].as_str().unwrap().to_owned()).collect();
        assert_eq!(fields, vec!["country", "per_page"]);
    }

    fn api_returns_one_project_whole(db) {
        seeded(&db);
        let r = get(&db, "/api/v1/projects/AU10P0004", &[]);
        assert_eq!(r.status, StatusCode::OK);
        let v = r.json();
        assert_eq!(v["title"], "Capacity building for reintegration of non-IOM returnees in Samoa");
        assert_eq!(v["budget_usd"], "200000.00");
        assert_eq!(v["year"], 2018);
        assert_eq!(v["benefiting_member_states"][0], "WS");
        assert_eq!(v["status"], serde_json::Value::Null);
        assert_eq!(v["results"]["outputs"][0]["text"], "Capacity of SRCT staff built");
        assert_eq!(v["levels"], serde_json::json!(["community", "structural"]));
        let missing = get(&db, "/api/v1/projects/TC.9999", &[]);
        assert_eq!(missing.status, StatusCode::NOT_FOUND);
        assert!(missing.json()["error"].as_str().unwrap().contains("TC.9999"));
    }

    fn exports_download_the_current_search(db) {
        seeded(&db);
        let page = get(&db, "/projects?region=Europe", &[]);
        assert!(page.body.contains("href=\"/projects/export/csv?region=Europe\""), "download links carry the search");
        let csv = get(&db, "/projects/export/csv?region=Europe&sort=oldest", &[]);
        assert_eq!(csv.status, StatusCode::OK);
        assert!(csv.headers[header::CONTENT_DISPOSITION].to_str().unwrap().contains("homeward-projects.csv"));
        assert!(csv.body.starts_with("projects_id,prima_id,"));
        assert!(csv.body.contains("\nTC.0495,") && csv.body.contains("\nCD.0085,"));
        assert!(!csv.body.contains("AU10P0004"), "Samoa is not in Europe");
        let iati = get(&db, "/projects/export/iati?q=Samoa", &[]);
        assert!(iati.headers[header::CONTENT_TYPE].to_str().unwrap().starts_with("application/xml"));
        assert!(iati.body.contains("<iati-identifier>XM-DAC-47066-AU10P0004</iati-identifier>"));
        let hxl = get(&db, "/projects/export/hxl", &[]);
        assert!(hxl.body.lines().nth(1).unwrap().starts_with("#activity+project+code"));
        let xlsx = get(&db, "/projects/export/xlsx?country=WS", &[]);
        assert_eq!(xlsx.status, StatusCode::OK);
        assert!(xlsx.body.starts_with("PK"), "a zip container");
        assert_eq!(get(&db, "/projects/export/pdf", &[]).status, StatusCode::BAD_REQUEST);
        assert_eq!(get(&db, "/projects/export/csv?status=nope", &[]).status, StatusCode::BAD_REQUEST);
    }

    fn text_that_is_not_utf8_is_refused_with_its_parameter_named(db) {
        seeded(&db);
        let page = get(&db, "/projects?q=Tiran%EB", &[]);
        assert_eq!(page.status, StatusCode::BAD_REQUEST);
        assert!(page.body.contains("is not valid text"), "{}", page.body);
        let api = get(&db, "/api/v1/projects?q=Tiran%EB", &[]);
        assert_eq!(api.status, StatusCode::BAD_REQUEST);
        assert_eq!(api.json()["details"][0]["field"], "q");
        assert_eq!(get(&db, "/projects?q=Tiran%C3%AB", &[]).status, StatusCode::OK, "UTF-8 passes");
    }

    fn static_files_and_unknown_paths(db) {
        let css = get(&db, "/static/style.css", &[]);
        assert_eq!(css.status, StatusCode::OK);
        assert!(css.headers[header::CONTENT_TYPE].to_str().unwrap().starts_with("text/css"));
        assert_eq!(get(&db, "/static/nope.js", &[]).status, StatusCode::NOT_FOUND);
        let page = get(&db, "/nowhere", &[]);
        assert_eq!(page.status, StatusCode::NOT_FOUND);
        assert!(page.headers[header::CONTENT_TYPE].to_str().unwrap().starts_with("text/html"), "a page for people");
        let api = get(&db, "/api/v1/nowhere", &[]);
        assert_eq!(api.status, StatusCode::NOT_FOUND);
        assert!(api.json()["error"].as_str().unwrap().contains("/api/v1/nowhere"), "JSON for programs");
    }
}

/// The OpenAPI document is part of the API's contract: a change to it must be deliberate.
/// Run with `UPDATE_SNAPSHOTS=1` to accept a change.
#[test]
fn openapi_matches_its_snapshot() {
    let db = TestDb::sqlite();
    let r = get(&db, "/api/v1/openapi.json", &[]);
    assert_eq!(r.status, StatusCode::OK);
    let spec = r.json();
    assert!(spec["openapi"].as_str().unwrap().starts_with("3.1"));
    let pretty = serde_json::to_string_pretty(&spec).unwrap() + "\n";
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/snapshots/openapi.json");
    if std::env::var("UPDATE_SNAPSHOTS").is_ok() {
        std::fs::create_dir_all(std::path::Path::new(path).parent().unwrap()).unwrap();
        std::fs::write(path, &pretty).unwrap();
    }
    let expected =
        std::fs::read_to_string(path).expect("snapshot exists: run with UPDATE_SNAPSHOTS=1");
    assert_eq!(
        pretty, expected,
        "the OpenAPI document changed; review and run with UPDATE_SNAPSHOTS=1"
    );
}
