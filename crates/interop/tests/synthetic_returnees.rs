//! Synthetic returnees (`homeward demo --returnees N`) on SQLite and PostgreSQL: spread
//! over countries, stages and offices, searchable and filterable like registered ones.

use homeward_domain::access::ReadCases;
use homeward_domain::reintegration::stage::Stage;
use homeward_store::caseload::{CaseloadQuery, View};
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
        assert!(found.iter().any(|l| l.id == someone.id), "{typo:?} finds {}", someone.reference);
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
    }
}
