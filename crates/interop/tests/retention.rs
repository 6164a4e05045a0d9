//! Retention on SQLite and PostgreSQL, over the demo (the published story and synthetic
//! returnees, many closed years ago): a record past its term is anonymised, nothing that
//! named the person is left anywhere in the database, every figure (dashboards, project
//! indicators, the IATI export) is the same afterwards, the audit trail still verifies,
//! and two servers running the day's retention at once do it once.

use homeward_domain::access::{ManageRetention, Principal, ReadCases, SeeAggregates, WriteCases};
use homeward_domain::case::{DetailsForm, HouseholdMember, RegistrationForm};
use homeward_domain::catalogue::CatalogueQuery;
use homeward_domain::dashboard::DashboardFilter;
use homeward_domain::reintegration::documents::DocumentDraft;
use homeward_domain::reintegration::notes::NoteDraft;
use homeward_domain::retention::Reason;
use homeward_interop::export::{Format, export};
use homeward_store::{Actor, Store, StoreError, both_backends};

const PASSWORD: &str = "amber-basil-cedar-delta-42";

/// Values written about the story's returnee by this test, found nowhere else.
const GIVEN: &str = "Zyqirija";
const FAMILY: &str = "Xhevdetova";
const PHONE: &str = "+355697771234";
const EMAIL: &str = "zyq.xhev@example.al";
const PLACE: &str = "Qafa e Xhevdetit";
const MEMBER: &str = "Mirela Xhevdetaj";
const NOTE: &str = "Met the family at the farm by the Valbona bridge";
const FILE: &str = "zyqirija-passport.pdf";

fn principal(s: &Store, email: &str) -> Principal {
    let u = s.user_by_email(email).expect("ok").expect("user");
    s.console_principal(u.id).expect("ok").expect("principal")
}

fn story_id(db: &homeward_store::testing::TestDb) -> i64 {
    db.number("SELECT id AS n FROM cases WHERE reference = 'HW-000005'")
}

/// Everything a reader of figures sees: the dashboards (all, and filtered down to the
/// story's year and country), the project's counted indicators and the IATI export.
fn figures(s: &Store) -> String {
    let me = principal(s, "me-officer.tirana@homeward.example");
    let auth = me.authorize::<SeeAggregates>().expect("aggregates");
    let mut out = String::new();
    for f in [
        vec![],
        vec![("country", "AL"), ("year", "2013")],
        vec![("sex", "male"), ("age", "18_34")],
        vec![("vulnerability", "aged_out_minor")],
    ] {
        let filter = DashboardFilter::parse(f).expect("filter");
        out.push_str(&format!(
            "{:?}\n",
            s.dashboard(&auth, &filter).expect("dashboard")
        ));
    }
    let project = s.project("RN.0001").expect("ok").expect("project").id;
    out.push_str(&format!(
        "{:?}\n",
        s.project_measures(project).expect("measures")
    ));
    let iati = export(s, &CatalogueQuery::default(), Format::Iati, None).expect("iati");
    let iati = String::from_utf8(iati).expect("utf-8");
    // The file says when it was made; everything else must match.
    let stamp = regex_free_strip(&iati, "generated-datetime=\"");
    out.push_str(&stamp);
    out
}

fn regex_free_strip(s: &str, attr: &str) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some(i) = rest.find(attr) {
        out.push_str(&rest[..i + attr.len()]);
        rest = &rest[i + attr.len()..];
        rest = rest.find('"').map_or("", |j| &rest[j..]);
    }
    out.push_str(rest);
    out
}

/// Writes the test's values on the story's case, through Homeward.
fn write_about_the_story(s: &Store, id: i64) {
    let cw = principal(s, "caseworker.tirana@homeward.example");
    let write = cw.authorize::<WriteCases>().expect("write");
    let actor = Actor::of(&cw, "10.0.0.7");
    let tirana = s
        .offices()
        .expect("offices")
        .into_iter()
        .find(|o| o.name == "IOM Tirana")
        .expect("Tirana")
        .id
        .to_string();
    let reg = RegistrationForm {
        given_name: GIVEN,
        family_name: FAMILY,
        sex: "male",
        birth_date: "1994-09-01",
        nationality: "AL",
        origin_office: &tirana,
        vulnerabilities: vec!["aged_out_minor", "unaccompanied_child"],
        health_notes: "",
        details: DetailsForm {
            birth_date_estimated: true,
            languages: "Albanian, Norwegian",
            phone: PHONE,
            email: EMAIL,
            return_area: "Kukës",
            return_place: PLACE,
            ..Default::default()
        },
    }
    .parse(homeward_store::today())
    .expect("details");
    let version = s
        .case_version(&cw.authorize().expect("read"), id)
        .expect("version");
    s.update_returnee(&write, &actor, id, version, &reg)
        .expect("corrected");
    let member = HouseholdMember::parse(MEMBER, "sibling", "female", "1998", 2026).expect("member");
    s.add_household_member(&write, &actor, id, &member)
        .expect("member");
    let note = NoteDraft::parse("visit", NOTE, false, "").expect("note");
    s.add_note(&write, &actor, id, &note).expect("note");
    let pdf = format!("%PDF-1.4\n% passport of {GIVEN} {FAMILY}\n%%EOF\n").into_bytes();
    let doc = DocumentDraft::parse("identity", false, FILE, pdf).expect("document");
    s.add_document(&write, &actor, id, doc).expect("document");
    // An entry about something else that names the person (found by the value, not by
    // the record it is about).
    s.record(
        &actor,
        homeward_store::audit::Change::new(
            homeward_domain::audit::Action::Export,
            "report",
            "monthly",
        )
        .after(serde_json::json!({"mentions": format!("{GIVEN} {FAMILY}")})),
    )
    .expect("recorded");
    // Someone opens the case: a view in the trail.
    s.case(&cw.authorize().expect("read"), &actor, id)
        .expect("read");
}

fn retention(s: &Store) -> homeward_domain::access::Authorized<ManageRetention> {
    principal(s, "administrator.oslo@homeward.example")
        .authorize()
        .expect("retention")
}

both_backends! {
    fn a_record_past_its_term_leaves_no_trace_and_changes_no_figure(db) {
        let s = &db.store;
        homeward_interop::demo::load_people(s, PASSWORD).expect("people");
        homeward_interop::demo::load_returnees(s, 300, PASSWORD).expect("returnees");
        let id = story_id(&db);
        write_about_the_story(s, id);
        for v in [GIVEN, FAMILY, PHONE, EMAIL, PLACE, MEMBER, NOTE, FILE] {
            assert!(!db.found_in(v).is_empty(), "{v} was written");
        }
        let today = homeward_store::today();

        // The story is held as the demo's worked example: nothing touches it.
        let held = s.retention_run(&Actor::console(), today, true).expect("dry run");
        assert!(!held.cases.iter().any(|c| c.reference == "HW-000005"));
        assert!(!held.cases.is_empty(), "synthetic cases closed years ago are due");
        let schedule = s.retention_schedule(&retention(s), today).expect("schedule");
        assert!(schedule.held.iter().any(|c| c.reference == "HW-000005"
            && c.held_reason.as_deref() == Some(homeward_interop::demo::STORY_HOLD)));
        s.hold_case(&retention(s), &Actor::console(), "HW-000005", None).expect("released");

        // A dry run lists and changes nothing.
        let before = figures(s);
        let cases_before = db.number("SELECT COUNT(*) AS n FROM cases WHERE anonymised_on IS NULL");
        let dry = s.retention_run(&Actor::console(), today, true).expect("dry run");
        assert!(dry.cases.iter().any(|c| c.reference == "HW-000005" && c.closed_on == "2014-02-20"));
        assert_eq!(db.number("SELECT COUNT(*) AS n FROM cases WHERE anonymised_on IS NULL"), cases_before);
        assert!(!db.found_in(GIVEN).is_empty());

        let done = s.retention_run(&Actor::console(), today, false).expect("run");
        assert_eq!(done.cases, dry.cases, "the run did what the dry run listed");
        assert_eq!(
            db.number("SELECT COUNT(*) AS n FROM cases WHERE anonymised_on IS NOT NULL"),
            done.cases.len() as i64
        );

        // Nothing that named the person is left, in any table or column.
        for v in [GIVEN, FAMILY, PHONE, EMAIL, PLACE, MEMBER, NOTE, FILE, "Valbona", "Besnik Tregim"] {
            assert_eq!(db.found_in(v), Vec::<String>::new(), "{v} is gone");
        }
        assert_eq!(db.number(&format!("SELECT COUNT(*) AS n FROM case_documents WHERE case_id = {id}")), 0);
        let birth = db.texts(&format!("SELECT r.birth_date AS s FROM returnees r JOIN cases c ON c.returnee_id = r.id WHERE c.id = {id}"));
        assert_eq!(birth, vec!["1994".to_owned()], "the year of birth stays");

        // Every figure is the same, and the trail still verifies.
        assert_eq!(figures(s), before);
        assert_eq!(s.audit_verify().expect("verify"), Ok(db.number("SELECT COUNT(*) AS n FROM audit_events") as u64));
        assert!(db.audited(&format!("action = 'anonymise' AND record_id = '{id}'")) == 1);
        assert!(db.audited("before LIKE 'redacted sha256:%' OR after LIKE 'redacted sha256:%'") > 0);

        // The case is still there for who may read it, and takes nothing more.
        let cw = principal(s, "caseworker.tirana@homeward.example");
        let case = s.case(&cw.authorize::<ReadCases>().expect("read"), &Actor::console(), id).expect("read");
        assert_eq!(case.anonymised_on, Some(today.to_string()));
        assert_eq!((case.given_name.as_str(), case.status.as_str()), ("", "closed"));
        let again = s.add_note(&cw.authorize().expect("write"), &Actor::console(), id,
            &NoteDraft::parse("visit", "More about them", false, "").expect("note"));
        assert!(matches!(again, Err(StoreError::Conflict { .. })), "{again:?}");
        let hold = s.hold_case(&retention(s), &Actor::console(), "HW-000005",
            Some(Reason::parse("hold", "too late now").expect("reason")));
        assert!(matches!(hold, Err(StoreError::Conflict { .. })), "{hold:?}");

        // A second run finds nothing to do.
        assert_eq!(s.retention_run(&Actor::console(), today, false).expect("run").cases, vec![]);

        // On SQLite the bytes are gone from the files too (database and its log).
        if s.backend() == homeward_store::Backend::Sqlite {
            let mut bytes = std::fs::read(&db.url).expect("database file");
            bytes.extend(std::fs::read(format!("{}-wal", db.url)).unwrap_or_default());
            for v in [GIVEN, FAMILY, PHONE, NOTE] {
                assert!(!bytes.windows(v.len()).any(|w| w == v.as_bytes()), "{v} in the file");
            }
        }
    }

    fn two_servers_run_the_day_once(db) {
        let s = &db.store;
        homeward_interop::demo::load_people(s, PASSWORD).expect("people");
        homeward_interop::demo::load_returnees(s, 200, PASSWORD).expect("returnees");
        let today = homeward_store::today();
        let due = s.retention_run(&Actor::console(), today, true).expect("dry").cases.len();
        assert!(due > 0);
        let other = Store::open(&db.url).expect("a second server");
        let (a, b) = std::thread::scope(|t| {
            let a = t.spawn(|| s.retention_daily(&Actor::console(), today, "server-a"));
            let b = t.spawn(|| other.retention_daily(&Actor::console(), today, "server-b"));
            (a.join().expect("a"), b.join().expect("b"))
        });
        let reports: Vec<_> = [a.expect("a"), b.expect("b")].into_iter().flatten().collect();
        assert_eq!(reports.len(), 1, "one server claimed the day");
        assert_eq!(reports[0].cases.len(), due);
        assert_eq!(db.audited("action = 'anonymise'"), due as i64, "each case anonymised once");
        assert_eq!(db.number("SELECT COUNT(*) AS n FROM retention_runs WHERE finished_at IS NOT NULL"), 1);
        assert_eq!(s.retention_daily(&Actor::console(), today, "server-a").expect("again"), None);
        // The manual run at the same time as the day's finds nothing left.
        assert_eq!(other.retention_run(&Actor::console(), today, false).expect("run").cases, vec![]);
        assert!(s.audit_verify().expect("verify").is_ok());
    }
}
