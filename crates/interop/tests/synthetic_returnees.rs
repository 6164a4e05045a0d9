//! Synthetic returnees (`homeward demo --returnees N`) on SQLite and PostgreSQL: spread
//! over countries, stages and offices, searchable and filterable like registered ones.

use homeward_domain::access::ReadCases;
use homeward_domain::reintegration::stage::Stage;
use homeward_store::cases::caseload::{CaseloadQuery, View};
use homeward_store::{Actor, both_backends};
use std::collections::BTreeSet;

const PASSWORD: &str = "amber-basil-cedar-delta-42";

both_backends! {
    fn synthetic_returnees_spread_and_are_found_like_real_ones(db) {
        let s = &db.store;
        homeward_interop::demo::load_people(s, PASSWORD).expect("people");
        let loaded = homeward_interop::demo::load_returnees(s, 1_200, PASSWORD).expect("returnees");
        assert_eq!(loaded.cases, 1_200);
        assert!(loaded.offices >= 15, "host and origin offices: {loaded:?}");
        let manager = s.user_by_email("office-manager.tirana@homeward.example").expect("ok").expect("user");
        let p = s.console_principal(manager.id).expect("ok").expect("principal");
        let read = p.authorize::<ReadCases>().expect("reads");
        let a = Actor::console();
        let page = |q: CaseloadQuery| s.caseload(&read, &a, &CaseloadQuery { limit: 200, ..q }).expect("caseload").lines;
        let office = page(CaseloadQuery { view: View::Office, ..Default::default() });
        assert_eq!(office.len(), 200, "Tirana owns hundreds of the cases");
        let stages: BTreeSet<String> = office.iter().map(|l| l.status.clone()).collect();
        assert!(stages.len() >= 4 && stages.contains("closed"), "cases at many stages: {stages:?}");
        assert!(office.iter().all(|l| l.nationality == "AL"), "Tirana's cases are Albanians'");
        // A generated person is found by a misspelt name, as a registered one is.
        let someone = office.iter().find(|l| l.family_name.chars().count() >= 5).expect("a person");
        let typo = format!("{} {}{}", someone.given_name.to_uppercase(), someone.family_name, "h");
        let found = page(CaseloadQuery { view: View::All, q: Some(typo.clone()), ..Default::default() });
        assert!(found.iter().any(|l| l.id == someone.id), "{typo:?} finds {} ({} {}) among {:?}", someone.reference, someone.given_name, someone.family_name, found.iter().take(5).map(|l| (&l.reference, &l.given_name, &l.family_name)).collect::<Vec<_>>());
        // Two filters together, checked line by line.
        let monitoring = page(CaseloadQuery { view: View::Office, stage: Some(Stage::Closed), place: Some("SHKOD".into()), ..Default::default() });
        assert!(!monitoring.is_empty());
        assert!(monitoring.iter().all(|l| l.status == "closed" && (l.return_area.starts_with("Shkod") || l.return_place.starts_with("Shkod"))));
        let overdue = page(CaseloadQuery { view: View::All, overdue: true, ..Default::default() });
        assert!(overdue.iter().all(|l| l.status != "closed"), "closed cases have nothing overdue");
        let vulnerable = page(CaseloadQuery { view: View::Office, vulnerability: Some(homeward_domain::case::Vulnerability::UnaccompaniedChild), ..Default::default() });
        assert!(!vulnerable.is_empty(), "minors are among the returnees");
        // The timeline starts with the registration under the case's own number.
        let file = s.case_file(&read, &a, someone.id).expect("file");
        assert_eq!(file.events.first().map(|e| e.detail.clone()), Some(someone.reference.clone()));
        // Plans within their package's cap, paid for the cases that reached assistance.
        let planned = db.number("SELECT COUNT(DISTINCT case_id) AS n FROM plan_items");
        assert!(planned > 300, "most cases that got so far have a plan: {planned}");
        assert_eq!(db.number("SELECT COUNT(*) AS n FROM cases c WHERE c.plan_agreed_on IS NOT NULL \
            AND NOT EXISTS (SELECT 1 FROM plan_items pi WHERE pi.case_id = c.id)"), 0, "every agreed plan has items");
        assert_eq!(db.number("SELECT COUNT(*) AS n FROM (SELECT c.id FROM cases c JOIN packages p ON p.id = c.package_id \
            JOIN plan_items pi ON pi.case_id = c.id GROUP BY c.id, p.cap_usd_minor \
            HAVING SUM(pi.cost_usd_minor) > p.cap_usd_minor) x"), 0, "no plan over its cap");
        assert_eq!(db.number("SELECT COUNT(*) AS n FROM disbursements d JOIN plan_items pi ON pi.id = d.plan_item_id \
            WHERE d.usd_minor > pi.cost_usd_minor OR d.case_id <> pi.case_id"), 0, "no payment over its item");
        assert!(db.number("SELECT COUNT(*) AS n FROM disbursements d JOIN cases c ON c.id = d.case_id \
            WHERE c.status IN ('assistance', 'monitoring', 'closed')") > 200, "cases in assistance were paid");
    }
}
