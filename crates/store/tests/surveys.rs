//! Well-being surveys on SQLite and PostgreSQL: consent first, one baseline, answers
//! checked against the version, scores stored per version, a new version adopted re-scores
//! every survey and keeps the old scores, answers shown only to who may see sensitive
//! fields, and everything within the reader's scope.

use homeward_domain::access::{Principal, Role};
use homeward_domain::account::{Email, OfficeDraft};
use homeward_domain::case::RegistrationForm;
use homeward_domain::date::Ymd;
use homeward_domain::reintegration::consent::Purpose;
use homeward_domain::survey::{Instrument, InstrumentFile, SurveyKind};
use homeward_store::access::users::NewUser;
use homeward_store::survey::surveys::NewSurvey;
use homeward_store::{Actor, Store, StoreError, both_backends};
use std::collections::BTreeMap;

fn instrument(version: u32, income_weight: f64) -> Instrument {
    let opts = |scores: &[(&str, Option<f64>)]| {
        scores
            .iter()
            .map(|(c, s)| serde_json::json!({"code": c, "label": {"en": c}, "score": s}))
            .collect::<Vec<_>>()
    };
    let ind = |code: &str, dim: &str, w: f64| {
        serde_json::json!({
            "code": code, "dimension": dim, "weight": w,
            "question": {"en": format!("{code}?")},
            "options": opts(&[("low", Some(0.0)), ("mid", Some(0.5)), ("high", Some(1.0)), ("skip", None)]),
        })
    };
    let file: InstrumentFile = serde_json::from_value(serde_json::json!({
        "code": "test-wellbeing", "version": version, "title": {"en": "Test"},
        "source": "tests", "thresholds": {"medium": 0.4, "high": 0.7},
        "dimensions": [
            {"code": "economic", "weight": 1.0},
            {"code": "social", "weight": 1.0},
            {"code": "psychosocial", "weight": 1.0}
        ],
        "indicators": [
            ind("income", "economic", income_weight),
            ind("debt", "economic", 1.0),
            ind("housing", "social", 1.0),
            ind("distress", "psychosocial", 1.0)
        ]
    }))
    .expect("instrument file");
    Instrument::parse(file).expect("valid instrument")
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

fn d(s: &str) -> Ymd {
    s.parse().expect("date")
}

fn answers(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

fn survey(kind: SurveyKind, on: &str, instrument_id: i64, a: &[(&str, &str)]) -> NewSurvey {
    NewSurvey {
        kind,
        taken_on: d(on),
        instrument_id,
        answers: answers(a),
        source: "form",
    }
}

fn conflict_on(r: Result<impl std::fmt::Debug, StoreError>, field: &str) -> String {
    match r {
        Err(StoreError::Conflict { field: f, message }) if f == field => message,
        other => panic!("expected a refusal of {field}, got {other:?}"),
    }
}

fn close(a: Option<f64>, b: f64) -> bool {
    a.is_some_and(|a| (a - b).abs() < 1e-9)
}

both_backends! {
    fn surveys_need_consent_and_are_scored_by_every_adopted_version(db) {
        let s = &db.store;
        let office = |n: &str, c: &str| {
            s.add_office_console(&OfficeDraft::parse(n, c, "iom_mission").expect("office"))
                .expect("add office")
        };
        let tirana = office("IOM Tirana", "AL");
        let tbilisi = office("IOM Tbilisi", "GE");
        let admin = principal(s, "admin@example.org", Role::Administrator, tirana);
        let cw = principal(s, "cw@example.org", Role::Caseworker, tirana);
        let other = principal(s, "cw@tbilisi.example.org", Role::Caseworker, tbilisi);
        let me = principal(s, "me@example.org", Role::MeOfficer, tirana);
        let (a, console) = (Actor::of(&cw, "10.0.0.9"), Actor::console());

        // The first instrument is adopted at once; a second call leaves it alone.
        let v1 = s.ensure_instrument(&instrument(1, 1.0)).expect("ok").expect("added");
        assert_eq!(s.ensure_instrument(&instrument(1, 1.0)).expect("ok"), None);
        assert_eq!(s.current_instrument().expect("ok").map(|c| c.0), Some(v1));

        let o = tirana.to_string();
        let reg = RegistrationForm {
            given_name: "Elira", family_name: "Demokrati", sex: "female",
            birth_date: "1994-09-01", nationality: "AL", origin_office: &o,
            ..Default::default()
        }
        .parse(homeward_store::today())
        .expect("valid");
        let write = cw.authorize().expect("write");
        let id = s.register_case(&write, &a, &reg).expect("registered");
        let full = [("income", "mid"), ("debt", "high"), ("housing", "high"), ("distress", "mid")];

        // No consent to surveys yet: refused, nothing written.
        let msg = conflict_on(s.add_survey(&write, &a, id, &survey(SurveyKind::Baseline, "2024-03-01", v1, &full)), "consent");
        assert!(msg.contains("follow-up surveys"), "{msg}");
        s.record_consent(&write, &a, id, Purpose::Surveys, None, d("2024-02-01")).expect("consent");
        // A consent given after the interview does not cover it.
        conflict_on(s.add_survey(&write, &a, id, &survey(SurveyKind::Baseline, "2024-01-15", v1, &full)), "consent");
        // Answers the version does not know are named.
        let msg = conflict_on(s.add_survey(&write, &a, id, &survey(SurveyKind::Baseline, "2024-03-01", v1, &[("income", "lots")])), "income");
        assert!(msg.contains("low, mid, high, skip"), "{msg}");
        conflict_on(s.add_survey(&write, &a, id, &survey(SurveyKind::Baseline, "2024-03-01", v1, &[("pets", "low")])), "pets");
        conflict_on(s.add_survey(&write, &a, id, &survey(SurveyKind::Baseline, "2024-03-01", v1, &[])), "answers");
        let read = cw.authorize().expect("read");
        assert!(s.case_surveys(&read, id).expect("surveys").expect("shown").is_empty());

        s.add_survey(&write, &a, id, &survey(SurveyKind::Baseline, "2024-03-01", v1, &full)).expect("baseline");
        let msg = conflict_on(s.add_survey(&write, &a, id, &survey(SurveyKind::Baseline, "2024-09-01", v1, &full)), "kind");
        assert!(msg.contains("follow-up"), "{msg}");
        s.add_survey(&write, &a, id, &survey(SurveyKind::FollowUp, "2025-03-01", v1,
            &[("income", "high"), ("debt", "skip"), ("housing", "high"), ("distress", "high")])).expect("follow-up");

        let rows = s.case_surveys(&read, id).expect("surveys").expect("shown");
        assert_eq!(rows.len(), 2);
        // Consent withdrawn: the surveys already taken stay, no new one is recorded.
        let given = s.case_file(&read, &a, id).expect("file").consents.iter()
            .find(|k| k.consent.purpose == Purpose::Surveys).map(|k| k.id).expect("the consent");
        s.withdraw_consent(&write, &a, id, given, d("2025-06-01")).expect("withdrawn");
        let msg = conflict_on(s.add_survey(&write, &a, id, &survey(SurveyKind::FollowUp, "2025-09-01", v1, &full)), "consent");
        assert!(msg.contains("withdrawn") || msg.contains("follow-up surveys"), "{msg}");
        assert_eq!(s.case_surveys(&read, id).expect("surveys").expect("shown").len(), 2);
        // Baseline: economic (0.5 + 1) / 2, social 1, psychosocial 0.5, composite 2.25 / 3.
        assert!(close(rows[0].scores.economic, 0.75), "{:?}", rows[0]);
        assert!(close(rows[0].scores.composite, 0.75));
        assert_eq!(rows[0].band.as_deref(), Some("high"));
        assert_eq!(rows[0].taken_with, "test-wellbeing v1");
        assert_eq!(rows[0].answers.len(), 4, "the raw answers are kept");
        // An unscored answer leaves the mean of the rest: economic is income alone.
        assert!(close(rows[1].scores.economic, 1.0));
        assert!(close(rows[1].scores.composite, 1.0));

        // The returnee's own record (right of access) holds the surveys and their answers.
        let record = s.returnee_record(&cw.authorize().expect("export"), &a, id).expect("record");
        let surveys = record["surveys"].as_array().expect("surveys");
        assert_eq!(surveys.len(), 2);
        assert_eq!(surveys[0]["answers"]["income"], "mid");
        assert_eq!(surveys[1]["kind"], "follow_up");
        // Another office's caseworker sees nothing of it.
        assert!(matches!(s.case_surveys(&other.authorize().expect("read"), id), Err(StoreError::NotFound(_))));
        assert!(s.add_survey(&other.authorize().expect("w"), &Actor::of(&other, ""), id,
            &survey(SurveyKind::FollowUp, "2025-03-02", v1, &full)).is_err());
        // M&E officers read no case at all.
        assert!(me.authorize::<homeward_domain::access::ReadCases>().is_err());

        // A changed instrument needs a new version number.
        let manage = admin.authorize().expect("instruments");
        let msg = conflict_on(s.add_instrument(&manage, &console, &instrument(1, 3.0)), "version");
        assert!(msg.contains("new version number"), "{msg}");
        // Version 2 weighs income three times: stored, not current until adopted.
        let v2 = s.add_instrument(&manage, &console, &instrument(2, 3.0)).expect("v2");
        assert_eq!(s.current_instrument().expect("ok").map(|c| c.0), Some(v1));
        assert_eq!(s.adopt_instrument(&manage, &console, v2).expect("adopted"), 2);
        assert_eq!(s.current_instrument().expect("ok").map(|c| c.0), Some(v2));
        let rows = s.case_surveys(&read, id).expect("surveys").expect("shown");
        // Baseline economic now (0.5 × 3 + 1) / 4; the answers are the same.
        assert!(close(rows[0].scores.economic, 0.625), "{:?}", rows[0]);
        assert_eq!(rows[0].taken_with, "test-wellbeing v1");
        let listed = s.instruments().expect("list");
        assert_eq!(listed.len(), 2);
        assert_eq!(listed.iter().find(|i| i.id == v1).map(|i| i.surveys), Some(2));
        assert!(listed.iter().all(|i| i.adopted_at.is_some()));
        // The old version's scores are kept for comparison.
        let (_, old) = s.instrument(v1).expect("ok").expect("v1");
        assert_eq!(old.version(), 1);
        assert!(listed.iter().all(|i| i.scored == 2), "{listed:?}");
        // Take the permission to see sensitive fields from caseworkers: no survey is shown.
        let roles = admin.authorize().expect("roles");
        let without = homeward_domain::access::Grants::default_for(Role::Caseworker).restricted_to(
            &homeward_domain::access::Permission::ALL
                .iter()
                .copied()
                .filter(|p| *p != homeward_domain::access::Permission::Sensitive)
                .collect::<Vec<_>>(),
        );
        s.set_role(&roles, &console, Role::Caseworker, &without, false).expect("set");
        let cw = s.console_principal(cw.user_id()).expect("ok").expect("principal");
        assert_eq!(s.case_surveys(&cw.authorize().expect("read"), id).expect("ok"), None);
    }
}
