//! The access matrix: every route of the router, for every demo role in Norway and in
//! Albania and for an anonymous visitor, against an expectation written here
//! independently of the route table. A route added without an expectation fails the
//! test. Then the record-level rules: office scope, handover, referral, names never to
//! M&E, sensitive fields never without the permission, through pages, exports and API.
//! Both databases, each test in its own.

use axum::Router;
use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use homeward_domain::access::Role;
use homeward_store::every_backend;
use homeward_store::testing::{TestDb, session_for};
use homeward_web::routes::RouteRule;
use homeward_web::{AppState, app};
use http_body_util::BodyExt;
use tower::ServiceExt;

const NAMES: &[&str] = &[
    "Abashidze",
    "Gelashvili",
    "Besnik",
    "Tregim",
    "Elira",
    "Demokrati",
    "Arben",
    "Shembull",
    "Drita",
    "Provë",
    "Gent",
    "Ilustrim",
];

struct Reply {
    status: StatusCode,
    location: String,
    body: String,
}

impl Reply {
    /// The gate (or a handler) refused: 401, 403, or a redirect to sign in.
    fn refused(&self) -> bool {
        matches!(
            self.status,
            StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN
        ) || (self.status == StatusCode::SEE_OTHER && self.location.starts_with("/signin?next="))
    }
}

struct World {
    db: TestDb,
    app: Router,
    rules: Vec<RouteRule>,
    rt: tokio::runtime::Runtime,
}

/// Who asks.
#[derive(Clone)]
enum As {
    Anonymous,
    Session { token: String, csrf: String },
    Bearer(String),
}

impl World {
    fn new(db: TestDb) -> World {
        homeward_interop::demo::load_people(&db.store, "amber-basil-cedar-delta-42")
            .expect("demo people");
        let (app, rules) = app(AppState::new(db.store.clone()));
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("runtime");
        World { db, app, rules, rt }
    }

    fn user_id(&self, email: &str) -> i64 {
        self.db
            .store
            .user_by_email(email)
            .expect("ok")
            .expect("demo user")
            .id
    }

    fn session(&self, email: &str) -> As {
        let s = session_for(&self.db.store, self.user_id(email));
        As::Session {
            token: s.token,
            csrf: s.csrf,
        }
    }

    fn send(
        &self,
        who: &As,
        method: Method,
        uri: &str,
        form: &[(&str, &str)],
        with_csrf: bool,
    ) -> Reply {
        let mut req = Request::builder().method(method.clone()).uri(uri);
        let mut pairs: Vec<(String, String)> = form
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        match who {
            As::Anonymous => {
                req = req.header(header::COOKIE, "hw_pre=pre-session-token");
                if with_csrf {
                    pairs.push(("_csrf".into(), "pre-session-token".into()));
                }
            }
            As::Session { token, csrf } => {
                req = req.header(header::COOKIE, format!("hw_session={token}"));
                if with_csrf {
                    pairs.push(("_csrf".into(), csrf.clone()));
                }
            }
            As::Bearer(t) => req = req.header(header::AUTHORIZATION, format!("Bearer {t}")),
        }
        let body = if method == Method::POST {
            req = req.header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
            let mut ser = form_urlencoded::Serializer::new(String::new());
            for (k, v) in &pairs {
                ser.append_pair(k, v);
            }
            Body::from(ser.finish())
        } else {
            Body::empty()
        };
        let req = req.body(body).expect("request");
        let app = self.app.clone();
        self.rt.block_on(async move {
            let res = app.oneshot(req).await.expect("response");
            let status = res.status();
            let location = res
                .headers()
                .get(header::LOCATION)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("")
                .to_owned();
            let bytes = res.into_body().collect().await.expect("body").to_bytes();
            Reply {
                status,
                location,
                body: String::from_utf8_lossy(&bytes).into_owned(),
            }
        })
    }

    fn get(&self, who: &As, uri: &str) -> Reply {
        self.send(who, Method::GET, uri, &[], false)
    }

    fn post(&self, who: &As, uri: &str, form: &[(&str, &str)]) -> Reply {
        self.send(who, Method::POST, uri, form, true)
    }

    /// A multipart form post as a browser sends an upload: `fields` first (with the
    /// session cookie and the given CSRF token), then the file.
    fn upload(
        &self,
        token: &str,
        csrf: &str,
        uri: &str,
        fields: &[(&str, &str)],
        file: (&str, &str, &[u8]),
    ) -> (StatusCode, String) {
        let boundary = "hw-test-boundary";
        let mut body = String::new();
        for (k, v) in [("_csrf", csrf)].iter().chain(fields) {
            body.push_str(&format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n"
            ));
        }
        let (name, content_type, bytes) = file;
        body.push_str(&format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: {content_type}\r\n\r\n"));
        let mut body = body.into_bytes();
        body.extend_from_slice(bytes);
        body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
        let req = Request::builder()
            .method(Method::POST)
            .uri(uri)
            .header(header::COOKIE, format!("hw_session={token}"))
            .header(
                header::CONTENT_TYPE,
                format!("multipart/form-data; boundary={boundary}"),
            )
            .body(Body::from(body))
            .expect("request");
        let app = self.app.clone();
        self.rt.block_on(async move {
            let res = app.oneshot(req).await.expect("response");
            let status = res.status();
            let bytes = res.into_body().collect().await.expect("body").to_bytes();
            (status, String::from_utf8_lossy(&bytes).into_owned())
        })
    }

    fn case_id(&self, given: &str) -> i64 {
        // Cases are numbered in the order the demo registers them.
        match given {
            "Elira" => 1,
            "Arben" => 2,
            "Drita" => 3,
            "Gent" => 4,
            _ => panic!("no demo case for {given}"),
        }
    }
}

/// Who may pass each route, stated here on its own so that a change to the table or to
/// the default roles that is not also made here fails.
#[derive(Debug, Clone, Copy)]
enum Expect {
    /// Everyone, signed in or not.
    Everyone,
    /// Only the pending session between password and one-time code.
    PendingOnly,
    /// Any signed-in user.
    AnySigned,
    /// These roles.
    Roles(&'static [Role]),
}

fn expectation(method: &Method, path: &str) -> Option<Expect> {
    use Expect::*;
    use Role::*;
    const CASE_READERS: &[Role] = &[OfficeManager, Caseworker, Partner];
    const CASE_WRITERS: &[Role] = &[OfficeManager, Caseworker];
    const AGGREGATES: &[Role] = &[Administrator, OfficeManager, ProgrammeManager, MeOfficer];
    const ADMINS: &[Role] = &[Administrator];
    let get = *method == Method::GET;
    Some(match path {
        "/"
        | "/healthz"
        | "/readyz"
        | "/projects"
        | "/projects/export/{format}"
        | "/projects/{id}"
        | "/lang/{code}"
        | "/static/{file}"
        | "/api/v1/projects"
        | "/api/v1/projects/{id}"
        | "/api/v1/openapi.json"
        | "/community/export/{format}"
        | "/capacity/export/{format}"
        | "/pools/{id}"
        | "/countries/{code}"
        | "/api/v1/community-projects/{id}"
        | "/api/v1/asset-pools"
        | "/api/v1/asset-pools/{id}"
        | "/api/v1/capacity-activities/{id}" => Everyone,
        "/api/v1/community-projects"
        | "/api/v1/capacity-activities"
        | "/api/v1/asset-pools/{id}/tools"
            if get =>
        {
            Everyone
        }
        "/api/v1/community-projects"
        | "/api/v1/capacity-activities"
        | "/api/v1/asset-pools/{id}/tools" => Roles(&[OfficeManager, ProgrammeManager]),
        "/api/v1/asset-pools/{id}/loans" | "/api/v1/asset-pools/{id}/loans/{loan}/return" => {
            Roles(&[OfficeManager, ProgrammeManager, CentreOperator])
        }
        "/community" | "/community/{id}" | "/capacity" | "/capacity/{id}" if get => Everyone,
        "/work" => Roles(&[OfficeManager, ProgrammeManager, CentreOperator]),
        // Linking a returnee needs reading their case too.
        "/community/{id}/participants" => Roles(&[OfficeManager]),
        "/community/{id}/participants/{case}/remove"
        | "/community/{id}/outputs/{row}/remove"
        | "/community/{id}/expenses/{row}/remove"
        | "/capacity/{id}/outputs/{row}/remove"
        | "/capacity/{id}/expenses/{row}/remove" => Roles(&[OfficeManager, ProgrammeManager]),
        "/community/new"
        | "/community/{id}/manage"
        | "/community/{id}/members"
        | "/community/{id}/outputs"
        | "/community/{id}/expenses"
        | "/community/{id}/pools"
        | "/capacity/new"
        | "/capacity/{id}/manage"
        | "/capacity/{id}/participants"
        | "/capacity/{id}/outputs"
        | "/capacity/{id}/expenses"
        | "/pools/{id}/tools"
        | "/pools/{id}/tools/{tool}" => Roles(&[OfficeManager, ProgrammeManager]),
        "/community" | "/capacity" | "/community/{id}" | "/capacity/{id}" => {
            Roles(&[OfficeManager, ProgrammeManager])
        }
        "/pools/{id}/counter" | "/pools/{id}/lend" | "/pools/{id}/loans/{loan}/return" => {
            Roles(&[OfficeManager, ProgrammeManager, CentreOperator])
        }
        "/signin" | "/password/{token}" => Everyone,
        "/signin/code" => PendingOnly,
        "/signout"
        | "/account"
        | "/account/password"
        | "/account/signout-everywhere"
        | "/account/totp"
        | "/account/totp/disable"
        | "/account/recovery-codes"
        | "/account/tokens"
        | "/account/tokens/{id}/revoke"
        | "/api/v1/me" => AnySigned,
        "/cases" if get => Roles(CASE_READERS),
        "/cases" | "/cases/new" | "/cases/{id}/share" | "/cases/{id}/handover" => {
            Roles(CASE_WRITERS)
        }
        "/cases/export" => Roles(CASE_WRITERS),
        "/cases/bulk" | "/cases/searches" | "/cases/searches/{id}/delete" => Roles(CASE_READERS),
        "/cases/{id}"
        | "/cases/{id}/print"
        | "/api/v1/cases"
        | "/api/v1/cases/{id}"
        | "/my-work"
        | "/api/v1/me/work"
        | "/notifications"
        | "/notifications/read"
        | "/notifications/email"
        | "/api/v1/me/notifications"
        | "/api/v1/me/notifications/read" => Roles(CASE_READERS),
        "/api/v1/returnees"
        | "/api/v1/cases/{id}/plan"
        | "/api/v1/cases/{id}/assistance"
        | "/api/v1/cases/{id}/referrals"
        | "/api/v1/cases/{id}/visits"
        | "/api/v1/cases/{id}/surveys"
        | "/api/v1/cases/{id}/tasks"
        | "/api/v1/cases/{id}/household"
        | "/api/v1/cases/{id}/notes"
        | "/api/v1/cases/{id}/documents"
        | "/api/v1/cases/{id}/documents/{document}"
        | "/api/v1/cases/{id}/erasure"
            if get =>
        {
            Roles(CASE_READERS)
        }
        "/api/v1/returnees"
        | "/api/v1/cases/{id}/plan/items"
        | "/api/v1/cases/{id}/receipts"
        | "/api/v1/cases/{id}/assistance"
        | "/api/v1/cases/{id}/referrals"
        | "/api/v1/cases/{id}/visits"
        | "/api/v1/cases/{id}/surveys"
        | "/api/v1/cases/{id}/tasks"
        | "/api/v1/cases/{id}/household"
        | "/api/v1/cases/{id}/stage"
        | "/api/v1/cases/{id}/handover"
        | "/api/v1/cases/{id}/package"
        | "/api/v1/cases/{id}/notes"
        | "/api/v1/cases/{id}/erasure"
        | "/api/v1/cases/{id}/notes/{note}"
        | "/api/v1/cases/{id}/documents"
        | "/api/v1/cases/{id}/plan/submit"
        | "/api/v1/cases/{id}/details" => Roles(CASE_WRITERS),
        "/cases/{id}/assign"
        | "/api/v1/cases/{id}/assign"
        | "/api/v1/cases/{id}/plan/decision"
        | "/api/v1/cases/{id}/erasure/{request}"
        | "/api/v1/cases/{id}/close"
        | "/cases/{id}/close"
        | "/cases/{id}/reopen"
        | "/cases/{id}/erasure/{request}"
        | "/cases/{id}/plan/decide" => Roles(&[OfficeManager]),
        "/cases/{id}/record.json"
        | "/cases/{id}/record"
        | "/cases/{id}/stage"
        | "/cases/{id}/package"
        | "/cases/{id}/details"
        | "/cases/{id}/receipts"
        | "/cases/{id}/return-again"
        | "/cases/{id}/household"
        | "/cases/{id}/household/{member}/remove"
        | "/cases/{id}/notes"
        | "/cases/{id}/notes/{note}"
        | "/cases/{id}/documents"
        | "/cases/{id}/consents"
        | "/cases/{id}/consents/{consent}/withdraw"
        | "/cases/{id}/erasure"
        | "/cases/{id}/plan/items"
        | "/cases/{id}/plan/items/{item}/remove"
        | "/cases/{id}/plan/submit"
        | "/cases/{id}/assistance"
        | "/cases/{id}/referrals"
        | "/cases/{id}/referrals/{referral}"
        | "/cases/{id}/follow-ups"
        | "/cases/{id}/surveys"
        | "/surveys/import"
        | "/cases/{id}/tasks"
        | "/cases/{id}/tasks/{task}/done" => Roles(CASE_WRITERS),
        "/receipts/{receipt}" | "/documents/{document}" => Roles(CASE_READERS),
        "/referrals/{referral}/respond" => Roles(&[Partner]),
        "/stats" | "/api/v1/stats" | "/dashboard" | "/dashboard/{file}" => Roles(AGGREGATES),
        "/packages"
        | "/packages/{id}"
        | "/packages/rules/{key}"
        | "/indicators"
        | "/projects/{id}/indicators" => Roles(&[Administrator, ProgrammeManager]),
        "/admin" => Roles(ADMINS),
        "/admin/offices"
        | "/admin/offices/{id}"
        | "/admin/users"
        | "/admin/users/{id}/role"
        | "/admin/users/{id}/disable"
        | "/admin/users/{id}/enable"
        | "/admin/users/{id}/reset"
        | "/admin/roles"
        | "/admin/roles/{role}"
        | "/admin/audit"
        | "/admin/audit/export"
        | "/admin/rates"
        | "/admin/rates/import"
        | "/admin/instruments"
        | "/admin/instruments/{id}"
        | "/admin/instruments/{id}/toml"
        | "/admin/instruments/{id}/xlsform"
        | "/admin/instruments/{id}/adopt"
        | "/admin/retention"
        | "/admin/retention/offices/{id}"
        | "/admin/retention/cases"
        | "/admin/retention/hold"
        | "/admin/retention/release"
        | "/admin/processing"
        | "/admin/processing.md" => Roles(ADMINS),
        _ => return None,
    })
}

/// A concrete address for a declared path; ids that exist nowhere, so that allowed
/// requests reach their handler without changing anything.
fn concrete(path: &str) -> String {
    path.replace("{format}", "csv")
        .replace("{code}", "en")
        .replace("{file}", "style.css")
        .replace("{token}", "no-such-link")
        .replace("{role}", "no_such_role")
        .replace("{id}", "999999")
        .replace("{member}", "999999")
        .replace("{consent}", "999999")
        .replace("{item}", "999999")
        .replace("{referral}", "999999")
        .replace("{task}", "999999")
        .replace("{receipt}", "999999")
        .replace("{document}", "999999")
        .replace("{loan}", "999999")
        .replace("{tool}", "999999")
        .replace("{case}", "999999")
        .replace("{row}", "999999")
        .replace("{key}", "no_such_rule")
}

fn demo_emails() -> Vec<(Role, String)> {
    let mut v = vec![];
    for place in ["oslo", "tirana"] {
        for r in Role::ALL.iter().filter(|r| **r != Role::CentreOperator) {
            v.push((
                *r,
                format!("{}.{place}@homeward.example", r.code().replace('_', "-")),
            ));
        }
    }
    // Centre operators work at the demo's tool library in Samgori.
    v.push((
        Role::CentreOperator,
        "centre-operator.samgori@homeward.example".to_owned(),
    ));
    v
}

every_backend! {
    fn every_route_has_a_rule_and_every_role_gets_its_due(db) {
        let w = World::new(db);
        let mut missing = vec![];
        let mut wrong = vec![];
        for rule in &w.rules {
            let Some(expect) = expectation(&rule.method, rule.path) else {
                missing.push(format!("{} {}", rule.method, rule.path));
                continue;
            };
            let uri = concrete(rule.path);
            let mut askers: Vec<(String, Option<Role>, As)> = vec![("anonymous".into(), None, As::Anonymous)];
            for (role, email) in demo_emails() {
                askers.push((email.clone(), Some(role), w.session(&email)));
            }
            for (who, role, asker) in askers {
                let r = w.send(&asker, rule.method.clone(), &uri, &[], true);
                let allowed = match (expect, role) {
                    (Expect::Everyone, _) => true,
                    (Expect::PendingOnly, _) => false,
                    (Expect::AnySigned, r) => r.is_some(),
                    (Expect::Roles(rs), Some(r)) => rs.contains(&r),
                    (Expect::Roles(_), None) => false,
                };
                if allowed == r.refused() || r.status.is_server_error() {
                    wrong.push(format!(
                        "{} {} as {who}: expected {}, got {} {}",
                        rule.method, rule.path, if allowed { "allowed" } else { "refused" }, r.status, r.location
                    ));
                }
            }
        }
        assert!(missing.is_empty(), "routes without an expectation in the access matrix: {missing:#?}");
        assert!(wrong.is_empty(), "{} wrong answers:\n{}", wrong.len(), wrong.join("\n"));
    }

    fn every_form_post_needs_this_sessions_csrf_token(db) {
        let w = World::new(db);
        let admin = w.session("administrator.oslo@homeward.example");
        let worker = w.session("caseworker.oslo@homeward.example");
        for rule in w.rules.iter().filter(|r| r.method == Method::POST) {
            let uri = concrete(rule.path);
            for who in [&admin, &worker, &As::Anonymous] {
                let r = w.send(who, Method::POST, &uri, &[], false);
                assert_eq!(r.status, StatusCode::FORBIDDEN, "POST {} without a token", rule.path);
                let r = w.send(who, Method::POST, &uri, &[("_csrf", "forged")], false);
                assert_eq!(r.status, StatusCode::FORBIDDEN, "POST {} with a forged token", rule.path);
            }
        }
        // Another session's token does not do either.
        let As::Session { csrf: other, .. } = w.session("caseworker.tirana@homeward.example") else { unreachable!() };
        let r = w.send(&worker, Method::POST, "/cases/2/handover", &[("_csrf", other.as_str())], false);
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        assert!(r.body.contains("expired"), "says what happened");
        assert_eq!(w.db.store.audit_search(
            &w.db.store.console_principal(w.user_id("administrator.oslo@homeward.example")).expect("ok").expect("p")
                .authorize::<homeward_domain::access::ReadAudit>().expect("audit"),
            &homeward_store::audit::AuditQuery { action: Some(homeward_domain::audit::Action::Handover), limit: 10, ..Default::default() },
        ).expect("ok").len(), 2, "only the demo's own handovers happened");
    }

    fn cases_follow_offices_handovers_and_referrals(db) {
        let w = World::new(db);
        let oslo = w.session("caseworker.oslo@homeward.example");
        let tirana = w.session("caseworker.tirana@homeward.example");
        let partner = w.session("partner.tirana@homeward.example");
        let oslo_partner = w.session("partner.oslo@homeward.example");
        let (elira, arben, drita, gent) = (w.case_id("Elira"), w.case_id("Arben"), w.case_id("Drita"), w.case_id("Gent"));
        // Norway: its own case and the one it handed over; not Albania's own.
        assert_eq!(w.get(&oslo, &format!("/cases/{arben}")).status, StatusCode::OK);
        assert_eq!(w.get(&oslo, &format!("/cases/{elira}")).status, StatusCode::OK, "handed over");
        for id in [drita, gent] {
            assert_eq!(w.get(&oslo, &format!("/cases/{id}")).status, StatusCode::NOT_FOUND);
            assert_eq!(w.get(&oslo, &format!("/api/v1/cases/{id}")).status, StatusCode::NOT_FOUND);
        }
        let list = w.get(&oslo, "/cases?view=all").body;
        assert!(list.contains("Arben") && list.contains("Elira") && !list.contains("Drita") && !list.contains("Gent"));
        // Albania sees what it owns, including the case handed over to it.
        let list = w.get(&tirana, "/api/v1/cases").body;
        assert!(list.contains("Elira") && list.contains("Drita") && list.contains("Gent") && !list.contains("Arben"));
        // Once Albania shares Gent's case with Norway, Norway may open it.
        let r = w.post(&tirana, &format!("/cases/{gent}/share"), &[("office", "1"), ("kind", "shared")]);
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        assert_eq!(w.get(&oslo, &format!("/cases/{gent}")).status, StatusCode::OK);
        // A partner sees only what was referred to it.
        let p = w.get(&partner, "/cases").body;
        assert!(p.contains("Drita") && !p.contains("Elira") && !p.contains("Gent") && !p.contains("Arben"));
        assert_eq!(w.get(&partner, &format!("/cases/{elira}")).status, StatusCode::NOT_FOUND);
        let api = w.get(&partner, "/api/v1/cases").body;
        assert!(api.contains("Drita") && !api.contains("Elira"));
        assert!(!w.get(&oslo_partner, "/cases").body.contains("Drita"), "another partner sees nothing");
        // A referral without consent is refused and changes nothing.
        let r = w.post(&tirana, &format!("/cases/{gent}/referrals"), &[("office", "4"), ("service", "counselling")]);
        assert_eq!(r.status, StatusCode::BAD_REQUEST);
        assert!(r.body.contains("consent"));
        assert!(!w.get(&partner, "/cases").body.contains("Gent"));
    }

    fn a_caseworker_corrects_a_returnees_details_and_the_name_is_found_at_once(db) {
        let w = World::new(db);
        let worker = w.session("caseworker.tirana@homeward.example");
        let gent = w.case_id("Gent");
        let page = w.get(&worker, &format!("/cases/{gent}")).body;
        assert!(page.contains("Correct the returnee") && page.contains("/details\""), "the form is offered");
        let v = page.split("name=\"version\" value=\"").nth(1).and_then(|r| r.split('"').next()).expect("a version").to_owned();
        let origin = page.split("name=\"origin_office\" value=\"").nth(1).and_then(|r| r.split('"').next()).expect("origin").to_owned();
        let form = |family: &'static str, nationality: &'static str| vec![
            ("version", v.clone()), ("origin_office", origin.clone()), ("given_name", "Gent".to_owned()),
            ("family_name", family.to_owned()), ("sex", "male".to_owned()), ("birth_date", "1979-08-30".to_owned()),
            ("nationality", nationality.to_owned()), ("return_area", "Kukës".to_owned()), ("return_place", "Bajram Curri".to_owned()),
            ("phone", "+355 69 000 0000".to_owned()),
        ];
        let send = |f: Vec<(&'static str, String)>| {
            let pairs: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
            w.post(&worker, &format!("/cases/{gent}/details"), &pairs)
        };
        let bad = send(form("Ilustrimi", "ZZ"));
        assert_eq!(bad.status, StatusCode::BAD_REQUEST);
        assert!(bad.body.contains("nationality"), "the field is named");
        let ok = send(form("Ilustrimi", "AL"));
        assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
        let page = w.get(&worker, &format!("/cases/{gent}")).body;
        assert!(page.contains("Ilustrimi") && page.contains("Bajram Curri") && page.contains("+355 69 000 0000"));
        let found = w.get(&worker, "/cases?view=all&q=gent+ilustrimmi").body;
        assert!(found.contains(&format!("/cases/{gent}")), "the corrected name is found, misspelt");
        let by_place = w.get(&worker, "/cases?view=all&place=bajram").body;
        assert!(by_place.contains(&format!("/cases/{gent}")), "and by its new place of return");
        // The same form again, from the version before the correction: refused with what changed.
        let stale = send(form("Ilustrim", "AL"));
        assert_eq!(stale.status, StatusCode::CONFLICT);
        assert!(w.get(&worker, &format!("/cases/{gent}")).body.contains("Ilustrimi"), "the first save stands");
    }

    fn two_people_editing_the_same_details_are_merged_or_shown_what_clashed(db) {
        let w = World::new(db);
        let worker = w.session("caseworker.tirana@homeward.example");
        let manager = w.session("office-manager.tirana@homeward.example");
        let gent = w.case_id("Gent");
        let attr = |page: &str, name: &str| page.split(&format!("name=\"{name}\" value=\"")).nth(1).and_then(|r| r.split('"').next()).map(str::to_owned);
        // The details form as opened: every field with what it showed, and what it started from.
        let opened = |who: &As| {
            let page = w.get(who, &format!("/cases/{gent}")).body;
            let mut form: Vec<(String, String)> = vec![
                ("version".into(), attr(&page, "version").expect("version")),
                ("origin_office".into(), attr(&page, "origin_office").expect("origin")),
            ];
            for f in ["given_name", "family_name", "sex", "birth_date", "birth_date_estimated", "nationality", "languages", "phone", "email", "return_country", "return_area", "return_place", "vulnerabilities", "health_notes"] {
                let was = attr(&page, &format!("was_{f}")).unwrap_or_default();
                form.push((format!("was_{f}"), was.clone()));
                if f == "vulnerabilities" {
                    form.extend(was.split(',').filter(|c| !c.is_empty()).map(|c| (f.to_owned(), c.to_owned())));
                } else {
                    form.push((f.to_owned(), was));
                }
            }
            form
        };
        let set = |form: &mut Vec<(String, String)>, k: &str, v: &str| {
            if let Some(x) = form.iter_mut().find(|(n, _)| n == k) { x.1 = v.to_owned(); }
        };
        let send = |who: &As, form: &[(String, String)]| {
            let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            w.post(who, &format!("/cases/{gent}/details"), &pairs)
        };
        // Both open the case; the manager corrects the phone, the caseworker the place.
        let (mut theirs, mut mine) = (opened(&manager), opened(&worker));
        set(&mut theirs, "phone", "+355 69 111 1111");
        assert_eq!(send(&manager, &theirs).status, StatusCode::SEE_OTHER);
        set(&mut mine, "return_place", "Bajram Curri");
        let r = send(&worker, &mine);
        assert_eq!(r.status, StatusCode::SEE_OTHER, "different fields merge without asking: {}", r.body);
        let page = w.get(&worker, &format!("/cases/{gent}")).body;
        assert!(page.contains("+355 69 111 1111") && page.contains("Bajram Curri"), "both changes stand");
        // Both change the phone: the second is shown field by field who wrote what.
        let (mut theirs, mut mine) = (opened(&manager), opened(&worker));
        set(&mut theirs, "phone", "+355 69 222 2222");
        set(&mut theirs, "languages", "Albanian, Italian");
        assert_eq!(send(&manager, &theirs).status, StatusCode::SEE_OTHER);
        set(&mut mine, "phone", "+355 69 333 3333");
        let r = send(&worker, &mine);
        assert_eq!(r.status, StatusCode::CONFLICT);
        let row = r.body.split("<th scope=\"row\">Phone</th>").nth(1).and_then(|x| x.split("</tr>").next()).expect("the phone's row").to_owned();
        assert!(row.contains("+355 69 111 1111") && row.contains("+355 69 222 2222") && row.contains("+355 69 333 3333"), "{row}");
        assert!(!r.body.contains("<th scope=\"row\">Languages</th>"), "only what both changed is a conflict");
        assert!(r.body.contains("Saved first by") && r.body.contains("Office manager (tirana, demo)"), "who saved first is named");
        let input = |page: &str, name: &str| page.split(&format!("name=\"{name}\"")).nth(1).and_then(|r| r.split('>').next()).and_then(|t| t.split("value=\"").nth(1)).and_then(|v| v.split('"').next()).map(str::to_owned);
        assert_eq!(input(&r.body, "phone").as_deref(), Some("+355 69 333 3333"), "what the second person typed is kept");
        assert!(!w.get(&worker, &format!("/cases/{gent}")).body.contains("+355 69 333 3333"), "nothing saved yet");
        assert_eq!(input(&r.body, "languages").as_deref(), Some("Albanian, Italian"), "their other change is in the kept form");
        // One click: the kept form (what was typed, from the current version and values)
        // puts the second person's over the first's.
        let again: Vec<(String, String)> = mine
            .iter()
            .map(|(k, v)| match k.as_str() {
                "version" => (k.clone(), attr(&r.body, "version").expect("version")),
                _ if k.starts_with("was_") => (k.clone(), attr(&r.body, k).unwrap_or_default()),
                // Inputs as kept on the page; selects and boxes as they were sent.
                "vulnerabilities" | "birth_date_estimated" => (k.clone(), v.clone()),
                _ => (k.clone(), input(&r.body, k).unwrap_or_else(|| v.clone())),
            })
            .collect();
        let r = send(&worker, &again);
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let page = w.get(&worker, &format!("/cases/{gent}")).body;
        assert!(page.contains("+355 69 333 3333") && page.contains("Albanian, Italian"), "mine over theirs, their other change kept");
    }

    fn the_story_shows_its_scores_and_a_survey_is_taken_with_consent(db) {
        let w = World::new(db);
        let worker = w.session("caseworker.tirana@homeward.example");
        // The published story: a baseline on arrival and a follow-up a year on.
        let page = w.get(&worker, "/cases/5").body;
        assert!(page.contains("Well-being surveys") && page.contains("<svg class=\"chart\""), "the chart is drawn");
        assert!(page.contains("homeward-wellbeing v1") && page.contains("Baseline (before the plan)"));
        assert!(page.contains("Homeward&#39;s own instrument (not IOM") || page.contains("Homeward's own instrument (not IOM"), "the instrument says whose it is");
        assert!(page.contains("<td class=\"n\">1.00</td>"), "the follow-up's scores are in the table");
        let gent = w.case_id("Gent");
        let page = w.get(&worker, &format!("/cases/{gent}")).body;
        assert!(page.contains("consent to follow-up surveys before taking one"), "no form without consent");
        let instrument = page.split("name=\"instrument\" value=\"").nth(1).map(|r| r.split('"').next().unwrap_or_default().to_owned());
        assert_eq!(instrument, None);
        let survey = [("kind", "baseline"), ("taken_on", "2026-01-10"), ("instrument", "1"), ("a_income_sources", "one"), ("a_housing", "adequate")];
        let r = w.post(&worker, &format!("/cases/{gent}/surveys"), &survey);
        assert_eq!(r.status, StatusCode::BAD_REQUEST);
        assert!(r.body.contains("consent"), "refused for want of consent");
        let r = w.post(&worker, &format!("/cases/{gent}/consents"), &[("purpose", "surveys"), ("given_on", "2026-01-05")]);
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let page = w.get(&worker, &format!("/cases/{gent}")).body;
        assert!(page.contains("name=\"a_distress\""), "the form asks the instrument's questions");
        let bad = w.post(&worker, &format!("/cases/{gent}/surveys"), &[("kind", "baseline"), ("taken_on", "2026-01-10"), ("instrument", "1"), ("a_income_sources", "plenty")]);
        assert_eq!(bad.status, StatusCode::BAD_REQUEST);
        assert!(bad.body.contains("income_sources") && bad.body.contains("two_or_more"), "the answer and its options are named");
        let r = w.post(&worker, &format!("/cases/{gent}/surveys"), &survey);
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let page = w.get(&worker, &format!("/cases/{gent}")).body;
        // Economic: one income source (0.5); social: adequate housing (1); no psychosocial
        // answer, so no composite.
        assert!(page.contains("<td class=\"n\">0.50</td><td class=\"n\">1.00</td><td class=\"n\">–</td><td class=\"n\">–</td>"), "{}", page.split("sv-h").nth(1).unwrap_or_default());
        let again = w.post(&worker, &format!("/cases/{gent}/surveys"), &survey);
        assert_eq!(again.status, StatusCode::BAD_REQUEST);
        assert!(again.body.contains("baseline survey already"));
    }

    fn a_person_who_returns_again_gets_a_new_case_on_the_same_record(db) {
        let w = World::new(db);
        let worker = w.session("caseworker.tirana@homeward.example");
        let story = 5;
        let page = w.get(&worker, &format!("/cases/{story}")).body;
        assert!(page.contains("Register a new return for this person"), "offered on a closed case");
        let r = w.post(&worker, &format!("/cases/{story}/return-again"), &[]);
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let new = r.location.trim_start_matches("/cases/").parse::<i64>().expect("the new case");
        assert_ne!(new, story);
        let page = w.get(&worker, &r.location).body;
        assert!(page.contains("Besnik") && page.contains("Tregim") && page.contains("HW-000005"), "the same person, the earlier case named");
        assert!(!page.contains("Register a new return for this person"), "not offered on an open case");
        let found = w.get(&worker, "/cases?view=all&q=besnik+tregim").body;
        assert!(found.contains(&format!("/cases/{new}\"")) && found.contains(&format!("/cases/{story}\"")), "both cases are found by the name");
        // An open case is continued, not doubled.
        let again = w.post(&worker, &format!("/cases/{new}/return-again"), &[]);
        assert_eq!(again.status, StatusCode::BAD_REQUEST);
        assert!(again.body.contains("still open"));
    }

    fn a_receipt_is_uploaded_typed_by_its_bytes_and_downloaded(db) {
        let w = World::new(db);
        let s = session_for(&w.db.store, w.user_id("caseworker.tirana@homeward.example"));
        let story = 5;
        let page = w.get(&As::Session { token: s.token.clone(), csrf: s.csrf.clone() }, &format!("/cases/{story}")).body;
        let payment = page.split("id=\"rc-payment\"").nth(1).and_then(|r| r.split("value=\"").nth(1)).and_then(|r| r.split('"').next()).expect("a payment to attach to").to_owned();
        let upload = |csrf: &str, name: &str, bytes: &[u8]| {
            w.upload(&s.token, csrf, &format!("/cases/{story}/receipts"), &[("payment", &payment)], (name, "application/octet-stream", bytes))
        };
        let pdf = b"%PDF-1.4\n% a receipt for six cows\n%%EOF\n";
        assert_eq!(upload("forged", "cows.pdf", pdf).0, StatusCode::FORBIDDEN, "the upload needs this session's token");
        let (status, body) = upload("not-a-pdf", "x.exe", b"MZ\x90\x00");
        assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
        let (status, body) = upload(&s.csrf, "tool.exe", b"MZ\x90\x00");
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
        assert!(body.contains("receipt"), "the field is named");
        let (status, body) = upload(&s.csrf, "cows receipt.pdf", pdf);
        assert_eq!(status, StatusCode::SEE_OTHER, "{body}");
        let who = As::Session { token: s.token.clone(), csrf: s.csrf.clone() };
        let page = w.get(&who, &format!("/cases/{story}")).body;
        let rid = page.split("/receipts/").nth(1).and_then(|r| r.split('"').next()).expect("the receipt is listed").to_owned();
        let file = w.get(&who, &format!("/receipts/{rid}"));
        assert_eq!(file.status, StatusCode::OK);
        assert_eq!(file.body.as_bytes(), pdf);
    }

    fn documents_are_kept_on_a_case_and_reach_only_its_readers(db) {
        let w = World::new(db);
        let s = session_for(&w.db.store, w.user_id("caseworker.tirana@homeward.example"));
        let who = As::Session { token: s.token.clone(), csrf: s.csrf.clone() };
        let gent = w.case_id("Gent");
        let upload = |kind: &str, name: &str, bytes: &[u8]| {
            w.upload(&s.token, &s.csrf, &format!("/cases/{gent}/documents"), &[("kind", kind)], (name, "application/octet-stream", bytes))
        };
        let pdf = b"%PDF-1.4\n% a car mechanics certificate\n%%EOF\n";
        // A file that is not a PDF, PNG or JPEG is refused beside the form, its kind kept.
        let (status, body) = upload("certificate", "certificate.pdf", b"MZ\x90\x00");
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
        assert!(body.contains("PDF, PNG or JPEG") && body.contains("<option value=\"certificate\" selected>"), "{body}");
        let (status, body) = upload("", "certificate.pdf", pdf);
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert!(body.contains("kind: choose what the document is"), "{body}");
        let (status, body) = upload("certificate", "certificate.pdf", pdf);
        assert_eq!(status, StatusCode::SEE_OTHER, "{body}");
        let page = w.get(&who, &format!("/cases/{gent}?done=documents")).body;
        assert!(page.contains("The document is kept with the case.") && page.contains("certificate.pdf"), "{page}");
        let doc = page.split("href=\"/documents/").nth(1).and_then(|r| r.split('"').next()).expect("listed").to_owned();
        let file = w.get(&who, &format!("/documents/{doc}"));
        assert_eq!((file.status, file.body.as_bytes()), (StatusCode::OK, &pdf[..]));
        // The API lists it and sends it; nobody outside the case's reach gets it.
        let api = w.get(&who, &format!("/api/v1/cases/{gent}/documents")).body;
        assert!(api.contains("\"kind\":\"certificate\"") && api.contains("\"content_type\":\"application/pdf\""), "{api}");
        assert_eq!(w.get(&who, &format!("/api/v1/cases/{gent}/documents/{doc}")).body.as_bytes(), pdf);
        let oslo = w.session("caseworker.oslo@homeward.example");
        assert_eq!(w.get(&oslo, &format!("/documents/{doc}")).status, StatusCode::NOT_FOUND);
        assert_eq!(w.get(&oslo, &format!("/api/v1/cases/{gent}/documents")).status, StatusCode::NOT_FOUND);
        let me = w.session("me-officer.tirana@homeward.example");
        assert_eq!(w.get(&me, &format!("/documents/{doc}")).status, StatusCode::FORBIDDEN);
        // Each download is in the audit trail.
        assert!(w.db.audited(&format!("record_type = 'document' AND record_id = '{doc}' AND action = 'view'")) >= 2);
    }

    fn the_case_file_prints_and_the_returnees_record_reads_in_their_language(db) {
        let w = World::new(db);
        let worker = w.session("caseworker.tirana@homeward.example");
        let story = 5;
        let paper = w.get(&worker, &format!("/cases/{story}/print"));
        assert_eq!(paper.status, StatusCode::OK);
        for fact in ["Besnik", "Tregim", "Six cows", "Case file", "Timeline"] {
            assert!(paper.body.contains(fact), "{fact} is on paper");
        }
        assert!(!paper.body.contains("<form") && !paper.body.contains("nav-my-work") && !paper.body.contains("Sign out"), "no menu, no form");
        assert_eq!(w.get(&w.session("caseworker.oslo@homeward.example"), "/cases/4/print").status, StatusCode::NOT_FOUND, "out of reach");
        assert_eq!(w.get(&w.session("me-officer.tirana@homeward.example"), &format!("/cases/{story}/print")).status, StatusCode::FORBIDDEN);
        // The returnee's record: in French when asked, exported (audited) each time.
        let before = w.db.audited("action = 'export' AND record_type = 'returnee'");
        let fr = w.get(&worker, &format!("/cases/{story}/record?lang=fr"));
        assert_eq!(fr.status, StatusCode::OK);
        assert!(fr.body.contains("Vos données personnelles conservées par Homeward") && fr.body.contains("lang=\"fr\"") && fr.body.contains("Tregim"), "{}", fr.body);
        assert!(fr.body.contains(&format!("/cases/{story}/record.json")), "the data file is offered beside it");
        // To whom the data was given: the story was handed over from Oslo to Tirana.
        let given = fr.body.split("À qui vos données ont été transmises").nth(1).unwrap_or_default();
        assert!(given.contains("IOM Tirana") && given.contains("Votre dossier a été transféré"), "{given}");
        let json = w.get(&worker, &format!("/cases/{story}/record.json")).body;
        let json: serde_json::Value = serde_json::from_str(&json).expect("json");
        assert_eq!((json["given_to"][0]["how"].as_str(), json["given_to"][0]["office"].as_str()), (Some("handover"), Some("IOM Tirana")), "{json}");
        let en = w.get(&worker, &format!("/cases/{story}/record?lang=xx")).body;
        assert!(en.contains("Your personal data held by Homeward"), "an unknown language falls back");
        assert_eq!(w.db.audited("action = 'export' AND record_type = 'returnee'"), before + 3, "each reading, the data file too");
    }

    fn erasure_is_asked_on_the_case_page_decided_by_the_manager_and_who_saw_it_is_listed(db) {
        let w = World::new(db);
        let worker = w.session("caseworker.tirana@homeward.example");
        let manager = w.session("office-manager.tirana@homeward.example");
        let admin = w.session("administrator.oslo@homeward.example");
        let story = 5;
        // Who saw it: for the manager (whose own view is the newest), not for the caseworker.
        let _ = w.get(&worker, &format!("/cases/{story}"));
        let page = w.get(&manager, &format!("/cases/{story}")).body;
        assert!(page.contains("Who saw this record") && page.contains("caseworker.tirana@homeward.example"), "the access log");
        assert!(!w.get(&worker, &format!("/cases/{story}")).body.contains("Who saw this record"));
        // The caseworker records the request; a missing basis is named.
        let r = w.post(&worker, &format!("/cases/{story}/erasure"), &[("basis", "")]);
        assert_eq!(r.status, StatusCode::BAD_REQUEST);
        assert!(r.body.contains("choose the legal basis"));
        let r = w.post(&worker, &format!("/cases/{story}/erasure"), &[("basis", "objection"), ("record_given", "1")]);
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let page = w.get(&manager, &format!("/cases/{story}")).body;
        assert!(page.contains("Approve and erase now") && page.contains("The returnee objects"));
        let request = w.db.number("SELECT MAX(id) AS n FROM erasure_requests");
        // Held as the worked example: the manager is told to have the hold released first.
        let r = w.post(&manager, &format!("/cases/{story}/erasure/{request}"), &[("decision", "approve")]);
        assert_eq!(r.status, StatusCode::BAD_REQUEST);
        assert!(r.body.contains("release the hold first"), "{}", r.body);
        assert!(w.post(&admin, "/admin/retention/release", &[("reference", "HW-000005")]).status == StatusCode::SEE_OTHER);
        let r = w.post(&manager, &format!("/cases/{story}/erasure/{request}"), &[("decision", "approve"), ("note", "objection upheld")]);
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let page = w.get(&manager, &format!("/cases/{story}")).body;
        assert!(page.contains("Anonymised on") && page.contains("Erased"), "the case says what happened");
        for name in ["Besnik", "Tregim", "Tropojë"] {
            assert!(!page.contains(name), "{name} is gone from the page");
            assert_eq!(w.db.found_in(name), Vec::<String>::new(), "{name} is gone from the database");
        }
        // The audit trail says what was removed, in words, and still verifies.
        let audit = w.get(&admin, &format!("/admin/audit?record_type=case&record_id={story}")).body;
        assert!(audit.contains("removed when the record was anonymised") && !audit.contains("Tregim"), "the trail keeps no name");
        assert!(w.db.store.audit_verify().expect("verify").is_ok());
        // Nothing more is written on it.
        let r = w.post(&worker, &format!("/cases/{story}/notes"), &[("kind", "visit"), ("text", "Saw him again")]);
        assert_eq!(r.status, StatusCode::BAD_REQUEST);
        assert!(r.body.contains("anonymised"));
    }

    fn the_record_of_processing_is_made_from_the_installation(db) {
        let w = World::new(db);
        let admin = w.session("administrator.oslo@homeward.example");
        w.post(&admin, &format!("/admin/retention/offices/{}", w.db.number("SELECT id AS n FROM offices WHERE name = 'IOM Tirana'")), &[("years", "7")]);
        let page = w.get(&admin, "/admin/processing");
        assert_eq!(page.status, StatusCode::OK);
        for fact in ["Record of processing", "Follow-up surveys", "Tirana Reintegration Partner (demo)", "Office manager", "See who viewed, exported or received", "returnees in", "anonymised."] {
            assert!(page.body.contains(fact), "{fact} is in the record");
        }
        let md = w.get(&admin, "/admin/processing.md");
        assert_eq!(md.status, StatusCode::OK);
        assert!(md.body.starts_with("# Record of processing\n"), "{}", md.body);
        assert!(md.body.contains("| IOM Tirana | 7 |"), "the office's term as set: {}", md.body);
        assert!(md.body.contains("| Partner |") || md.body.contains("| Partner | "), "each role with its people");
        assert!(w.get(&w.session("office-manager.tirana@homeward.example"), "/admin/processing.md").refused());
    }

    fn an_administrator_loads_exports_and_adopts_a_survey_instrument(db) {
        let w = World::new(db);
        let s = session_for(&w.db.store, w.user_id("administrator.oslo@homeward.example"));
        let admin = As::Session { token: s.token.clone(), csrf: s.csrf.clone() };
        let page = w.get(&admin, "/admin/instruments").body;
        assert!(page.contains("Homeward reintegration well-being survey") && page.contains("Current"), "the bundled version is listed as current");
        let upload = |csrf: &str, name: &str, text: &str, adopt: bool| {
            let fields: &[(&str, &str)] = if adopt { &[("adopt", "yes")] } else { &[] };
            w.upload(&s.token, csrf, "/admin/instruments", fields, (name, "application/toml", text.as_bytes()))
        };
        let v1 = homeward_interop::survey::toml_file::DEFAULT_TOML;
        assert_eq!(upload("forged", "v2.toml", v1, false).0, StatusCode::FORBIDDEN);
        // A score out of range: refused whole, the place named.
        let (status, body) = upload(&s.csrf, "bad.toml", &v1.replacen("score = 0.5", "score = 5.0", 1), false);
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
        assert!(body.contains("indicators[1] (income_sources).options[2] (one).score") && body.contains("5 is not between 0 and 1"), "{body}");
        // The same version again: a changed instrument needs a new number.
        let (status, body) = upload(&s.csrf, "same.toml", &v1.replacen("weight = 1.5", "weight = 3.0", 1), false);
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert!(body.contains("new version number"), "{body}");
        // Version 2 weighs the number of income sources more, adopted at once: the story's
        // surveys are scored by it.
        let v2 = v1.replacen("version = 1", "version = 2", 1).replacen("weight = 1.5", "weight = 3.0", 1);
        let (status, body) = upload(&s.csrf, "v2.toml", &v2, true);
        assert_eq!(status, StatusCode::OK, "{body}");
        assert!(body.contains("homeward-wellbeing version 2 was loaded and adopted; 2 surveys were scored by it"), "{body}");
        let listed = w.db.store.instruments().expect("list");
        let id2 = listed.iter().find(|i| i.version == 2).map(|i| i.id).expect("v2 stored");
        let page = w.get(&admin, &format!("/admin/instruments/{id2}")).body;
        assert!(page.contains("How many sources of income") && page.contains("income_sources") && page.contains("not scored"), "the questions, answers and scores are shown");
        let file = w.get(&admin, &format!("/admin/instruments/{id2}/toml"));
        assert_eq!(file.status, StatusCode::OK);
        let back = homeward_interop::survey::read_instrument("back.toml", &file.body).expect("the download reads back");
        assert_eq!(back.version(), 2);
        let form = w.get(&admin, &format!("/admin/instruments/{id2}/xlsform"));
        assert_eq!(form.status, StatusCode::OK);
        assert!(form.body.as_bytes().starts_with(b"PK"), "an XLSX workbook");
        // The story's case shows the same answers scored by version 2.
        let worker = w.session("caseworker.tirana@homeward.example");
        let case = w.get(&worker, "/cases/5").body;
        assert!(case.contains("homeward-wellbeing v1"), "the questions came from version 1");
        // Version 1 can be adopted back; its scores were kept.
        let id1 = listed.iter().find(|i| i.version == 1).map(|i| i.id).expect("v1");
        let r = w.post(&admin, &format!("/admin/instruments/{id1}/adopt"), &[]);
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        assert_eq!(w.db.store.current_instrument().expect("ok").map(|c| c.0), Some(id1));
        // Other roles do not reach the page.
        let manager = w.session("office-manager.tirana@homeward.example");
        assert_eq!(w.get(&manager, "/admin/instruments").status, StatusCode::FORBIDDEN);
    }

    fn surveys_collected_offline_are_imported_all_or_nothing(db) {
        let w = World::new(db);
        let s = session_for(&w.db.store, w.user_id("caseworker.tirana@homeward.example"));
        let who = As::Session { token: s.token.clone(), csrf: s.csrf.clone() };
        let page = w.get(&who, "/surveys/import").body;
        let instrument = page.split("name=\"instrument\"><option value=\"").nth(1).and_then(|r| r.split('"').next()).expect("a version to choose").to_owned();
        let upload = |csv: &str| {
            w.upload(&s.token, &s.csrf, "/surveys/import", &[("instrument", &instrument)], ("kobo.csv", "text/csv", csv.as_bytes()))
        };
        let gent = format!("HW-{:06}", w.case_id("Gent"));
        let header = "start;case_reference;survey_kind;taken_on;consent;economic/income_sources;social/housing;psy/distress;_uuid";
        let surveys_on_story = || w.get(&who, "/cases/5").body.matches("<td>Follow-up<br>").count();
        let before = surveys_on_story();
        // Gent has not consented to surveys, and HW-999999 is no case: refused, nothing kept.
        let bad = format!("{header}\n2026-03-01;HW-000005;follow_up;2026-03-01;yes;two_or_more;adequate;not_at_all;a\n2026-03-02;{gent};baseline;2026-03-02;yes;one;temporary;some_days;b\n2026-03-03;HW-999999;follow_up;2026-03-03;yes;one;;;c\n");
        let (status, body) = upload(&bad);
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
        assert!(body.contains("row 3, field consent") && body.contains("row 4, field case_reference"), "{body}");
        assert_eq!(surveys_on_story(), before, "nothing was recorded");
        // A bad answer is named by row and column before anything is looked up.
        let (status, body) = upload(&format!("{header}\n2026-03-01;HW-000005;follow_up;2026-03-01;yes;plenty;;;a\n"));
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert!(body.contains("row 2, field income_sources") && body.contains("two_or_more"), "{body}");
        // Good rows are recorded; one without consent is skipped and said so.
        let good = format!("{header}\n2026-03-01;HW-000005;follow_up;2026-03-01;yes;two_or_more;Adequate and stable;not_at_all;a\n2026-03-02;{gent};baseline;2026-03-02;no;;;;b\n");
        let (status, body) = upload(&good);
        assert_eq!(status, StatusCode::OK, "{body}");
        assert!(body.contains("1 surveys were recorded. 1 rows were skipped because the returnee did not consent: 3."), "{body}");
        assert_eq!(surveys_on_story(), before + 1);
    }

    fn the_dashboard_counts_within_scope_and_withholds_small_numbers(db) {
        let w = World::new(db);
        let me = w.session("me-officer.tirana@homeward.example");
        let page = w.get(&me, "/dashboard?country=AL");
        assert_eq!(page.status, StatusCode::OK);
        let body = page.body;
        assert!(body.contains("Returns by year") && body.contains("<svg class=\"chart bars\"") && body.contains("<svg class=\"chart map\""), "charts are drawn");
        assert!(body.contains("counts under 5 are withheld"), "the M&E officer is told small numbers are withheld");
        assert!(!body.contains("Besnik") && !body.contains("Tregim"), "never a name");
        // The story's one follow-up: withheld from an M&E officer, in the page and the download.
        let bands = body.split("id=\"bands\"").nth(1).unwrap_or_default();
        assert!(bands.contains("<td>fewer than 5</td>") && !bands.contains("&#60;5"), "in words: {bands}");
        let csv = w.get(&me, "/dashboard/bands.hxl?country=AL");
        assert_eq!(csv.status, StatusCode::OK);
        assert!(csv.body.starts_with("Band,Cases\n#indicator+band,#affected+surveyed+num\n"), "{}", csv.body);
        assert!(csv.body.contains("High,\n"), "withheld cells are empty in HXL: {}", csv.body);
        // An office manager reads the cases: exact numbers, but still only the office's.
        let manager = w.session("office-manager.tirana@homeward.example");
        let body = w.get(&manager, "/dashboard?country=AL").body;
        assert!(!body.contains("counts under 5 are withheld"));
        let bands = body.split("id=\"bands\"").nth(1).unwrap_or_default();
        assert!(bands.contains("<td>High</td><td>1</td>"), "{bands}");
        // The same survey in the finer distribution: a tenth at or above the high threshold.
        let tenths = body.split("id=\"distribution\"").nth(1).unwrap_or_default();
        assert!(["0.7–0.8", "0.8–0.9", "0.9–1.0"].iter().any(|r| tenths.contains(&format!("<td>{r}</td><td>1</td>"))), "{tenths}");
        // Downloads are withheld whoever asks.
        let csv = w.get(&manager, "/dashboard/bands.csv?country=AL").body;
        assert!(csv.contains("High,fewer than 5"), "{csv}");
        // A bad filter is named and the page still answers.
        let bad = w.get(&manager, "/dashboard?country=Albania&year=13");
        assert_eq!(bad.status, StatusCode::BAD_REQUEST);
        assert!(bad.body.contains("country: ") && bad.body.contains("year: "), "the fields are named");
        assert_eq!(w.get(&manager, "/dashboard/bands.pdf").status, StatusCode::NOT_FOUND);
        // Caseworkers see no aggregates.
        let worker = w.session("caseworker.tirana@homeward.example");
        assert_eq!(w.get(&worker, "/dashboard").status, StatusCode::FORBIDDEN);
        // Every view's HXL download passes hxlvalidate (PyPI libhxl).
        let dir = tempfile::tempdir().expect("dir");
        for view in ["returns", "status", "plan-days", "assistance", "projects", "bands", "distribution", "change", "countries"] {
            let file = dir.path().join(format!("{view}.csv"));
            let body = w.get(&manager, &format!("/dashboard/{view}.hxl")).body;
            assert!(body.lines().nth(1).is_some_and(|l| l.starts_with('#')), "{view}: {body}");
            std::fs::write(&file, &body).expect("write");
            match std::process::Command::new("hxlvalidate").arg(&file).output() {
                Ok(run) => assert!(run.status.success(), "{view}: {}{}", String::from_utf8_lossy(&run.stdout), String::from_utf8_lossy(&run.stderr)),
                Err(_) => assert!(!homeward_store::testing::in_ci(), "hxlvalidate (PyPI libhxl) is required under CI=true"),
            }
        }
    }

    fn a_bound_indicator_shows_its_value_from_cases_and_withholds_small_ones(db) {
        let w = World::new(db);
        let page = w.get(&As::Anonymous, "/projects/RN.0001");
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("Returnees given reintegration assistance"), "the indicator is listed");
        // One case so far: the public is told it is withheld, never given the 1.
        assert_eq!(page.body.matches("from cases: fewer than 5, withheld").count(), 2, "{}", page.body);
    }

    fn a_programme_manager_binds_indicators_on_the_page(db) {
        let w = World::new(db);
        let pm = w.session("programme-manager.oslo@homeward.example");
        let page = w.get(&pm, "/projects/RN.0001/indicators");
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("name=\"bind-1.0.1\"") && page.body.contains("Returnees given assistance charged to the project"), "{}", page.body);
        let find = w.get(&pm, "/indicators?project=rn.0001");
        assert_eq!((find.status, find.location.as_str()), (StatusCode::SEE_OTHER, "/projects/rn.0001/indicators"));
        // A measure that does not exist is named; nothing changes.
        let bad = w.post(&pm, "/projects/RN.0001/indicators", &[("bind-1.0.1", "happiness")]);
        assert_eq!(bad.status, StatusCode::BAD_REQUEST);
        assert!(bad.body.contains("bind-1.0.1"), "{}", bad.body);
        assert_eq!(w.get(&As::Anonymous, "/projects/RN.0001").body.matches("from cases: fewer than 5, withheld").count(), 2);
        // Unbinding one: the public page shows one bound indicator left, and the change is audited.
        let r = w.post(&pm, "/projects/RN.0001/indicators", &[("bind-1.0.1", "none")]);
        assert_eq!((r.status, r.location.as_str()), (StatusCode::SEE_OTHER, "/projects/RN.0001/indicators?saved=1"));
        assert_eq!(w.get(&As::Anonymous, "/projects/RN.0001").body.matches("from cases: fewer than 5, withheld").count(), 1);
        assert!(w.get(&pm, "/projects/RN.0001/indicators?saved=1").body.contains("The bindings were saved."));
        assert!(w.db.audited("record_type = 'project' AND after LIKE '%bound_to%' AND actor LIKE 'programme-manager%'") >= 1);
        // A project known only by its Prima ID can be bound too; caseworkers may not.
        assert_eq!(w.get(&pm, "/projects/AU10P0004/indicators").status, StatusCode::OK);
        let worker = w.session("caseworker.tirana@homeward.example");
        assert_eq!(w.get(&worker, "/projects/RN.0001/indicators").status, StatusCode::FORBIDDEN);
    }

    fn two_people_saving_the_same_case_the_second_is_told_what_changed(db) {
        let w = World::new(db);
        let worker = w.session("caseworker.tirana@homeward.example");
        let manager = w.session("office-manager.tirana@homeward.example");
        let gent = w.case_id("Gent");
        let page = w.get(&manager, &format!("/cases/{gent}")).body;
        let v = page.split("name=\"version\" value=\"").nth(1).and_then(|r| r.split('"').next()).expect("a version on the form").to_owned();
        // Both opened the case at version v; the caseworker saves first.
        let r = w.post(&worker, &format!("/cases/{gent}/stage"), &[("version", &v), ("to", "arrived"), ("on", "2026-01-10")]);
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let r = w.post(&manager, &format!("/cases/{gent}/stage"), &[("version", &v), ("to", "arrived"), ("on", "2026-01-11")]);
        assert_eq!(r.status, StatusCode::CONFLICT);
        assert!(r.body.contains("changed since you opened it") && r.body.contains("registered → arrived (2026-01-10)"), "says what changed");
        let now = w.get(&manager, &format!("/cases/{gent}")).body;
        assert!(now.contains("2026-01-10") && !now.contains("2026-01-11"), "the first save stands");
    }

    fn the_story_case_page_shows_plan_money_and_timeline_and_search_forgives_spelling(db) {
        let w = World::new(db);
        let manager = w.session("office-manager.tirana@homeward.example");
        let story = 5;
        let page = w.get(&manager, &format!("/cases/{story}"));
        assert_eq!(page.status, StatusCode::OK);
        for fact in ["Three-month car mechanics course in Tirana", "Six cows bought for the family", "7,800.00 USD",
                     "Vulnerable Groups (VG)", "further studies in Tropojë", "Support period ended", "Aged-out minor"] {
            assert!(page.body.contains(fact), "the case page shows {fact:?}");
        }
        // The timeline speaks the reader's words, never the codes behind them.
        let timeline = page.body.split("id=\"timeline\"").nth(1).unwrap_or("");
        assert!(timeline.contains("Plan submitted") && timeline.contains("Support period ended"), "{timeline}");
        for code in ["support_ended", "in_kind", "plan_submitted", "plan_approved", " counselled"] {
            assert!(!timeline.contains(code), "no code {code:?} on the timeline: {timeline}");
        }
        let found = w.get(&manager, "/cases?view=all&q=Besnick+Tregimm").body;
        assert!(found.contains(&format!("/cases/{story}")), "a misspelt name finds the case");
        let none = w.get(&manager, "/cases?stage=nonsense");
        assert_eq!(none.status, StatusCode::OK);
        assert!(none.body.contains("stage:"), "a bad filter is named");
        // The funding project's page is public: what cases were given from it is shown only
        // once it stands for five cases or more; the store has the figures.
        let project = w.get(&As::Anonymous, "/projects/RN.0001").body;
        assert!(project.contains("Reintegration assistance given (individual)")
            && project.contains("Shown once at least 5 cases have been assisted"), "{project}");
        assert!(!project.contains("7,125"), "one case's assistance is not shown publicly");
        let id = w.db.store.project("RN.0001").expect("ok").expect("project").id;
        let spent = w.db.store.project_case_spending(id).expect("spending");
        assert_eq!((spent.cases, spent.total.minor), (1, 712_500), "the story's 7,125 USD from one case");
        let overdue = w.get(&manager, "/cases?view=all&overdue=yes&stage=closed").body;
        assert!(!overdue.contains(&format!("/cases/{story}\"")), "a closed case's done tasks are not overdue");
    }

    fn a_programme_manager_configures_packages_and_task_rules(db) {
        let w = World::new(db);
        let pm = w.session("programme-manager.oslo@homeward.example");
        let page = w.get(&pm, "/packages");
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("Vulnerable Groups (VG)") && page.body.contains("7,800.00 USD"));
        let r = w.post(&pm, "/packages", &[("name", "Ge"), ("cap_usd", "-5"), ("components", "cows")]);
        assert_eq!(r.status, StatusCode::BAD_REQUEST);
        assert!(r.body.contains("name:") && r.body.contains("cap_usd:") && r.body.contains("components:"), "every bad field named");
        let r = w.post(&pm, "/packages", &[("name", "Georgia returns (GE)"), ("cap_usd", "2000"), ("components", "business_start_up"),
            ("components", "housing"), ("origin_country", "GE"), ("active", "yes")]);
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        assert!(w.get(&pm, "/packages").body.contains("2,000.00 USD"));
        let r = w.post(&pm, "/packages/rules/follow_up_3m", &[("amount", "0"), ("unit", "months"), ("active", "yes")]);
        assert_eq!(r.status, StatusCode::BAD_REQUEST);
        let r = w.post(&pm, "/packages/rules/follow_up_3m", &[("amount", "2"), ("unit", "months"), ("active", "yes")]);
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        let rules = w.db.store.task_rules().expect("rules");
        let three = rules.iter().find(|r| r.rule.key == "follow_up_3m").expect("rule");
        assert_eq!(three.rule.offset, homeward_domain::reintegration::tasks::Offset::Months(2));
    }

    fn an_me_officer_never_receives_a_name(db) {
        let w = World::new(db);
        for email in ["me-officer.oslo@homeward.example", "me-officer.tirana@homeward.example", "programme-manager.oslo@homeward.example"] {
            let me = w.session(email);
            for rule in w.rules.iter().filter(|r| r.method == Method::GET) {
                for id in 1..=5 {
                    let uri = concrete(rule.path).replace("999999", &id.to_string());
                    let r = w.get(&me, &uri);
                    for n in NAMES {
                        assert!(!r.body.contains(n), "{email} got the name {n} from {uri}");
                    }
                }
            }
            let r = w.post(&me, "/cases/export", &[("purpose", "quarterly report")]);
            assert_eq!(r.status, StatusCode::FORBIDDEN);
            let stats = w.get(&me, "/api/v1/stats");
            assert_eq!(stats.status, StatusCode::OK);
            // Four in Tirana's care and the story, and two who take part in the Samgori centre.
            assert!(stats.body.contains("\"total\":7"), "{}", stats.body);
            // Seven cases over offices, stages and nationalities: small counts, withheld.
            assert!(!stats.body.contains("\"n\":1,") && !stats.body.contains("\"n\":1}"), "{}", stats.body);
            assert!(stats.body.contains("\"n\":null") || stats.body.contains(":null"), "{}", stats.body);
            let page = w.get(&me, "/stats");
            assert_eq!(page.status, StatusCode::OK);
            assert!(!page.body.contains("Unknown localization key"), "every stage is named: {}", page.body);
        }
    }

    fn sensitive_fields_need_their_permission_on_pages_exports_and_the_api(db) {
        let w = World::new(db);
        let secret_words = ["asthma", "Single parent", "single_parent", "Health needs", "health_needs", "medication"];
        let elira = w.case_id("Elira");
        let tirana = w.session("caseworker.tirana@homeward.example");
        // With the permission: shown.
        assert!(w.get(&tirana, &format!("/cases/{elira}")).body.contains("asthma"));
        // Partners never have it.
        let drita = w.case_id("Drita");
        let partner = w.session("partner.tirana@homeward.example");
        let page = w.get(&partner, &format!("/cases/{drita}")).body;
        assert!(page.contains("Drita") && !page.contains("psychosocial") && !page.contains("trafficking"), "{page}");
        let api = w.get(&partner, &format!("/api/v1/cases/{drita}")).body;
        assert!(api.contains("\"sensitive\":null") && !api.contains("trafficking"), "{api}");
        // Take the permission from caseworkers: gone from page, export and API.
        let admin = w.db.store.console_principal(w.user_id("administrator.oslo@homeward.example")).expect("ok").expect("p");
        let auth = admin.authorize::<homeward_domain::access::ManageRoles>().expect("roles");
        let mut g = homeward_domain::access::Grants::default_for(Role::Caseworker);
        g = g.restricted_to(&homeward_domain::access::Permission::ALL.iter().copied().filter(|p| *p != homeward_domain::access::Permission::Sensitive).collect::<Vec<_>>());
        w.db.store.set_role(&auth, &homeward_store::Actor::console(), Role::Caseworker, &g, false).expect("set");
        let page = w.get(&tirana, &format!("/cases/{elira}")).body;
        let api = w.get(&tirana, &format!("/api/v1/cases/{elira}")).body;
        let list = w.get(&tirana, "/api/v1/cases").body;
        let oslo = w.session("caseworker.oslo@homeward.example");
        let export = w.post(&oslo, "/cases/export", &[("purpose", "check the export")]);
        assert_eq!(export.status, StatusCode::OK);
        assert!(export.body.contains("Arben"), "{}", export.body);
        for body in [&page, &api, &list, &export.body] {
            for s in secret_words {
                assert!(!body.contains(s), "{s} leaked: {body}");
            }
        }
        assert!(page.contains("Elira"), "the rest of the case still shows");
        // The form does not take what the user may not see.
        let new = w.get(&tirana, "/cases/new").body;
        assert!(!new.contains("name=\"vulnerabilities\""));
    }

    fn my_work_is_where_a_caseworker_lands_and_the_navigation_counts_what_waits(db) {
        let w = World::new(db);
        // Signed in, /signin sends each person where their work starts.
        let lands = |email: &str| w.get(&w.session(email), "/signin").location;
        assert_eq!(lands("caseworker.tirana@homeward.example"), "/my-work", "a caseworker lands on My work");
        assert_eq!(lands("office-manager.tirana@homeward.example"), "/my-work");
        let worker = w.session("caseworker.tirana@homeward.example");
        let gent = w.case_id("Gent");
        let page = w.get(&worker, "/my-work");
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("Cases you carry") && !page.body.contains("Plans waiting for your decision"), "a caseworker decides no plan");
        let badge = |body: &str| body.split("My work <span class=\"badge\">").nth(1).and_then(|r| r.split('<').next()).map(str::to_owned);
        // Gent's case given to the caseworker, then an overdue task on it: listed, linked to
        // the case's tasks, counted beside My work.
        let manager = w.session("office-manager.tirana@homeward.example");
        let version = |who: &As| {
            let page = w.get(who, &format!("/cases/{gent}")).body;
            page.split("name=\"version\" value=\"").nth(1).and_then(|r| r.split('"').next()).expect("a version").to_owned()
        };
        let worker_id = w.user_id("caseworker.tirana@homeward.example").to_string();
        let r = w.post(&manager, &format!("/cases/{gent}/assign"), &[("version", &version(&manager)), ("user", &worker_id)]);
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let before = badge(&w.get(&worker, "/my-work").body).and_then(|n| n.parse::<usize>().ok()).unwrap_or(0);
        let r = w.post(&worker, &format!("/cases/{gent}/tasks"), &[("title", "Bring the school certificate"), ("due_on", "2020-02-03")]);
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let page = w.get(&worker, "/my-work").body;
        assert!(page.contains("Bring the school certificate") && page.contains(&format!("/cases/{gent}#tasks")), "{page}");
        assert!(page.contains("overdue since 2020-02-03"), "{page}");
        assert!(page.contains("HW-000004"), "Gent's case is on the caseworker's list");
        let after = badge(&page).and_then(|n| n.parse::<usize>().ok()).unwrap_or(0);
        assert_eq!(after, before + 1, "the navigation counts it");
        // A manager sees plans to decide and cases to assign; a partner does not land here.
        let page = w.get(&manager, "/my-work").body;
        assert!(page.contains("Plans waiting for your decision") && page.contains("Cases in your office waiting for a caseworker"), "{page}");
        assert_eq!(lands("partner.tirana@homeward.example"), "/cases");
        // Nothing on it reaches someone without case access.
        let me = w.session("me-officer.tirana@homeward.example");
        assert_eq!(w.get(&me, "/my-work").status, StatusCode::FORBIDDEN);
    }

    fn notifications_reach_who_must_act_within_their_reach_only(db) {
        let w = World::new(db);
        let oslo = w.session("caseworker.oslo@homeward.example");
        let manager = w.session("office-manager.tirana@homeward.example");
        let worker = w.session("caseworker.tirana@homeward.example");
        let arben = w.case_id("Arben");
        let page = w.get(&oslo, &format!("/cases/{arben}")).body;
        let field = |page: &str, name: &str| page.split(&format!("name=\"{name}\" value=\"")).nth(1).and_then(|r| r.split('"').next()).map(str::to_owned);
        let version = field(&page, "version").expect("a version");
        let to = field(&page, "to").expect("the hand-over is offered");
        let badge = |body: &str| body.split("Notifications <span class=\"badge\">").nth(1).and_then(|r| r.split('<').next()).and_then(|n| n.parse::<usize>().ok()).unwrap_or(0);
        let unread = |who: &As| {
            let api = w.get(who, "/api/v1/me/notifications").body;
            api.split("\"unread\":").nth(1).and_then(|r| r.split([',', '}']).next()).and_then(|n| n.parse::<usize>().ok()).expect("a count")
        };
        // What the demo's own story told them, already there.
        let before = unread(&manager);
        let worker_told = w.get(&worker, "/notifications").body.matches("Handed over to your office").count();
        // Arben has not left yet: the hand-over asks when he is expected to.
        assert!(page.contains("name=\"expected_departure\""), "the form asks for the expected departure");
        let r = w.post(&oslo, &format!("/cases/{arben}/handover"), &[("version", &version), ("to", &to)]);
        assert_eq!(r.status, StatusCode::BAD_REQUEST);
        assert!(r.body.contains("expected_departure: the returnee has not left yet"), "{}", r.body);
        let expected = homeward_domain::date::Ymd::from_days(homeward_store::today().to_days() + 10).to_string();
        let r = w.post(&oslo, &format!("/cases/{arben}/handover"), &[("version", &version), ("to", &to), ("expected_departure", &expected)]);
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        assert!(w.get(&oslo, &format!("/cases/{arben}")).body.contains(&format!("expected {expected}")), "the expected day is shown");
        // Tirana's manager is told, with the count beside Notifications; no one else is.
        let list = w.get(&manager, "/notifications").body;
        assert!(list.contains("Handed over to your office") && list.contains(&format!("/cases/{arben}#offices")), "{list}");
        assert_eq!(badge(&list), before + 1);
        assert_eq!(unread(&manager), before + 1);
        assert_eq!(w.get(&worker, "/notifications").body.matches("Handed over to your office").count(), worker_told, "a caseworker does not assign");
        assert!(!w.get(&oslo, "/notifications").body.contains(&format!("/cases/{arben}#offices")), "who acted is not told");
        // Opening the case marks it read.
        let page = w.get(&manager, &format!("/cases/{arben}")).body;
        assert_eq!(unread(&manager), before);
        assert_eq!(badge(&w.get(&manager, "/my-work").body), before, "the menu counts it at once");
        // The manager assigns it: the caseworker is told.
        let version = field(&page, "version").expect("a version");
        let worker_id = w.user_id("caseworker.tirana@homeward.example").to_string();
        let r = w.post(&manager, &format!("/cases/{arben}/assign"), &[("version", &version), ("user", &worker_id)]);
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let list = w.get(&worker, "/notifications").body;
        assert!(list.contains("Assigned to you") && list.contains("Office manager (tirana, demo)"), "{list}");
        let r = w.post(&worker, "/notifications/read", &[]);
        assert_eq!(r.location, "/notifications?done=read");
        let list = w.get(&worker, "/notifications?done=read").body;
        assert!(list.contains("All notifications are marked as read.") && badge(&list) == 0);
        assert_eq!(unread(&worker), 0);
        // Email choices: saved, said back, a wrong value named; this server sends none and says so.
        assert!(list.contains("This server sends no email"), "{list}");
        let r = w.post(&worker, "/notifications/email", &[("assigned", "now"), ("task_overdue", "daily")]);
        assert_eq!(r.location, "/notifications?done=email#email");
        let list = w.get(&worker, "/notifications?done=email").body;
        assert!(list.contains("Your email choices are saved.") && list.contains("<option value=\"now\" selected>"), "{list}");
        let r = w.post(&worker, "/notifications/email", &[("assigned", "weekly")]);
        assert_eq!(r.status, StatusCode::BAD_REQUEST);
        assert!(r.body.contains("assigned"), "{}", r.body);
        // A notification about a case out of the reader's reach is neither listed nor counted.
        let drita = w.case_id("Drita");
        let oslo_id = w.user_id("caseworker.oslo@homeward.example");
        w.db.execute(&format!("INSERT INTO notifications (user_id, case_id, kind, created_at) VALUES ({oslo_id}, {drita}, 'assigned', '2026-12-01T00:00:00Z')"));
        let list = w.get(&oslo, "/notifications").body;
        assert!(!list.contains(&format!("/cases/{drita}#offices")), "{list}");
        assert_eq!(w.db.number(&format!("SELECT COUNT(*) AS n FROM notifications WHERE user_id = {oslo_id} AND case_id = {drita}")), 1, "it is there, unseen");
        assert_eq!(unread(&oslo), badge(&list));
        // The administration page says email is not set up.
        let admin = w.get(&w.session("administrator.oslo@homeward.example"), "/admin").body;
        assert!(admin.contains("Email is not set up"), "{admin}");
    }

    fn the_funding_project_is_found_by_its_projects_id_or_title(db) {
        let w = World::new(db);
        let worker = w.session("caseworker.tirana@homeward.example");
        let gent = w.case_id("Gent");
        let projects = w.db.store.individual_projects().expect("projects");
        let project = projects.iter().find(|p| p.projects_id.is_some()).expect("a project with a Projects ID");
        let number = project.projects_id.clone().expect("number");
        let page = w.get(&worker, &format!("/cases/{gent}")).body;
        assert!(page.contains(&format!("<option value=\"{number} · ")), "the list names projects by number and title");
        let version = |page: &str| page.split("name=\"version\" value=\"").nth(1).and_then(|r| r.split('"').next()).expect("version").to_owned();
        let package = w.db.store.packages().expect("packages")[0].id.to_string();
        let r = w.post(&worker, &format!("/cases/{gent}/package"), &[("version", &version(&page)), ("package", &package), ("project_label", "no such project at all")]);
        assert_eq!(r.status, StatusCode::BAD_REQUEST);
        assert!(r.body.contains("project: ") && r.body.contains("value=\"no such project at all\""), "named, and what was typed kept");
        let r = w.post(&worker, &format!("/cases/{gent}/package"), &[("version", &version(&r.body)), ("package", &package), ("project_label", &number)]);
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let page = w.get(&worker, &format!("/cases/{gent}")).body;
        let funded = page.split("Funding project").nth(1).unwrap_or_default();
        assert!(funded.contains(&project.title), "the case is funded by it");
    }

    fn several_cases_at_once_and_searches_saved_on_my_work(db) {
        let w = World::new(db);
        let manager = w.session("office-manager.tirana@homeward.example");
        let (arben, drita, gent) = (w.case_id("Arben"), w.case_id("Drita"), w.case_id("Gent"));
        let list = w.get(&manager, "/cases?view=office").body;
        assert!(list.contains(&format!("name=\"case\" value=\"{gent}\"")) && list.contains("id=\"bulk-assign\""), "cases can be ticked");
        let worker_id = w.user_id("caseworker.tirana@homeward.example").to_string();
        let (g, d, a) = (gent.to_string(), drita.to_string(), arben.to_string());
        // Three ticked, one of them out of the manager's reach: two done, one said why not.
        let r = w.post(&manager, "/cases/bulk", &[("case", &g), ("case", &d), ("case", &a), ("do", "assign"), ("user", &worker_id)]);
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert!(r.body.contains("Assigned: 2") && r.body.contains("Not done: 1") && r.body.contains("HW-000002") && r.body.contains("not within your reach"), "{}", r.body);
        let worker = w.session("caseworker.tirana@homeward.example");
        let mine = w.get(&worker, "/cases?view=mine").body;
        assert!(mine.contains(&format!("/cases/{gent}\"")) && mine.contains(&format!("/cases/{drita}\"")), "both assigned");
        let r = w.post(&manager, "/cases/bulk", &[("do", "assign"), ("user", &worker_id)]);
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "nothing ticked is named");
        assert!(r.body.contains("case"), "{}", r.body);
        let r = w.post(&manager, "/cases/bulk", &[("case", &g), ("do", "burn")]);
        assert_eq!(r.status, StatusCode::BAD_REQUEST);
        // A caseworker may not assign, even in bulk.
        let r = w.post(&worker, "/cases/bulk", &[("case", &g), ("do", "assign"), ("user", &worker_id)]);
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        // Export of the ticked cases only.
        let r = w.post(&manager, "/cases/export", &[("case", &g), ("purpose", "visit planning for Kukës")]);
        assert_eq!(r.status, StatusCode::OK);
        assert!(r.body.contains("Gent") && !r.body.contains("Drita"), "{}", r.body);
        // A search saved under a name, its unknown parts dropped, listed on My work.
        let r = w.post(&worker, "/cases/searches", &[("name", "Arrived, mine"), ("query", "view=mine&stage=arrived&evil=1")]);
        assert_eq!(r.location, "/cases?view=mine&stage=arrived&saved=1");
        let work = w.get(&worker, "/my-work").body;
        assert!(work.contains("Arrived, mine") && work.contains("/cases?view=mine&#38;stage=arrived") && !work.contains("evil"), "{work}");
        assert!(!w.get(&manager, "/my-work").body.contains("Arrived, mine"), "another's searches are not shown");
        let r = w.post(&worker, "/cases/searches", &[("name", " "), ("query", "view=mine")]);
        assert_eq!(r.status, StatusCode::BAD_REQUEST);
        let id = w.db.number("SELECT MIN(id) AS n FROM saved_searches");
        assert_eq!(w.post(&manager, &format!("/cases/searches/{id}/delete"), &[]).status, StatusCode::NOT_FOUND, "only its owner removes it");
        assert_eq!(w.post(&worker, &format!("/cases/searches/{id}/delete"), &[]).location, "/my-work#searches");
        assert!(!w.get(&worker, "/my-work").body.contains("Arrived, mine"));
    }

    fn notes_are_written_and_corrected_on_the_case_page(db) {
        let w = World::new(db);
        let worker = w.session("caseworker.tirana@homeward.example");
        let gent = w.case_id("Gent");
        let r = w.post(&worker, &format!("/cases/{gent}/notes"), &[("kind", ""), ("text", "x")]);
        assert_eq!(r.status, StatusCode::BAD_REQUEST);
        assert!(r.body.contains("kind:") && r.body.contains("text:"), "named beside the case");
        let r = w.post(&worker, &format!("/cases/{gent}/notes"), &[("kind", "call"), ("text", "Called about the papers for the pension.")]);
        assert!(r.status == StatusCode::SEE_OTHER && r.location.ends_with("#notes"), "{} {}", r.status, r.body);
        let r = w.post(&worker, &format!("/cases/{gent}/notes"), &[("kind", "visit"), ("text", "Lives alone since his wife died."), ("sensitive", "yes")]);
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let page = w.get(&worker, &format!("/cases/{gent}")).body;
        assert!(page.contains("Called about the papers for the pension.") && page.contains("Lives alone since his wife died."));
        assert!(page.contains("Correct this note"), "the author may still correct them");
        let note = w.db.number(&format!("SELECT MIN(id) AS n FROM case_notes WHERE case_id = {gent}"));
        let r = w.post(&worker, &format!("/cases/{gent}/notes/{note}"), &[("text", "Called about the papers for his pension.")]);
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let page = w.get(&worker, &format!("/cases/{gent}")).body;
        assert!(page.contains("Called about the papers for his pension.") && page.contains("corrected by its author"));
        // The office manager reads the notes but may not correct another's.
        let manager = w.session("office-manager.tirana@homeward.example");
        let page = w.get(&manager, &format!("/cases/{gent}")).body;
        assert!(page.contains("Called about the papers for his pension.") && !page.contains("Correct this note"));
        let r = w.post(&manager, &format!("/cases/{gent}/notes/{note}"), &[("text", "Changed by someone else.")]);
        assert_eq!(r.status, StatusCode::BAD_REQUEST);
        assert!(r.body.contains("only the note&#39;s author may correct it"), "{}", r.body);
    }

    fn sign_in_gives_a_new_session_whatever_cookie_came_before(db) {
        let w = World::new(db);
        // An attacker plants a session cookie of their choosing before the victim signs in.
        let planted = "attacker-chosen-session";
        let req = |cookie: &str, body: String| {
            Request::builder()
                .method(Method::POST)
                .uri("/signin")
                .header(header::COOKIE, cookie)
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from(body))
                .expect("request")
        };
        let body = "_csrf=pre&email=caseworker.oslo%40homeward.example&password=amber-basil-cedar-delta-42&next=".to_owned();
        let app = w.app.clone();
        let res = w.rt.block_on(app.oneshot(req(&format!("hw_pre=pre; hw_session={planted}"), body))).expect("response");
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        let cookies: Vec<String> = res.headers().get_all(header::SET_COOKIE).iter().filter_map(|v| v.to_str().ok()).map(str::to_owned).collect();
        let session = cookies.iter().find(|c| c.starts_with("hw_session=")).expect("a session cookie");
        assert!(!session.contains(planted), "a new secret: {session}");
        assert!(session.contains("HttpOnly") && session.contains("SameSite=Lax") && session.contains("Secure"), "{session}");
        let token = session.trim_start_matches("hw_session=").split(';').next().unwrap_or("").to_owned();
        assert!(w.db.store.session(planted).expect("ok").is_none(), "the planted value is no session");
        let me = As::Session { token, csrf: String::new() };
        assert_eq!(w.get(&me, "/cases").status, StatusCode::OK);
        // Signing out ends it.
        let sess = w.session("caseworker.oslo@homeward.example");
        assert_eq!(w.post(&sess, "/signout", &[]).location, "/signin");
        assert_eq!(w.get(&sess, "/cases").status, StatusCode::SEE_OTHER);
    }

    fn failed_sign_ins_are_throttled_with_the_same_message_for_any_email(db) {
        let w = World::new(db);
        let anon = As::Anonymous;
        let wrong = w.post(&anon, "/signin", &[("email", "caseworker.oslo@homeward.example"), ("password", "not the password at all")]);
        let unknown = w.post(&anon, "/signin", &[("email", "nobody@homeward.example"), ("password", "not the password at all")]);
        assert_eq!(wrong.status, unknown.status);
        assert!(wrong.body.contains("The email or password is not right.") && unknown.body.contains("The email or password is not right."));
        for _ in 0..homeward_store::access::throttle::ACCOUNT_LIMIT {
            w.post(&anon, "/signin", &[("email", "caseworker.oslo@homeward.example"), ("password", "guess")]);
        }
        let locked = w.post(&anon, "/signin", &[("email", "caseworker.oslo@homeward.example"), ("password", "amber-basil-cedar-delta-42")]);
        assert_eq!(locked.status, StatusCode::TOO_MANY_REQUESTS);
        assert!(locked.body.contains("Too many failed sign-ins. Try again in"), "{}", locked.body);
    }

    fn sessions_expire(db) {
        let w = World::new(db);
        let s = w.session("caseworker.oslo@homeward.example");
        assert_eq!(w.get(&s, "/cases").status, StatusCode::OK);
        w.db.execute("UPDATE sessions SET expires_at = '2000-01-01T00:00:00Z'");
        let r = w.get(&s, "/cases");
        assert_eq!((r.status, r.location.as_str()), (StatusCode::SEE_OTHER, "/signin?next=%2Fcases"));
        assert_eq!(w.get(&s, "/api/v1/me").status, StatusCode::UNAUTHORIZED);
    }

    fn one_time_codes_guard_the_sign_in(db) {
        let w = World::new(db);
        let id = w.user_id("caseworker.oslo@homeward.example");
        let secret = w.db.store.totp_begin(id).expect("begin");
        let now = homeward_store::unix_now();
        let code = homeward_domain::credentials::totp::code_at(&secret, now - 30).expect("code");
        w.db.store.totp_confirm(&homeward_store::Actor::console(), id, &code).expect("on");
        let anon = As::Anonymous;
        let r = w.post(&anon, "/signin", &[("email", "caseworker.oslo@homeward.example"), ("password", "amber-basil-cedar-delta-42")]);
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        assert!(r.location.starts_with("/signin/code"), "{}", r.location);
        let pending = match w.db.store.sign_in("caseworker.oslo@homeward.example", "amber-basil-cedar-delta-42", "10.0.0.1", "t").expect("ok") {
            homeward_store::access::auth::SignIn::NeedsCode(s) => s,
            other => panic!("{other:?}"),
        };
        let p = As::Session { token: pending.token.clone(), csrf: pending.csrf.clone() };
        // The pending session is not a session: nothing protected opens.
        assert_eq!(w.get(&p, "/cases").status, StatusCode::SEE_OTHER);
        let send_code = |c: &str| {
            let req = Request::builder()
                .method(Method::POST)
                .uri("/signin/code")
                .header(header::COOKIE, format!("hw_pending={}", pending.token))
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from(format!("_csrf={}&code={c}&next=", pending.csrf)))
                .expect("request");
            let res = w.rt.block_on(w.app.clone().oneshot(req)).expect("response");
            (res.status(), res.headers().get_all(header::SET_COOKIE).iter().filter_map(|v| v.to_str().ok()).any(|c| c.starts_with("hw_session=")))
        };
        assert!(!send_code("000000").1, "a wrong code signs no one in");
        let (status, signed) = send_code(&homeward_domain::credentials::totp::code_at(&secret, now).expect("code"));
        assert_eq!((status, signed), (StatusCode::SEE_OTHER, true));
    }

    fn api_tokens_hold_their_scope_until_revoked(db) {
        let w = World::new(db);
        let email = "caseworker.oslo@homeward.example";
        let owner = w.db.store.console_principal(w.user_id(email)).expect("ok").expect("p");
        let actor = homeward_store::Actor::of(&owner, "10.0.0.1");
        let (id, token) = w.db.store.create_token(&owner, &actor, "case feed", &[homeward_domain::access::Permission::CaseRead], 30).expect("token");
        let t = As::Bearer(token);
        let me = w.get(&t, "/api/v1/me");
        assert!(me.body.contains("\"case.read\"") && !me.body.contains("case.write") && me.body.contains("\"token\""), "{}", me.body);
        let list = w.get(&t, "/api/v1/cases");
        assert_eq!(list.status, StatusCode::OK);
        assert!(list.body.contains("Arben"));
        assert!(list.body.contains("\"sensitive\":null"), "no sensitive permission in the token: {}", list.body);
        assert_eq!(w.get(&t, "/api/v1/stats").status, StatusCode::FORBIDDEN, "not in the token");
        assert_eq!(w.send(&t, Method::POST, "/cases/2/handover", &[], false).status, StatusCode::FORBIDDEN, "case.write is not in the token");
        w.db.store.revoke_token(&actor, owner.user_id(), id).expect("revoke");
        let r = w.get(&t, "/api/v1/cases");
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
        assert!(r.body.contains("bearer token"));
        assert_eq!(w.get(&As::Bearer("hw_made_up".into()), "/api/v1/me").status, StatusCode::UNAUTHORIZED);
    }

    fn a_role_that_requires_one_time_codes_sends_its_users_to_set_them_up(db) {
        let w = World::new(db);
        let admin = w.session("administrator.oslo@homeward.example");
        let mut form: Vec<(String, String)> = homeward_domain::access::Grants::default_for(Role::Caseworker)
            .iter()
            .map(|(p, s)| (p.code().to_owned(), s.code().to_owned()))
            .collect();
        form.push(("require_totp".into(), "yes".into()));
        let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let r = w.post(&admin, "/admin/roles/caseworker", &pairs);
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let cw = w.session("caseworker.oslo@homeward.example");
        let r = w.get(&cw, "/cases");
        assert_eq!((r.status, r.location.as_str()), (StatusCode::SEE_OTHER, "/account/totp"));
        assert_eq!(w.get(&cw, "/account/totp").status, StatusCode::OK, "the set-up page is open");
        assert_eq!(w.get(&cw, "/api/v1/cases").status, StatusCode::FORBIDDEN);
        // Nothing else changed for the role.
        let settings = w.db.store.role_settings().expect("ok");
        let cwr = settings.iter().find(|s| s.role == Role::Caseworker).expect("role");
        assert!(cwr.require_totp && cwr.grants == homeward_domain::access::Grants::default_for(Role::Caseworker));
        // An administrator cannot take away the administrators' own keys.
        let r = w.post(&admin, "/admin/roles/administrator", &[("audit.read", "all")]);
        assert_eq!(r.status, StatusCode::BAD_REQUEST);
        assert!(r.body.contains("must keep roles.manage"));
    }

    fn an_invited_user_chooses_a_password_once_and_a_reset_ends_their_sessions(db) {
        let w = World::new(db);
        let admin = w.session("administrator.oslo@homeward.example");
        let r = w.post(&admin, "/admin/users", &[("email", "new.caseworker@homeward.example"), ("name", "Nora Nyansatt"), ("office", "1"), ("role", "caseworker")]);
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let link = r.body.split("/password/").nth(1).and_then(|t| t.split('<').next()).expect("the link is shown once").to_owned();
        let path = format!("/password/{link}");
        assert_eq!(w.get(&As::Anonymous, &path).status, StatusCode::OK);
        let weak = w.post(&As::Anonymous, &path, &[("password", "password1234"), ("password_again", "password1234")]);
        assert_eq!(weak.status, StatusCode::BAD_REQUEST);
        assert!(weak.body.contains("commonly used"), "{}", weak.body);
        let good = "saffron-glacier-raven-olive";
        let ok = w.post(&As::Anonymous, &path, &[("password", good), ("password_again", good)]);
        assert_eq!((ok.status, ok.location.as_str()), (StatusCode::SEE_OTHER, "/signin"));
        assert_eq!(w.get(&As::Anonymous, &path).status, StatusCode::NOT_FOUND, "a link works once");
        let signed = w.post(&As::Anonymous, "/signin", &[("email", "new.caseworker@homeward.example"), ("password", good)]);
        assert_eq!(signed.status, StatusCode::SEE_OTHER);
        // Inviting the same email twice names the field.
        let again = w.post(&admin, "/admin/users", &[("email", "new.caseworker@homeward.example"), ("name", "N"), ("office", "1"), ("role", "caseworker")]);
        assert_eq!(again.status, StatusCode::BAD_REQUEST);
        assert!(again.body.contains("email: new.caseworker@homeward.example already has an account"), "{}", again.body);
        // A reset ends every session of the user and their password stops working.
        let id = w.user_id("new.caseworker@homeward.example");
        let s = w.session("new.caseworker@homeward.example");
        assert_eq!(w.get(&s, "/cases").status, StatusCode::OK);
        let reset = w.post(&admin, &format!("/admin/users/{id}/reset"), &[]);
        assert_eq!(reset.status, StatusCode::OK);
        assert!(reset.body.contains("/password/"));
        assert_eq!(w.get(&s, "/cases").status, StatusCode::SEE_OTHER);
        assert!(matches!(w.db.store.sign_in("new.caseworker@homeward.example", good, "10.1.1.1", "t").expect("ok"), homeward_store::access::auth::SignIn::Refused));
    }

    fn administrators_keep_the_exchange_rates(db) {
        let w = World::new(db);
        let admin = w.session("administrator.tirana@homeward.example");
        let r = w.post(&admin, "/admin/rates", &[("currency", "ALL"), ("date", "2013-02-01"), ("usd_per_unit", "0.0094"), ("source", "Bank of Albania")]);
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let bad = w.post(&admin, "/admin/rates/import", &[("table", "currency,date,usd_per_unit\nGEL,2013-02-01,0.6\nALL,2013-13-01,0.0094\n")]);
        assert_eq!(bad.status, StatusCode::BAD_REQUEST);
        assert!(bad.body.contains("row 3, field date"), "{}", bad.body);
        assert!(w.db.store.rate_on("GEL".parse().expect("c"), "2013-03-01".parse().expect("d")).expect("ok").is_none(), "nothing saved");
        let ok = w.post(&admin, "/admin/rates/import", &[("table", "currency,date,usd_per_unit\nGEL,2013-02-01,0.6\nALL,2013-02-01,0.0095\n")]);
        assert_eq!(ok.status, StatusCode::OK);
        assert!(ok.body.contains("1 rates added, 1 replaced."), "{}", ok.body);
        let page = w.get(&admin, "/admin/rates").body;
        assert!(page.contains("0.0095") && page.contains("GEL"));
        let cw = w.session("caseworker.tirana@homeward.example");
        assert_eq!(w.post(&cw, "/admin/rates", &[("currency", "ALL"), ("date", "2013-02-01"), ("usd_per_unit", "1")]).status, StatusCode::FORBIDDEN);
    }
}
