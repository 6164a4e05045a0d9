//! Dashboard figures on SQLite and PostgreSQL, checked against SQL written here over the
//! same demo data (the published story and synthetic returnees): filters, scope, the
//! story's scores, and whether small numbers are withheld from the reader.

use homeward_domain::access::SeeAggregates;
use homeward_domain::dashboard::DashboardFilter;
use homeward_store::both_backends;

const PASSWORD: &str = "amber-basil-cedar-delta-42";

fn filter(pairs: &[(&str, &str)]) -> DashboardFilter {
    DashboardFilter::parse(pairs.iter().copied()).expect("filter")
}

both_backends! {
    fn dashboard_figures_match_independent_sql(db) {
        let s = &db.store;
        homeward_interop::demo::load_people(s, PASSWORD).expect("people");
        homeward_interop::demo::load_returnees(s, 600, PASSWORD).expect("returnees");
        let principal = |email: &str| {
            let u = s.user_by_email(email).expect("ok").expect("user");
            s.console_principal(u.id).expect("ok").expect("principal")
        };
        let me = principal("me-officer.tirana@homeward.example");
        let auth = me.authorize::<SeeAggregates>().expect("aggregates");
        let sum = |v: &[homeward_store::insight::dashboard::Count]| v.iter().map(|c| c.n).sum::<i64>();

        let all = s.dashboard(&auth, &DashboardFilter::default()).expect("dashboard");
        assert!(all.withhold_small, "an M&E officer reads no case: small numbers are withheld");
        assert_eq!(all.counts.cases, db.number("SELECT COUNT(*) AS n FROM cases"));
        assert_eq!(sum(&all.counts.returns_by_year), db.number("SELECT COUNT(*) AS n FROM cases WHERE arrived_on IS NOT NULL"));
        assert_eq!(sum(&all.counts.returns_by_country), all.counts.cases);

        let al = s.dashboard(&auth, &filter(&[("country", "AL")])).expect("dashboard");
        assert_eq!(al.counts.cases, db.number("SELECT COUNT(*) AS n FROM cases c JOIN returnees r ON r.id = c.returnee_id WHERE r.return_country = 'AL'"));
        let closed = al.counts.by_status.iter().find(|c| c.key == "closed").map_or(0, |c| c.n);
        assert_eq!(closed, db.number("SELECT COUNT(*) AS n FROM cases c JOIN returnees r ON r.id = c.returnee_id WHERE r.return_country = 'AL' AND c.status = 'closed'"));
        assert!(al.counts.returns_by_country.iter().all(|c| c.key == "AL"));

        // Two filters and an age band at return, against SQL of their own.
        let women = s.dashboard(&auth, &filter(&[("sex", "female"), ("year", "2019"), ("age", "18_34")])).expect("dashboard");
        assert_eq!(women.counts.cases, db.number(
            "SELECT COUNT(*) AS n FROM cases c JOIN returnees r ON r.id = c.returnee_id WHERE r.sex = 'female' \
             AND c.arrived_on >= '2019-01-01' AND c.arrived_on < '2020-01-01' AND r.birth_date IS NOT NULL \
             AND CAST(SUBSTR(c.arrived_on, 1, 4) AS INTEGER) - CAST(SUBSTR(r.birth_date, 1, 4) AS INTEGER) BETWEEN 18 AND 34"));
        let vulnerable = s.dashboard(&auth, &filter(&[("vulnerability", "trafficking")])).expect("dashboard");
        assert_eq!(vulnerable.counts.cases, db.number("SELECT COUNT(*) AS n FROM returnee_vulnerabilities WHERE code = 'trafficking'"));

        // Days from arrival to the plan, and money given, against the rows themselves.
        let days: i64 = all.counts.plan_days.iter().map(|c| c.n).sum();
        assert_eq!(days, db.number("SELECT COUNT(*) AS n FROM cases WHERE arrived_on IS NOT NULL AND plan_agreed_on IS NOT NULL"));
        let given: i64 = all.counts.given_by_category.iter().map(|m| m.usd_minor).sum();
        assert_eq!(given, db.number("SELECT CAST(COALESCE(SUM(usd_minor), 0) AS BIGINT) AS n FROM disbursements"));
        let story = s.dashboard(&auth, &filter(&[("year", "2013"), ("country", "AL")])).expect("dashboard");
        let course = story.counts.given_by_category.iter().find(|m| m.key == "vocational_training").expect("the course");
        assert_eq!(course.n, 1, "one case paid for a course in 2013");

        // The story's surveys: its latest is a follow-up in the high band, up from baseline.
        assert_eq!(story.instrument.as_deref(), Some("homeward-wellbeing v1"));
        let high = story.counts.bands.iter().find(|c| c.key == "high").map_or(0, |c| c.n);
        assert_eq!(high, db.number("SELECT COUNT(*) AS n FROM surveys s JOIN survey_scores sc ON sc.survey_id = s.id \
            JOIN cases c ON c.id = s.case_id JOIN returnees r ON r.id = c.returnee_id WHERE s.latest AND sc.band = 'high' \
            AND r.return_country = 'AL' AND c.arrived_on >= '2013-01-01' AND c.arrived_on < '2014-01-01'"));
        // The synthetic returnees were surveyed too: every latest survey is counted once.
        let bands: i64 = all.counts.bands.iter().map(|c| c.n).sum();
        assert_eq!(bands, db.number("SELECT COUNT(*) AS n FROM surveys WHERE latest"));
        assert!(bands > 100, "synthetic cases have surveys: {bands}");
        assert_eq!(db.number("SELECT COUNT(*) AS n FROM surveys s WHERE s.latest AND EXISTS (SELECT 1 FROM surveys l WHERE l.case_id = s.case_id AND l.taken_on > s.taken_on)"), 0, "the latest is the latest");
        let composite = story.counts.change.iter().find(|c| c.key == "composite").expect("change");
        assert_eq!(composite.n, 1);
        assert!(composite.latest > composite.baseline, "{composite:?}");

        // The demo project's indicators count themselves from its cases.
        let project = s.project("RN.0001").expect("ok").expect("project").id;
        let measured = s.project_measures(project).expect("measures");
        assert_eq!(measured.len(), 2);
        assert_eq!(measured[0].value as i64, db.number(&format!("SELECT COUNT(DISTINCT case_id) AS n FROM disbursements WHERE project_id = {project}")));
        let surveyed = db.number(&format!("SELECT COUNT(*) AS n FROM surveys s JOIN survey_scores sc ON sc.survey_id = s.id JOIN cases c ON c.id = s.case_id WHERE s.latest AND sc.composite IS NOT NULL AND c.project_id = {project}"));
        let high = db.number(&format!("SELECT COUNT(*) AS n FROM surveys s JOIN survey_scores sc ON sc.survey_id = s.id JOIN cases c ON c.id = s.case_id WHERE s.latest AND sc.band = 'high' AND c.project_id = {project}"));
        assert_eq!(measured[1].cases, surveyed);
        assert!((measured[1].value - high as f64 * 100.0 / surveyed as f64).abs() < 1e-9, "{:?}", measured[1]);
        let at = homeward_domain::indicator_binding::IndicatorRef::parse("1.0.3").expect("place");
        match s.bind_indicator_console("RN.0001", at, Some(homeward_domain::indicator_binding::CaseMeasure::PlansApproved)) {
            Err(homeward_store::StoreError::Conflict { field, message }) => assert!(field == "indicator" && message.contains("no indicator 1.0.3"), "{message}"),
            other => panic!("expected a refusal, got {other:?}"),
        }
        let first = homeward_domain::indicator_binding::IndicatorRef::parse("1.0.1").expect("place");
        s.bind_indicator_console("RN.0001", first, None).expect("unbound");
        assert_eq!(s.project_measures(project).expect("measures").len(), 1);

        // An office manager counts the office's cases and may see small numbers.
        let manager = principal("office-manager.tirana@homeward.example");
        let office = s.dashboard(&manager.authorize().expect("aggregates"), &DashboardFilter::default()).expect("dashboard");
        assert!(!office.withhold_small);
        assert_eq!(office.counts.cases, db.number(&format!(
            "SELECT COUNT(*) AS n FROM cases c WHERE c.owning_office_id = {} OR c.assigned_user_id = {}",
            manager.office_id(), manager.user_id())));
        assert!(office.counts.cases < all.counts.cases);
    }
}

/// The figures a dashboard must agree with, by SQL written here.
/// The demo people and `returnees` synthetic returnees; the Tirana M&E officer.
fn demo_with_me_officer(
    s: &homeward_store::Store,
    returnees: usize,
) -> homeward_domain::access::Principal {
    homeward_interop::demo::load_people(s, PASSWORD).expect("people");
    homeward_interop::demo::load_returnees(s, returnees, PASSWORD).expect("returnees");
    let u = s
        .user_by_email("me-officer.tirana@homeward.example")
        .expect("ok")
        .expect("user");
    s.console_principal(u.id).expect("ok").expect("principal")
}

fn expected(db: &homeward_store::testing::TestDb) -> [i64; 7] {
    [
        db.number("SELECT COUNT(*) AS n FROM cases"),
        db.number("SELECT COUNT(*) AS n FROM cases c JOIN returnees r ON r.id = c.returnee_id WHERE r.return_country = 'AL'"),
        db.number("SELECT COUNT(*) AS n FROM cases WHERE status = 'closed'"),
        db.number("SELECT COUNT(*) AS n FROM cases c JOIN returnee_vulnerabilities v ON v.returnee_id = c.returnee_id WHERE v.code = 'trafficking'"),
        db.number("SELECT CAST(COALESCE(SUM(usd_minor), 0) AS BIGINT) AS n FROM disbursements"),
        db.number("SELECT CAST(COALESCE(SUM(cost_usd_minor), 0) AS BIGINT) AS n FROM plan_items"),
        db.number("SELECT COUNT(*) AS n FROM surveys s JOIN survey_scores sc ON sc.survey_id = s.id \
            AND sc.instrument_id = (SELECT id FROM survey_instruments WHERE adoption IS NOT NULL ORDER BY adoption DESC LIMIT 1) \
            WHERE s.latest"),
    ]
}

/// The same figures as one store's dashboard counts them.
fn counted(
    s: &homeward_store::Store,
    auth: &homeward_domain::access::Authorized<SeeAggregates>,
) -> [i64; 7] {
    let all = s
        .dashboard(auth, &DashboardFilter::default())
        .expect("dashboard");
    let n = |f: &[(&str, &str)]| {
        s.dashboard(auth, &filter(f))
            .expect("dashboard")
            .counts
            .cases
    };
    [
        all.counts.cases,
        n(&[("country", "AL")]),
        all.counts
            .by_status
            .iter()
            .find(|c| c.key == "closed")
            .map_or(0, |c| c.n),
        n(&[("vulnerability", "trafficking")]),
        all.counts
            .given_by_category
            .iter()
            .map(|m| m.usd_minor)
            .sum(),
        all.counts
            .planned_by_category
            .iter()
            .map(|m| m.usd_minor)
            .sum(),
        all.counts.bands.iter().map(|c| c.n).sum(),
    ]
}

both_backends! {
    fn dashboards_follow_every_write_on_every_server(db) {
        let s = &db.store;
        let me = demo_with_me_officer(s, 200);
        let auth = me.authorize::<SeeAggregates>().expect("aggregates");
        // A second app server on the same database, with facts of its own.
        let other = homeward_store::Store::connect(&db.url).expect("second server");
        assert_eq!(counted(s, &auth), expected(&db), "first read");
        assert_eq!(counted(&other, &auth), expected(&db), "first read, second server");

        // Behind Homeward's back, as an administrator's SQL would: each kind of row the
        // dashboards count, changed once.
        let writes = [
            "UPDATE returnees SET return_country = 'GE' WHERE id IN (SELECT c.returnee_id FROM cases c \
             JOIN returnees r ON r.id = c.returnee_id WHERE r.return_country = 'AL' ORDER BY c.id LIMIT 3)",
            "INSERT INTO returnee_vulnerabilities (code, returnee_id) SELECT 'trafficking', id FROM returnees \
             WHERE id NOT IN (SELECT returnee_id FROM returnee_vulnerabilities WHERE code = 'trafficking') ORDER BY id LIMIT 2",
            "DELETE FROM returnee_vulnerabilities WHERE code = 'trafficking' AND returnee_id = \
             (SELECT MAX(returnee_id) FROM returnee_vulnerabilities WHERE code = 'trafficking')",
            "UPDATE cases SET status = 'closed' WHERE id IN (SELECT id FROM cases WHERE status <> 'closed' ORDER BY id LIMIT 4)",
            "UPDATE disbursements SET usd_minor = usd_minor + 12345 WHERE id = (SELECT MIN(id) FROM disbursements)",
            "UPDATE plan_items SET cost_usd_minor = cost_usd_minor + 99 WHERE id = (SELECT MAX(id) FROM plan_items)",
            "DELETE FROM survey_scores WHERE survey_id = (SELECT MIN(id) FROM surveys WHERE latest)",
        ];
        for (i, sql) in writes.iter().enumerate() {
            let before = expected(&db);
            db.execute(sql);
            let after = expected(&db);
            assert_ne!(before, after, "write {i} changes a figure: {sql}");
            assert_eq!(counted(s, &auth), after, "after write {i}: {sql}");
            assert_eq!(counted(&other, &auth), after, "second server, after write {i}: {sql}");
        }

        // Through Homeward: more returnees registered in bulk, then a new version of the
        // instrument adopted (every survey scored again under it).
        homeward_interop::demo::load_returnees(s, 150, PASSWORD).expect("more returnees");
        assert_eq!(counted(&other, &auth), expected(&db), "after more returnees");
        let v2 = homeward_interop::survey::read_instrument(
            "v2.toml",
            &homeward_interop::survey::toml_file::DEFAULT_TOML.replacen("version = 1", "version = 2", 1),
        )
        .expect("version 2");
        s.load_instrument_console(&v2, true).expect("adopted");
        let d = other.dashboard(&auth, &DashboardFilter::default()).expect("dashboard");
        assert_eq!(d.instrument.as_deref(), Some("homeward-wellbeing v2"));
        assert_eq!(counted(&other, &auth), expected(&db), "after adoption");
        assert_eq!(counted(s, &auth), expected(&db), "after adoption, first server");
    }

    fn a_server_starts_from_the_stored_facts_and_the_changes_since(db) {
        let s = &db.store;
        let me = demo_with_me_officer(s, 200);
        let auth = me.authorize::<SeeAggregates>().expect("aggregates");
        // The first server reads every case and stores the facts; nothing to store twice.
        s.warm_dashboards().expect("warm");
        assert!(s.store_dashboard_facts().expect("store").is_some_and(|b| b > 1000));
        assert_eq!(s.store_dashboard_facts().expect("store"), None, "unchanged, not stored again");
        assert_eq!(db.number("SELECT cases AS n FROM dashboard_snapshot"), db.number("SELECT COUNT(*) AS n FROM cases"));
        // Cases change after the facts were stored.
        db.execute("UPDATE cases SET status = 'closed' WHERE id IN (SELECT id FROM cases WHERE status <> 'closed' ORDER BY id LIMIT 4)");
        homeward_interop::demo::load_returnees(s, 20, PASSWORD).expect("more returnees");
        // A server starting now reads the stored facts and the changed cases only, and
        // counts what one reading every case counts.
        let next = homeward_store::Store::connect(&db.url).expect("a new server");
        let fresh = homeward_store::Store::connect(&db.url).expect("another");
        let iid = db.number("SELECT instrument_id AS n FROM dashboard_snapshot");
        db.execute("UPDATE dashboard_snapshot SET instrument_id = -1");
        assert_eq!(counted(&fresh, &auth), expected(&db), "another instrument's facts are not used");
        assert_eq!(fresh.stats().facts.map(|f| f.from_stored), Some(false));
        db.execute(&format!("UPDATE dashboard_snapshot SET instrument_id = {iid}"));
        assert_eq!(counted(&next, &auth), expected(&db), "from the stored facts");
        assert_eq!(counted(&next, &auth), counted(s, &auth));
        assert_eq!(next.stats().facts.map(|f| f.from_stored), Some(true), "started from the stored facts");
        assert_eq!(s.stats().facts.map(|f| f.from_stored), Some(false), "the first server read every case");
        // A row of another layout is ignored, not misread.
        db.execute(match s.backend() {
            homeward_store::Backend::Sqlite => "UPDATE dashboard_snapshot SET data = X'0102'",
            homeward_store::Backend::Postgres => "UPDATE dashboard_snapshot SET data = '\\x0102'",
        });
        let third = homeward_store::Store::connect(&db.url).expect("a third server");
        assert_eq!(counted(&third, &auth), expected(&db), "unreadable facts: every case read");
        assert_eq!(third.stats().facts.map(|f| f.from_stored), Some(false));
    }
}
