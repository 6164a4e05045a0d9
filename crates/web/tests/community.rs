//! The community and structural levels over HTTP, on SQLite and PostgreSQL, with the demo's
//! Samgori centre, Samoa trainings and Albanian policy work: the public pages and their
//! downloads (no names, returnees under five withheld, HXL that hxlvalidate accepts), the
//! counter (lend, refuse a second loan of the drill, take it back, fee recorded), the forms
//! of the staff who run them (bad fields named, stale versions refused, other offices kept
//! out), and the API beneath /api/v1/community-projects, /asset-pools and
//! /capacity-activities.

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use homeward_store::both_backends;
use homeward_store::testing::{TestDb, session_for};
use homeward_web::{AppState, router};
use http_body_util::BodyExt;
use serde_json::{Value, json};
use tower::ServiceExt;

struct Web {
    db: TestDb,
    app: axum::Router,
    rt: tokio::runtime::Runtime,
}

#[derive(Clone)]
struct Who {
    cookie: String,
    csrf: String,
}

struct Reply {
    status: StatusCode,
    location: String,
    body: String,
    content_type: String,
    bytes: Vec<u8>,
}

impl Reply {
    fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
}

impl Web {
    fn new(db: TestDb) -> Web {
        homeward_interop::demo::load_people(&db.store, "amber-basil-cedar-delta-42")
            .expect("demo people");
        let app = router(AppState::new(db.store.clone()));
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("runtime");
        Web { db, app, rt }
    }

    fn anyone(&self) -> Who {
        Who {
            cookie: String::new(),
            csrf: String::new(),
        }
    }

    fn as_user(&self, email: &str) -> Who {
        let id = self
            .db
            .store
            .user_by_email(email)
            .expect("ok")
            .expect("demo user")
            .id;
        let s = session_for(&self.db.store, id);
        Who {
            cookie: format!("hw_session={}", s.token),
            csrf: s.csrf,
        }
    }

    fn send(&self, who: &Who, method: Method, uri: &str, body: Option<(&str, String)>) -> Reply {
        let mut req = Request::builder().method(method).uri(uri);
        if !who.cookie.is_empty() {
            req = req
                .header(header::COOKIE, &who.cookie)
                .header("x-csrf-token", &who.csrf);
        }
        let body = match body {
            Some((kind, text)) => {
                req = req.header(header::CONTENT_TYPE, kind);
                Body::from(text)
            }
            None => Body::empty(),
        };
        let req = req.body(body).expect("request");
        let app = self.app.clone();
        self.rt.block_on(async move {
            let res = app.oneshot(req).await.expect("response");
            let status = res.status();
            let h = |n: header::HeaderName| {
                res.headers()
                    .get(n)
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or("")
                    .to_owned()
            };
            let (location, content_type) = (h(header::LOCATION), h(header::CONTENT_TYPE));
            let bytes = res
                .into_body()
                .collect()
                .await
                .expect("body")
                .to_bytes()
                .to_vec();
            Reply {
                status,
                location,
                body: String::from_utf8_lossy(&bytes).into_owned(),
                content_type,
                bytes,
            }
        })
    }

    fn get(&self, who: &Who, uri: &str) -> Reply {
        self.send(who, Method::GET, uri, None)
    }

    fn form(&self, who: &Who, uri: &str, fields: &[(&str, &str)]) -> Reply {
        let mut ser = form_urlencoded::Serializer::new(String::new());
        ser.append_pair("_csrf", &who.csrf);
        for (k, v) in fields {
            ser.append_pair(k, v);
        }
        self.send(
            who,
            Method::POST,
            uri,
            Some(("application/x-www-form-urlencoded", ser.finish())),
        )
    }

    fn json(&self, who: &Who, uri: &str, v: Value) -> Reply {
        self.send(
            who,
            Method::POST,
            uri,
            Some(("application/json", v.to_string())),
        )
    }

    fn number(&self, sql: &str) -> i64 {
        self.db.number(sql)
    }
}

fn hxl_valid(name: &str, body: &str) {
    let dir = tempfile::tempdir().expect("dir");
    let file = dir.path().join(format!("{name}.csv"));
    std::fs::write(&file, body).expect("write");
    match std::process::Command::new("hxlvalidate")
        .arg(&file)
        .output()
    {
        Ok(run) => assert!(
            run.status.success(),
            "{name}: {}{}",
            String::from_utf8_lossy(&run.stdout),
            String::from_utf8_lossy(&run.stderr)
        ),
        Err(_) => assert!(
            !homeward_store::testing::in_ci(),
            "hxlvalidate (PyPI libhxl) is required under CI=true"
        ),
    }
}

both_backends! {
    fn the_public_reads_the_three_levels_without_a_name(db) {
        let w = Web::new(db);
        let public = w.anyone();
        let list = w.get(&public, "/community");
        assert_eq!(list.status, StatusCode::OK);
        assert!(list.body.contains("Multifunctional service centre, Samgori") && list.body.contains("Samgori District Authority"), "{}", list.body);
        let id = w.number("SELECT id AS n FROM community_projects WHERE name = 'Multifunctional service centre, Samgori'");
        let page = w.get(&public, &format!("/community/{id}")).body;
        for fact in [
            "Samgori district, Tbilisi",
            "Sustainable Reintegration and Community Revitalization Pilot Initiative in Communities of Return (IOM Development Fund)",
            "rented for a nominal fee",
            "Almost 3,000 migrants returned to Georgia with IOM support in the year before the centre opened",
            "Enhancing the Potential of Migration for Socio-Economic Development in Armenia and Georgia",
        ] {
            assert!(page.contains(fact), "{fact} is on the page");
        }
        assert!(page.contains("Returnees taking part: <strong>fewer than 5</strong>"), "two returnees: withheld from the public");
        assert!(!page.contains("Abashidze") && !page.contains("Gelashvili"), "never a name");
        let pool = w.number("SELECT id AS n FROM asset_pools");
        let inventory = w.get(&public, &format!("/pools/{pool}")).body;
        assert!(inventory.contains("Cordless drill") && inventory.contains("Utilisation by tool and month"), "{inventory}");
        let borrower = w.db.store.pool_tools(pool, "").expect("tools").len();
        assert!(borrower >= 10, "the centre's inventory");
        assert!(!inventory.contains("Lomidze"), "no borrower on the public page");
        // Capacity building in Samoa and Albania.
        let capacity = w.get(&public, "/capacity").body;
        for t in ["Reintegration case management for SRCT staff", "National workshop on returnees", "Broader reintegration strategy"] {
            assert!(capacity.contains(t), "{t}");
        }
        let training = w.number("SELECT id AS n FROM capacity_activities WHERE kind = 'training'");
        let t = w.get(&public, &format!("/capacity/{training}")).body;
        assert!(t.contains("Samoa Returnees Charitable Trust (SRCT)") && t.contains("Capacity of SRCT staff built"), "{t}");
        // (45+50+40+55+35+60+50)/7 and (80+85+75+90+70+85+80)/7, rounded.
        assert!(t.contains("<strong>48</strong> → <strong>81</strong>"), "mean scores before and after: {t}");
        // The country views and the project page bring the levels together.
        let samoa = w.get(&public, "/countries/WS").body;
        assert!(samoa.contains("Capacity building for reintegration of non-IOM returnees in Samoa") && samoa.contains("SRCT"), "{samoa}");
        let albania = w.get(&public, "/countries/al").body;
        assert!(albania.contains("National Action Plan on Migration") && albania.contains("TC.0495"), "{albania}");
        assert_eq!(w.get(&public, "/countries/XX").status, StatusCode::NOT_FOUND);
        let project = w.get(&public, "/projects/CD.0085").body;
        assert!(project.contains("Reintegration at three levels") && project.contains("Multifunctional service centre, Samgori"), "{project}");
        let spent = w.number(&format!("SELECT CAST(SUM(usd_minor) AS BIGINT) AS n FROM activity_expenses WHERE level = 'community' AND activity_id = {id}"));
        let shown = homeward_domain::Money::new(spent, homeward_domain::CurrencyCode::USD).to_string();
        assert!(project.contains(&shown), "the community spending: {shown}");
        // Downloads of the aggregates: CSV, Excel and HXL that hxlvalidate accepts.
        let csv = w.get(&public, "/community/export/csv");
        assert!(csv.content_type.starts_with("text/csv") && csv.body.contains("\"Multifunctional service centre, Samgori\",GE,Tbilisi"), "{}", csv.body);
        assert!(csv.body.lines().nth(1).is_some_and(|l| l.contains(",fewer than 5,162,")), "returnees withheld, members counted: {}", csv.body);
        let hxl = w.get(&public, "/community/export/hxl?country=GE");
        assert!(hxl.body.lines().nth(1).is_some_and(|l| l.starts_with("#activity+project+code")), "{}", hxl.body);
        hxl_valid("community", &hxl.body);
        let xlsx = w.get(&public, "/capacity/export/xlsx");
        assert!(xlsx.content_type.contains("spreadsheetml") && xlsx.bytes.starts_with(b"PK"));
        let chxl = w.get(&public, "/capacity/export/hxl");
        assert!(chxl.body.contains("Samoa Returnees Charitable Trust (SRCT)"), "{}", chxl.body);
        hxl_valid("capacity", &chxl.body);
        assert_eq!(w.get(&public, "/community/export/pdf").status, StatusCode::NOT_FOUND);
    }

    fn the_counter_lends_refuses_a_second_loan_and_records_the_fee(db) {
        let w = Web::new(db);
        let op = w.as_user("centre-operator.samgori@homeward.example");
        let pool = w.number("SELECT id AS n FROM asset_pools");
        let drill = w.number("SELECT id AS n FROM pool_tools WHERE name = 'Cordless drill'");
        let counter = w.get(&op, &format!("/pools/{pool}/counter?q=drill"));
        assert_eq!(counter.status, StatusCode::OK);
        assert!(counter.body.contains("Cordless drill") && !counter.body.contains("Pressure washer"), "found by a word");
        assert!(counter.body.contains("Natia Lomidze") && counter.body.contains("days late"), "the overdue ladder is listed");
        let due = homeward_domain::date::Ymd::from_days(homeward_store::today().to_days() + 3).to_string();
        let tool = drill.to_string();
        let lend = |who: &Who, name: &str| w.form(who, &format!("/pools/{pool}/lend"), &[("tool", tool.as_str()), ("borrower", name), ("due_on", due.as_str()), ("q", "drill")]);
        let r = lend(&op, "Tamar Beridze");
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let after = w.get(&op, &r.location).body;
        assert!(after.contains("Lent: Cordless drill to Tamar Beridze"), "{after}");
        let again = lend(&op, "Giorgi Kapanadze");
        assert_eq!(again.status, StatusCode::CONFLICT);
        assert!(again.body.contains("Cordless drill is already lent (1 of 1 out)"), "{}", again.body);
        assert_eq!(w.number(&format!("SELECT COUNT(*) AS n FROM tool_loans WHERE tool_id = {drill} AND returned_on IS NULL")), 1, "nothing was lent twice");
        let bad = lend(&op, "X");
        assert_eq!(bad.status, StatusCode::BAD_REQUEST);
        assert!(bad.body.contains("borrower:"), "the field is named");
        // Taken back today: one day at 5 lari, recorded.
        let loan = w.number(&format!("SELECT id AS n FROM tool_loans WHERE tool_id = {drill} AND returned_on IS NULL"));
        let back = w.form(&op, &format!("/pools/{pool}/loans/{loan}/return"), &[("condition", "good"), ("fee", ""), ("q", "drill")]);
        assert_eq!(back.status, StatusCode::SEE_OTHER, "{}", back.body);
        let page = w.get(&op, &back.location).body;
        assert!(page.contains("Taken back: Cordless drill from Tamar Beridze; fee recorded: 5.00 GEL"), "{page}");
        assert_eq!(w.number(&format!("SELECT fee_minor AS n FROM tool_loans WHERE id = {loan}")), 500);
        let twice = w.form(&op, &format!("/pools/{pool}/loans/{loan}/return"), &[("condition", "good")]);
        assert_eq!(twice.status, StatusCode::CONFLICT);
        // Other offices' staff keep no counter here; the public never sees it.
        let tirana = w.as_user("office-manager.tirana@homeward.example");
        assert_eq!(w.get(&tirana, &format!("/pools/{pool}/counter")).status, StatusCode::FORBIDDEN);
        assert_eq!(lend(&tirana, "Someone Else").status, StatusCode::FORBIDDEN);
        let anonymous = w.get(&w.anyone(), &format!("/pools/{pool}/counter"));
        assert!(anonymous.status == StatusCode::SEE_OTHER && anonymous.location.starts_with("/signin"), "{}", anonymous.status);
        // The operator starts at the counters.
        let work = w.get(&op, "/work").body;
        assert!(work.contains(&format!("/pools/{pool}/counter")) && !work.contains("/community/new"), "{work}");
    }

    fn staff_run_their_own_offices_projects(db) {
        let w = Web::new(db);
        let tbilisi = w.as_user("office-manager.tbilisi@homeward.example");
        let office = w.number("SELECT id AS n FROM offices WHERE name = 'IOM Tbilisi'").to_string();
        let form = |project: &str, name: &str, end: &str| vec![
            ("name", name.to_owned()), ("project", project.to_owned()), ("office", office.clone()), ("country", "GE".to_owned()),
            ("status", "planned".to_owned()), ("start_on", "2027-01-01".to_owned()), ("end_on", end.to_owned()),
        ];
        let send = |who: &Who, uri: &str, f: &[(&str, String)]| {
            let pairs: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
            w.form(who, uri, &pairs)
        };
        let r = send(&tbilisi, "/community", &form("CD.9999", "Youth repair club, Gldani", ""));
        assert_eq!(r.status, StatusCode::BAD_REQUEST);
        assert!(r.body.contains("project: there is no project") && r.body.contains("Youth repair club"), "named, and what was typed is kept");
        let r = send(&tbilisi, "/community", &form("cd.0085", "x", "2026-01-01"));
        assert_eq!(r.status, StatusCode::BAD_REQUEST);
        assert!(r.body.contains("name:") && r.body.contains("end_on:"), "{}", r.body);
        let before = w.number("SELECT COUNT(*) AS n FROM community_projects");
        let r = send(&tbilisi, "/community", &form("GE10P0527", "Youth repair club, Gldani", ""));
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        assert_eq!(w.number("SELECT COUNT(*) AS n FROM community_projects"), before + 1);
        let id = r.location.trim_start_matches("/community/").trim_end_matches("/manage").to_owned();
        let page = w.get(&tbilisi, &r.location);
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("name=\"version\" value=\"1\""));
        // Two saves from version 1: the second is told someone else changed it.
        let mut edit = form("CD.0085", "Youth repair club, Gldani district", "");
        edit.push(("version", "1".to_owned()));
        assert_eq!(send(&tbilisi, &format!("/community/{id}"), &edit).status, StatusCode::SEE_OTHER);
        let stale = send(&tbilisi, &format!("/community/{id}"), &edit);
        assert!(stale.body.contains("changed by someone else"), "{}", stale.body);
        // Members, an output, money without a rate (named), and a returnee by case number.
        assert_eq!(w.form(&tbilisi, &format!("/community/{id}/members"), &[("members_female_18_34", "12"), ("members_male_18_34", "many")]).status, StatusCode::BAD_REQUEST);
        assert_eq!(w.form(&tbilisi, &format!("/community/{id}/members"), &[("members_female_18_34", "12")]).status, StatusCode::SEE_OTHER);
        let r = w.form(&tbilisi, &format!("/community/{id}/expenses"), &[("spent_on", "2026-11-02"), ("description", "Paint"), ("amount", "100"), ("currency", "XAF")]);
        assert_eq!(r.status, StatusCode::BAD_REQUEST);
        assert!(r.body.contains("no exchange rate for XAF"), "{}", r.body);
        let case = w.number("SELECT MIN(c.id) AS n FROM cases c JOIN returnees r ON r.id = c.returnee_id WHERE r.family_name = 'Abashidze'");
        let r = w.form(&tbilisi, &format!("/community/{id}/participants"), &[("case", &format!("HW-{case:06}"))]);
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        assert!(w.get(&tbilisi, &format!("/community/{id}/manage")).body.contains("Abashidze"), "the manager reads the case and sees the name");
        // Another office's manager may not open or change it.
        let tirana = w.as_user("office-manager.tirana@homeward.example");
        assert_eq!(w.get(&tirana, &format!("/community/{id}/manage")).status, StatusCode::FORBIDDEN);
        assert_eq!(send(&tirana, &format!("/community/{id}"), &edit).status, StatusCode::FORBIDDEN);
        // A training: participants listed within the counts.
        let r = w.form(&tbilisi, "/capacity", &[("title", "Counselling returnees for district staff"), ("kind", "training"), ("project", "CD.0085"),
            ("office", office.as_str()), ("country", "GE"), ("institution", "Samgori District Authority"), ("status", "completed"), ("female", "1")]);
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let participants = r.location.replace("/manage", "/participants");
        assert_eq!(w.form(&tbilisi, &participants, &[("sex", "female"), ("pre_score", "40"), ("post_score", "90")]).status, StatusCode::SEE_OTHER);
        let r = w.form(&tbilisi, &participants, &[("sex", "female")]);
        assert_eq!(r.status, StatusCode::BAD_REQUEST);
        assert!(r.body.contains("Women counted: 1"), "{}", r.body);
        let outputs = participants.replace("/participants", "/outputs");
        let r = w.form(&tbilisi, &outputs, &[("output", "Referral procedure agreed"), ("achieved_on", "2026-11-30")]);
        assert!(r.status == StatusCode::SEE_OTHER && r.location.ends_with("/manage#outputs"), "{} {}", r.status, r.location);
        let r = w.form(&tbilisi, &outputs, &[("output", "no"), ("achieved_on", "2999-01-01")]);
        assert_eq!(r.status, StatusCode::BAD_REQUEST);
        assert!(r.body.contains("output:") && r.body.contains("achieved_on:") && r.body.contains("Counselling returnees for district staff"), "the activity's page again");
        let money = participants.replace("/participants", "/expenses");
        assert_eq!(w.form(&tbilisi, &money, &[("spent_on", "2026-11-02"), ("description", "Trainer"), ("amount", "300"), ("currency", "USD")]).status, StatusCode::SEE_OTHER);
        // Recorded by mistake: removed, and no longer charged to the project.
        let activity: i64 = money.trim_start_matches("/capacity/").trim_end_matches("/expenses").parse().expect("id");
        let spent = |w: &Web| w.number(&format!("SELECT COUNT(*) AS n FROM activity_expenses WHERE level = 'structural' AND activity_id = {activity}"));
        assert_eq!(spent(&w), 1);
        let row = w.number(&format!("SELECT id AS n FROM activity_expenses WHERE level = 'structural' AND activity_id = {activity}"));
        let r = w.form(&tbilisi, &format!("/capacity/{activity}/expenses/{row}/remove"), &[]);
        assert!(r.status == StatusCode::SEE_OTHER && r.location.ends_with("#money"), "{} {}", r.status, r.body);
        assert_eq!(spent(&w), 0);
        assert_eq!(w.form(&tbilisi, &format!("/capacity/{activity}/expenses/{row}/remove"), &[]).status, StatusCode::NOT_FOUND, "once only");
        let output = w.number(&format!("SELECT id AS n FROM activity_outputs WHERE level = 'structural' AND activity_id = {activity}"));
        assert_eq!(w.form(&tirana, &format!("/capacity/{activity}/outputs/{output}/remove"), &[]).status, StatusCode::FORBIDDEN, "another office's");
        assert_eq!(w.form(&tbilisi, &format!("/capacity/{activity}/outputs/{output}/remove"), &[]).status, StatusCode::SEE_OTHER);
        let r = w.form(&tbilisi, &format!("/community/{id}/participants/{case}/remove"), &[]);
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        assert!(!w.get(&tbilisi, &format!("/community/{id}/manage")).body.contains("Abashidze"), "unlinked");
        assert!(w.db.audited("record_type = 'capacity_activity' AND before LIKE '%Trainer%'") == 1, "the removal keeps what it removed");
    }

    fn amounts_are_read_as_written_and_what_could_mean_two_is_refused(db) {
        let w = Web::new(db);
        let tbilisi = w.as_user("office-manager.tbilisi@homeward.example");
        let id = w.number("SELECT MIN(id) AS n FROM community_projects");
        let rows = |w: &Web| w.number(&format!("SELECT COUNT(*) AS n FROM activity_expenses WHERE level = 'community' AND activity_id = {id}"));
        let before = rows(&w);
        let spend = |amount: &str| w.form(&tbilisi, &format!("/community/{id}/expenses"),
            &[("spent_on", "2023-10-02"), ("description", "Paint for the workshop"), ("amount", amount), ("currency", "GEL")]);
        // A decimal comma, as written in Tbilisi, Tirana or Oslo: twelve lari fifty, not 1,250.
        let r = spend("12,50");
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let kept = w.number(&format!("SELECT MAX(amount_minor) AS n FROM activity_expenses WHERE level = 'community' AND activity_id = {id} AND description = 'Paint for the workshop'"));
        assert_eq!(kept, 1250, "12,50 GEL is 12.50 GEL");
        // Grouped thousands with a decimal comma, and with a decimal point: one reading each.
        assert_eq!(spend("1 250,50").status, StatusCode::SEE_OTHER);
        assert_eq!(spend("1,250.50").status, StatusCode::SEE_OTHER);
        let both = w.number(&format!("SELECT COUNT(*) AS n FROM activity_expenses WHERE level = 'community' AND activity_id = {id} AND amount_minor = 125050"));
        assert_eq!(both, 2);
        // One separator and three digits could be either: refused with both readings, nothing saved.
        let r = spend("1,250");
        assert_eq!(r.status, StatusCode::BAD_REQUEST);
        assert!(r.body.contains("amount:") && r.body.contains("1250") && r.body.contains("1.25"), "{}", r.body);
        assert_eq!(rows(&w), before + 3);
        // The API takes a dot for decimals and nothing else, naming the field.
        let pool = w.number("SELECT MIN(id) AS n FROM asset_pools");
        let r = w.json(&tbilisi, &format!("/api/v1/asset-pools/{pool}/tools"), json!({
            "name": "Tile cutter", "category": "construction", "quantity": 1, "condition": "good",
            "value": "350,00", "fee_per_day": "1,250", "notes": "",
        }));
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.body);
        let named: Vec<String> = r.json()["details"].as_array().expect("details").iter()
            .map(|d| d["field"].as_str().unwrap_or("").to_owned()).collect();
        assert_eq!(named, ["value", "fee_per_day"], "{}", r.body);
        assert!(r.body.contains("350.00") && r.body.contains("1.25"), "says how to write them: {}", r.body);
        let r = w.json(&tbilisi, &format!("/api/v1/asset-pools/{pool}/tools"), json!({
            "name": "Tile cutter", "category": "construction", "quantity": 1, "condition": "good",
            "value": "350.00", "fee_per_day": "1.25", "notes": "",
        }));
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    }

    fn the_api_reads_pools_and_lends_through_them(db) {
        let w = Web::new(db);
        let public = w.anyone();
        let list = w.get(&public, "/api/v1/community-projects?country=ge").json();
        let samgori = list.as_array().and_then(|a| a.iter().find(|c| c["name"] == "Multifunctional service centre, Samgori")).cloned().expect("Samgori");
        assert_eq!((samgori["project"].as_str(), samgori["returnees"].is_null()), (Some("CD.0085"), true), "two returnees: withheld");
        assert_eq!(w.get(&public, "/api/v1/community-projects?country=Georgia").status, StatusCode::BAD_REQUEST);
        let id = samgori["id"].as_i64().expect("id");
        let detail = w.get(&public, &format!("/api/v1/community-projects/{id}")).json();
        assert_eq!(detail["partner"], "Samgori District Authority");
        assert!(detail["members"].as_array().is_some_and(|m| m.iter().map(|x| x["n"].as_i64().unwrap_or(0)).sum::<i64>() == 162), "{detail}");
        let pool = detail["pools"][0]["id"].as_i64().expect("pool");
        let tools = w.get(&public, &format!("/api/v1/asset-pools/{pool}/tools")).json();
        let drill = tools.as_array().and_then(|t| t.iter().find(|x| x["name"] == "Cordless drill")).cloned().expect("drill");
        assert_eq!((drill["fee_per_day"].as_str(), drill["out"].as_i64()), (Some("5.00"), Some(0)));
        assert!(w.get(&public, "/api/v1/asset-pools").json().as_array().is_some_and(|p| p.len() == 1));
        assert_eq!(w.get(&public, &format!("/api/v1/asset-pools/{pool}/loans")).status, StatusCode::UNAUTHORIZED, "borrowers are not public");
        // The operator lends through the API; a second loan of the drill is a conflict.
        let op = w.as_user("centre-operator.samgori@homeward.example");
        let due = homeward_domain::date::Ymd::from_days(homeward_store::today().to_days() + 2).to_string();
        let uri = format!("/api/v1/asset-pools/{pool}/loans");
        let made = w.json(&op, &uri, json!({"tool": drill["id"], "borrower": "Eka Tsiklauri", "due_on": due}));
        assert_eq!(made.status, StatusCode::CREATED, "{}", made.body);
        let again = w.json(&op, &uri, json!({"tool": drill["id"], "borrower": "Beka Lomidze", "due_on": due}));
        assert_eq!(again.status, StatusCode::CONFLICT);
        assert!(again.json()["error"].as_str().unwrap_or("").contains("already lent"), "{}", again.body);
        let bad = w.json(&op, &uri, json!({"tool": drill["id"], "borrower": "B", "due_on": "soon", "colour": "red"}));
        assert_eq!(bad.status, StatusCode::BAD_REQUEST);
        assert_eq!(w.json(&op, &uri, json!({"tool": 999_999, "borrower": "Beka Lomidze", "due_on": due})).status, StatusCode::NOT_FOUND);
        let open = w.get(&op, &uri).json();
        assert!(open.as_array().is_some_and(|l| l.iter().any(|x| x["borrower"] == "Eka Tsiklauri")), "{open}");
        assert_eq!(w.get(&op, &format!("{uri}?which=lost")).status, StatusCode::BAD_REQUEST);
        assert!(w.get(&op, &format!("{uri}?which=overdue")).json().as_array().is_some_and(|l| l.iter().any(|x| x["borrower"] == "Natia Lomidze")));
        let loan = made.json()["id"].as_i64().expect("loan");
        let r = w.json(&op, &format!("{uri}/{loan}/return"), json!({"condition": "shiny"}));
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.body);
        assert_eq!(r.json()["details"][0]["field"], "condition");
        let r = w.json(&op, &format!("{uri}/{loan}/return"), json!({"condition": "fair", "fee": "2.50"}));
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!((r.json()["fee"].as_str(), r.json()["currency"].as_str()), (Some("2.50"), Some("GEL")), "a fee waived in part");
        assert_eq!(w.json(&op, &format!("{uri}/{loan}/return"), json!({"condition": "fair"})).status, StatusCode::CONFLICT);
        // Capacity building, read by anyone and added by who runs it.
        let acts = w.get(&public, "/api/v1/capacity-activities?country=WS").json();
        let training = acts.as_array().and_then(|a| a.iter().find(|x| x["kind"] == "training")).cloned().expect("training");
        assert_eq!((training["tested"].as_i64(), training["female"].as_i64()), (Some(7), Some(7)), "{training}");
        let one = w.get(&public, &format!("/api/v1/capacity-activities/{}", training["id"])).json();
        assert_eq!(one["outputs"][0]["text"], "Capacity of SRCT staff built");
        let apia = w.as_user("office-manager.apia@homeward.example");
        let office = w.number("SELECT id AS n FROM offices WHERE name = 'IOM Apia'");
        let r = w.json(&apia, "/api/v1/capacity-activities", json!({"title": "Follow-up workshop", "kind": "workshop", "project": "AU10P0004",
            "office": office, "country": "WS", "institution": "SRCT", "status": "planned", "male": 3}));
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let r = w.json(&apia, "/api/v1/community-projects", json!({"name": "Community garden", "project": "NO.SUCH", "office": office, "country": "WS", "status": "planned"}));
        assert_eq!((r.status, r.json()["details"][0]["field"].as_str()), (StatusCode::BAD_REQUEST, Some("project")));
        let tirana = w.number("SELECT id AS n FROM offices WHERE name = 'IOM Tirana'");
        let r = w.json(&apia, "/api/v1/community-projects", json!({"name": "Community garden", "project": "AU10P0004", "office": tirana, "country": "WS", "status": "planned"}));
        assert_eq!(r.status, StatusCode::FORBIDDEN, "another office's: {}", r.body);
    }
}
