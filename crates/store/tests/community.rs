//! Community and structural reintegration on SQLite and PostgreSQL: community projects
//! with participants and member counts, a tool pool lent at the counter (never a unit
//! twice at once, fees on return, overdue, utilisation), capacity-building activities with
//! listed participants and test scores, outputs and money spent charged to the funding
//! project at the day's rate, and who may change what.

use homeward_domain::access::{LendAssets, ManageCommunity, Principal, ReadCases, Role};
use homeward_domain::account::{Email, OfficeDraft};
use homeward_domain::case::RegistrationForm;
use homeward_domain::community::activity::ActivityDraft;
use homeward_domain::community::activity::{ExpenseDraft, Level, OutputDraft};
use homeward_domain::community::capacity::{CapacityDraft, ParticipantDraft};
use homeward_domain::community::pool::{LoanDraft, ReturnDraft, ToolDraft};
use homeward_domain::community::project::{CommunityProjectDraft, MemberCounts};
use homeward_domain::date::Ymd;
use homeward_domain::project::ProjectDraft;
use homeward_domain::reintegration::exchange::UsdRate;
use homeward_domain::{CurrencyCode, Money};
use homeward_store::access::users::NewUser;
use homeward_store::catalogue::rates::RateEntry;
use homeward_store::community::activity::ActivityFilter;
use homeward_store::community::pools::Loans;
use homeward_store::community::projects::CommunityLine;
use homeward_store::{Actor, Store, StoreError, both_backends};
use std::collections::HashMap;

struct World {
    manager: Principal,
    caseworker: Principal,
    operator: Principal,
    other_operator: Principal,
    other_manager: Principal,
    programme: Principal,
    tbilisi: i64,
    centre: i64,
    project: i64,
}

fn principal(s: &Store, email: &str, role: Role, office: i64) -> Principal {
    let id = s
        .add_user_console(
            &NewUser {
                email: Email::parse(email).expect("email"),
                name: email.split('@').next().unwrap_or_default().into(),
                office_id: office,
                role,
            },
            "copper lantern orchard drift",
        )
        .expect("user");
    s.console_principal(id).expect("ok").expect("principal")
}

fn world(s: &Store) -> World {
    let office = |n: &str, c: &str, k: &str| {
        s.add_office_console(&OfficeDraft::parse(n, c, k).expect("office"))
            .expect("add office")
    };
    let tbilisi = office("IOM Tbilisi", "GE", "iom_mission");
    let centre = office("Samgori Multifunctional Service Centre", "GE", "partner");
    let tirana = office("IOM Tirana", "AL", "iom_mission");
    let other_centre = office("Another Centre", "AL", "partner");
    let saved = s
        .save_project(
            &ProjectDraft {
                projects_id: "CD.0085".into(),
                prima_id: "GE10P0527".into(),
                title: "Enhancing the Potential of Migration for Socio-Economic Development in Armenia and Georgia".into(),
                idf_region: "Europe".into(),
                project_type: "Community Development".into(),
                year: "2022".into(),
                member_states: "AM, GE".into(),
                budget_usd: "400000".into(),
                status: "active".into(),
                coverage: "regional".into(),
                ..Default::default()
            }
            .validate()
            .expect("project"),
        )
        .expect("saved");
    s.import_rates_console(&[RateEntry {
        currency: "GEL".parse().expect("GEL"),
        on: d("2020-01-01"),
        rate: UsdRate::parse("GEL".parse().expect("GEL"), "0.37").expect("rate"),
        source: "test".into(),
    }])
    .expect("rates");
    World {
        manager: principal(s, "mgr.tbilisi@example.org", Role::OfficeManager, tbilisi),
        caseworker: principal(s, "cw.tbilisi@example.org", Role::Caseworker, tbilisi),
        operator: principal(s, "counter@example.org", Role::CentreOperator, centre),
        other_operator: principal(
            s,
            "counter@another.example.org",
            Role::CentreOperator,
            other_centre,
        ),
        other_manager: principal(s, "mgr.tirana@example.org", Role::OfficeManager, tirana),
        programme: principal(s, "pm@example.org", Role::ProgrammeManager, tirana),
        tbilisi,
        centre,
        project: saved.id(),
    }
}

fn d(s: &str) -> Ymd {
    s.parse().expect("date")
}

fn act(p: &Principal) -> Actor {
    Actor::of(p, "10.0.0.7")
}

fn gel(minor: i64) -> Money {
    Money::new(minor, "GEL".parse().expect("GEL"))
}

fn samgori(w: &World) -> CommunityProjectDraft {
    let f: HashMap<&str, String> = [
        ("name", "Multifunctional service centre, Samgori".to_owned()),
        ("project", w.project.to_string()),
        ("office", w.tbilisi.to_string()),
        ("country", "GE".into()),
        ("area", "Tbilisi".into()),
        ("place", "Samgori district".into()),
        ("partner", "Samgori District Authority".into()),
        ("start_on", "2023-03-01".into()),
        ("status", "active".into()),
    ]
    .into_iter()
    .collect();
    CommunityProjectDraft::parse(|k| f.get(k).map_or("", String::as_str)).expect("draft")
}

fn auth<C: homeward_domain::access::Capability>(
    p: &Principal,
) -> homeward_domain::access::Authorized<C> {
    p.authorize::<C>().expect("granted")
}

both_backends! {
    fn a_community_project_with_its_people_outputs_and_money(db) {
        let s = &db.store;
        let w = world(s);
        let m = auth::<ManageCommunity>(&w.manager);
        let id = s.save_activity(&m, &act(&w.manager), None, &samgori(&w)).expect("saved");
        // Another office's manager may not add one for Tbilisi, nor change this one.
        let other = auth::<ManageCommunity>(&w.other_manager);
        assert!(matches!(s.save_activity(&other, &act(&w.other_manager), None, &samgori(&w)), Err(StoreError::Forbidden(_))));
        assert!(matches!(s.save_activity(&other, &act(&w.other_manager), Some((id, 1)), &samgori(&w)), Err(StoreError::Forbidden(_))));
        // A programme manager reaches every office; an edit from an old version is refused.
        let pm = auth::<ManageCommunity>(&w.programme);
        let mut changed = samgori(&w);
        changed.basics.description = "Tools rented for a nominal fee; skills for youth and returning migrants.".into();
        s.save_activity(&pm, &act(&w.programme), Some((id, 1)), &changed).expect("changed");
        assert!(matches!(s.save_activity(&m, &act(&w.manager), Some((id, 1)), &samgori(&w)), Err(StoreError::Stale(_))));
        // Community members counted by sex and age group.
        let f: HashMap<String, String> = [
            (MemberCounts::field("female", homeward_domain::dashboard::AgeGroup::Young), "14".to_owned()),
            (MemberCounts::field("male", homeward_domain::dashboard::AgeGroup::Young), "21".to_owned()),
            (MemberCounts::field("male", homeward_domain::dashboard::AgeGroup::Adult), "9".to_owned()),
        ].into_iter().collect();
        let counts = MemberCounts::parse(|k| f.get(k).map_or("", String::as_str)).expect("counts");
        s.set_community_members(&m, &act(&w.manager), id, &counts).expect("counts saved");
        // A returnee taking part, linked by case number; the case must be one the manager reads.
        let o = w.tbilisi.to_string();
        let reg = RegistrationForm {
            given_name: "Giorgi", family_name: "Beridze", sex: "male", birth_date: "1995-02-03",
            nationality: "GE", origin_office: &o, ..Default::default()
        }.parse(homeward_store::today()).expect("registration");
        let case = s.register_case(&w.caseworker.authorize().expect("write"), &act(&w.caseworker), &reg).expect("case");
        let reference = format!("HW-{case:06}");
        let read = auth::<ReadCases>(&w.manager);
        s.add_community_participant(&m, &read, &act(&w.manager), id, &reference.to_lowercase(), d("2023-04-01")).expect("linked");
        match s.add_community_participant(&m, &read, &act(&w.manager), id, &reference, d("2023-04-01")) {
            Err(StoreError::Conflict { field, message }) => assert!(field == "case" && message.contains("already"), "{message}"),
            other => panic!("a second link is refused: {other:?}"),
        }
        match s.add_community_participant(&m, &read, &act(&w.manager), id, "HW-999999", d("2023-04-01")) {
            Err(StoreError::Conflict { field, .. }) => assert_eq!(field, "case"),
            other => panic!("an unknown case is refused: {other:?}"),
        }
        let people = s.community_participants(&read, id).expect("participants");
        assert_eq!(people.iter().map(|p| p.given_name.as_str()).collect::<Vec<_>>(), ["Giorgi"]);
        let tirana_reader = auth::<ReadCases>(&w.other_manager);
        assert!(s.community_participants(&tirana_reader, id).expect("none").is_empty(), "no names outside the reader's scope");
        // Outputs and money, in lari at the day's rate, charged to the funding project.
        s.add_output(&m, &act(&w.manager), Level::Community, id, &OutputDraft::parse("Centre opened", "2023-03-15", homeward_store::today()).expect("output")).expect("output");
        let tools = ExpenseDraft::parse("2023-03-02", "Tools for the centre", "10000", "GEL", homeward_store::today()).expect("expense");
        s.add_expense(&m, &act(&w.manager), Level::Community, id, &tools).expect("spent");
        let no_rate = ExpenseDraft::parse("2023-03-02", "Rent", "100", "AMD", homeward_store::today()).expect("expense");
        match s.add_expense(&m, &act(&w.manager), Level::Community, id, &no_rate) {
            Err(StoreError::Conflict { field, message }) => assert!(field == "currency" && message.contains("no exchange rate for AMD"), "{message}"),
            other => panic!("no rate, no expense: {other:?}"),
        }
        let p = s.community_project(id).expect("project");
        assert_eq!((p.line.head.version, p.line.returnees, p.line.members), (2, 1, 44));
        assert_eq!(p.members.by_sex(1), 30);
        assert_eq!(p.line.head.spent_usd_minor, 370_000, "10,000 GEL at 0.37");
        assert_eq!(p.expenses[0].usd.minor, 370_000);
        assert_eq!(p.outputs[0].achieved_on.as_deref(), Some("2023-03-15"));
        assert!(p.line.head.description.contains("nominal fee"));
        let listed = s.activities::<CommunityLine>(&ActivityFilter { country: Some("GE".into()), ..Default::default() }).expect("list");
        assert_eq!(listed.len(), 1);
        assert!(s.activities::<CommunityLine>(&ActivityFilter { country: Some("AL".into()), ..Default::default() }).expect("list").is_empty());
        assert_eq!(db.audited("record_type = 'community_project'"), 6, "every change audited");
    }

    fn the_counter_lends_a_drill_once_and_takes_it_back_with_its_fee(db) {
        let s = &db.store;
        let w = world(s);
        let m = auth::<ManageCommunity>(&w.manager);
        let project = s.save_activity(&m, &act(&w.manager), None, &samgori(&w)).expect("saved");
        let gel_code: CurrencyCode = "GEL".parse().expect("GEL");
        let pool = s.add_pool(&m, &act(&w.manager), project, w.centre, "Samgori tool library", gel_code).expect("pool");
        let tool = |name: &str, qty: &str, cond: &str| {
            let t = ToolDraft::parse(name, "electrical", qty, cond, "350", "5", "", gel_code).expect("tool");
            s.save_tool(&m, &act(&w.manager), pool, None, &t).expect("tool saved")
        };
        let drill = tool("Cordless drill", "1", "good");
        let ladders = tool("Ladder", "2", "good");
        let broken = tool("Pipe threader", "1", "broken");
        let op = auth::<LendAssets>(&w.operator);
        let today = homeward_store::today();
        let lent_on = Ymd::from_days(today.to_days() - 3);
        let loan = |name: &str| LoanDraft::parse(name, "", &lent_on.to_string(), &Ymd::from_days(today.to_days() + 4).to_string(), today).expect("loan");
        let first = s.lend_tool(&op, &act(&w.operator), drill, &loan("Nino Kapanadze")).expect("lent");
        match s.lend_tool(&op, &act(&w.operator), drill, &loan("Levan Gelashvili")) {
            Err(StoreError::Conflict { field, message }) => assert!(field == "tool" && message.contains("Cordless drill is already lent"), "{message}"),
            other => panic!("the drill is out: {other:?}"),
        }
        s.lend_tool(&op, &act(&w.operator), ladders, &loan("Levan Gelashvili")).expect("one ladder");
        s.lend_tool(&op, &act(&w.operator), ladders, &loan("Tamar Lomidze")).expect("the other ladder");
        assert!(s.lend_tool(&op, &act(&w.operator), ladders, &loan("Eka Tsiklauri")).is_err(), "both ladders are out");
        assert!(s.lend_tool(&op, &act(&w.operator), broken, &loan("Eka Tsiklauri")).is_err(), "out of service");
        // Another centre's operator neither lends these tools nor sees who borrowed them.
        let other = auth::<LendAssets>(&w.other_operator);
        assert!(matches!(s.lend_tool(&other, &act(&w.other_operator), drill, &loan("X Y")), Err(StoreError::Forbidden(_))));
        assert!(matches!(s.pool_loans(&other, pool, Loans::Open, 50), Err(StoreError::Forbidden(_))));
        // Back three days later: three days at 5 lari, recorded; the drill may go out again.
        let l = s.tool_loan(&op, first).expect("loan");
        let back = ReturnDraft::parse("", "fair", "", "", lent_on, gel(l.fee_per_day_minor), today).expect("return");
        assert_eq!(s.return_tool(&op, &act(&w.operator), first, &back).expect("back"), gel(1_500));
        match s.return_tool(&op, &act(&w.operator), first, &back) {
            Err(StoreError::Conflict { message, .. }) => assert!(message.contains("taken back already"), "{message}"),
            other => panic!("once only: {other:?}"),
        }
        assert_eq!(s.pool_tool(drill).expect("tool").condition, "fair", "the tool keeps the condition it came back in");
        s.lend_tool(&op, &act(&w.operator), drill, &LoanDraft::parse("Levan Gelashvili", "", "", &Ymd::from_days(today.to_days() + 2).to_string(), today).expect("loan")).expect("out again");
        let open = s.pool_loans(&op, pool, Loans::Open, 50).expect("open");
        assert_eq!(open.len(), 3);
        assert!(s.pool_loans(&op, pool, Loans::Overdue, 50).expect("overdue").is_empty());
        db.execute(&format!("UPDATE tool_loans SET due_on = '{}' WHERE borrower = 'Tamar Lomidze'", Ymd::from_days(today.to_days() - 1)));
        let overdue = s.pool_loans(&op, pool, Loans::Overdue, 50).expect("overdue");
        assert_eq!(overdue.iter().map(|l| l.borrower.as_str()).collect::<Vec<_>>(), ["Tamar Lomidze"]);
        // The report: fees this month and each tool's share of days out.
        let r = s.pool_report(pool, 3).expect("report");
        assert_eq!(r.months.len(), 3);
        assert_eq!(r.fees_total, gel(1_500));
        assert_eq!(r.fees.iter().map(|f| f.minor).sum::<i64>(), 1_500);
        assert_eq!(r.loans.iter().sum::<i64>(), 4);
        let drill_use = r.tools.iter().find(|t| t.name == "Cordless drill").expect("drill");
        assert!(drill_use.months.iter().sum::<f64>() > 0.0, "{drill_use:?}");
        let tools = s.pool_tools(pool, "DRILL").expect("found");
        assert_eq!(tools.iter().map(|t| (t.name.as_str(), t.out)).collect::<Vec<_>>(), [("Cordless drill", 1)]);
        assert_eq!(s.pool_tools(pool, "").expect("all").len(), 3);
        // Fewer units than are out cannot be recorded.
        let one = ToolDraft::parse("Ladder", "construction", "1", "good", "80", "2", "", gel_code).expect("tool");
        assert!(matches!(s.save_tool(&m, &act(&w.manager), pool, Some(ladders), &one), Err(StoreError::Conflict { .. })));
    }

    fn a_training_counts_its_participants_and_their_scores(db) {
        let s = &db.store;
        let w = world(s);
        let m = auth::<ManageCommunity>(&w.manager);
        let f: HashMap<&str, String> = [
            ("title", "Reintegration counselling for municipal staff".to_owned()),
            ("kind", "training".into()), ("project", w.project.to_string()), ("office", w.tbilisi.to_string()),
            ("country", "GE".into()), ("institution", "Samgori District Authority".into()),
            ("start_on", "2023-05-08".into()), ("end_on", "2023-05-10".into()), ("status", "completed".into()),
            ("female", "2".into()), ("male", "1".into()),
        ].into_iter().collect();
        let draft = CapacityDraft::parse(|k| f.get(k).map_or("", String::as_str)).expect("draft");
        let id = s.save_activity(&m, &act(&w.manager), None, &draft).expect("saved");
        let add = |name: &str, sex: &str, pre: &str, post: &str| {
            s.add_capacity_participant(&m, &act(&w.manager), id, &ParticipantDraft::parse(name, sex, pre, post).expect("participant"))
        };
        add("Nana", "female", "40", "80").expect("listed");
        add("", "female", "60", "90").expect("anonymous");
        match add("Third", "female", "", "") {
            Err(StoreError::Conflict { field, message }) => assert!(field == "sex" && message.contains("Women counted: 2"), "{message}"),
            other => panic!("no third woman: {other:?}"),
        }
        add("", "male", "50", "").expect("a man without a post-test");
        let a = s.capacity_activity(id).expect("activity");
        assert_eq!((a.listed, a.line.participants()), (3, 3));
        let scores = a.scores.expect("scores");
        assert_eq!((scores.n, scores.before, scores.after), (2, 50.0, 85.0));
        assert_eq!(s.capacity_participants(&m, id).expect("names")[0].name, "Nana");
        assert!(matches!(s.capacity_participants(&auth(&w.other_manager), id), Err(StoreError::Forbidden(_))));
        // The counts cannot fall below the people listed.
        let mut fewer = draft.clone();
        fewer.participants.female = 1;
        assert!(matches!(s.save_activity(&m, &act(&w.manager), Some((id, 1)), &fewer), Err(StoreError::Conflict { .. })));
        s.add_output(&m, &act(&w.manager), Level::Structural, id, &OutputDraft::parse("Referral procedure agreed", "2023-05-10", homeward_store::today()).expect("o")).expect("output");
        let fee = ExpenseDraft::parse("2023-05-08", "Trainer and venue", "2000", "USD", homeward_store::today()).expect("expense");
        s.add_expense(&m, &act(&w.manager), Level::Structural, id, &fee).expect("spent");
        let a = s.capacity_activity(id).expect("activity");
        assert_eq!((a.line.head.outputs_achieved, a.line.head.spent_usd_minor), (1, 200_000));
        assert_eq!(db.number(&format!("SELECT CAST(SUM(usd_minor) AS BIGINT) AS n FROM activity_expenses WHERE project_id = {}", w.project)), 200_000);
    }

    fn two_counters_lending_the_same_drill_at_once_lend_it_once(db) {
        let s = &db.store;
        let w = world(s);
        let m = auth::<ManageCommunity>(&w.manager);
        let project = s.save_activity(&m, &act(&w.manager), None, &samgori(&w)).expect("saved");
        let gel_code: CurrencyCode = "GEL".parse().expect("GEL");
        let pool = s.add_pool(&m, &act(&w.manager), project, w.centre, "Samgori tool library", gel_code).expect("pool");
        let t = ToolDraft::parse("Cordless drill", "electrical", "1", "good", "320", "5", "", gel_code).expect("tool");
        let drill = s.save_tool(&m, &act(&w.manager), pool, None, &t).expect("tool saved");
        let today = homeward_store::today();
        let due = Ymd::from_days(today.to_days() + 3).to_string();
        // Eight counters at once, each on its own connection, let go together. (The tool's
        // row lock on PostgreSQL and SQLite's single writer make this hold; timing alone
        // rarely shows a race, so this checks the outcome, not the lock.)
        let start = std::sync::Barrier::new(8);
        let results: Vec<Result<i64, StoreError>> = std::thread::scope(|scope| {
            let handles: Vec<_> = (0..8)
                .map(|i| {
                    let (store, op, due, start) = (s.clone(), w.operator.clone(), due.clone(), &start);
                    scope.spawn(move || {
                        start.wait();
                        let loan = LoanDraft::parse(&format!("Borrower {i}"), "", "", &due, today).expect("loan");
                        store.lend_tool(&auth::<LendAssets>(&op), &act(&op), drill, &loan)
                    })
                })
                .collect();
            handles.into_iter().map(|h| h.join().expect("thread")).collect()
        });
        let lent = results.iter().filter(|r| r.is_ok()).count();
        assert_eq!(lent, 1, "{results:?}");
        assert!(results.iter().filter_map(|r| r.as_ref().err()).all(|e| matches!(e, StoreError::Conflict { field, .. } if field == "tool")), "{results:?}");
        assert_eq!(db.number(&format!("SELECT COUNT(*) AS n FROM tool_loans WHERE tool_id = {drill}")), 1);
    }
}
