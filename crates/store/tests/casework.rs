//! Case work on SQLite and PostgreSQL: stages, plans within the package cap and their
//! exceptions, assistance converted at the day's rate and never beyond what was approved,
//! consent enforced for referrals, tasks and overdue lists, misspelt-name search,
//! duplicates, concurrent edits and the returnee's own record.

use homeward_domain::access::{ApproveCases, ExportCases, Principal, ReadCases, Role, WriteCases};
use homeward_domain::account::{Email, OfficeDraft};
use homeward_domain::case::{DetailsForm, RegistrationForm};
use homeward_domain::date::Ymd;
use homeward_domain::reintegration::consent::Purpose;
use homeward_domain::reintegration::exchange::UsdRate;
use homeward_domain::reintegration::forms::{
    Closure, FollowUp, PackageForm, PaymentForm, PlanItemForm, ReferralStatus,
};
use homeward_domain::reintegration::stage::Stage;
use homeward_store::access::users::NewUser;
use homeward_store::cases::caseload::{CaseloadQuery, View};
use homeward_store::cases::handover::HandTo;
use homeward_store::catalogue::rates::RateEntry;
use homeward_store::{Actor, Store, StoreError, both_backends};

struct World {
    oslo_cw: Principal,
    tirana_cw: Principal,
    tirana_mgr: Principal,
    partner: Principal,
    tirana: i64,
    partner_office: i64,
    package: i64,
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

fn world(s: &Store) -> World {
    let office = |n: &str, c: &str, k: &str| {
        s.add_office_console(&OfficeDraft::parse(n, c, k).expect("office"))
            .expect("add office")
    };
    let oslo = office("IOM Oslo", "NO", "iom_mission");
    let tirana = office("IOM Tirana", "AL", "iom_mission");
    let partner_office = office("Tirana Support Centre", "AL", "partner");
    let admin = principal(s, "admin@example.org", Role::Administrator, oslo);
    let draft = PackageForm {
        name: "Vulnerable Groups (VG)",
        cap_usd: "7800",
        components: vec![
            "education",
            "vocational_training",
            "housing",
            "medical",
            "business_start_up",
        ],
        ..Default::default()
    }
    .parse()
    .expect("package");
    let package = s
        .save_package(
            &admin.authorize().expect("packages"),
            &Actor::console(),
            None,
            &draft,
        )
        .expect("saved");
    let rate = |cur: &str, on: &str, r: &str| RateEntry {
        currency: cur.parse().expect("currency"),
        on: d(on),
        rate: UsdRate::parse(cur.parse().expect("currency"), r).expect("rate"),
        source: "test".into(),
    };
    s.import_rates_console(&[
        rate("ALL", "2000-01-01", "0.01"),
        rate("EUR", "2000-01-01", "1.10"),
    ])
    .expect("rates");
    World {
        oslo_cw: principal(s, "cw.oslo@example.org", Role::Caseworker, oslo),
        tirana_cw: principal(s, "cw.tirana@example.org", Role::Caseworker, tirana),
        tirana_mgr: principal(s, "mgr.tirana@example.org", Role::OfficeManager, tirana),
        partner: principal(s, "partner@example.org", Role::Partner, partner_office),
        tirana,
        partner_office,
        package,
    }
}

fn act(p: &Principal) -> Actor {
    Actor::of(p, "10.0.0.9")
}

fn register(s: &Store, p: &Principal, given: &str, family: &str, origin: i64) -> i64 {
    let o = origin.to_string();
    let reg = RegistrationForm {
        given_name: given,
        family_name: family,
        sex: "male",
        birth_date: "1994-09-01",
        nationality: "AL",
        origin_office: &o,
        vulnerabilities: vec!["aged_out_minor"],
        details: DetailsForm {
            return_place: "Tropojë",
            ..Default::default()
        },
        ..Default::default()
    }
    .parse(homeward_store::today())
    .expect("valid");
    s.register_case(&p.authorize().expect("write"), &act(p), &reg)
        .expect("registered")
}

fn version(s: &Store, p: &Principal, id: i64) -> i64 {
    s.case_version(&p.authorize().expect("read"), id)
        .expect("version")
}

/// A case handed over to Tirana, assigned, arrived, with the package and an assessed
/// plan of the given items (USD), submitted.
fn submitted(s: &Store, w: &World, items: &[(&str, &str)]) -> i64 {
    let id = register(s, &w.oslo_cw, "Besnik", "Tregim", w.tirana);
    let host: homeward_domain::access::Authorized<WriteCases> = w.oslo_cw.authorize().expect("w");
    s.hand_over_case(
        &host,
        &act(&w.oslo_cw),
        id,
        version(s, &w.oslo_cw, id),
        HandTo::Origin,
        Some(homeward_domain::date::Ymd::from_days(
            homeward_store::today().to_days() + 7,
        )),
    )
    .expect("handover");
    s.assign_case(
        &w.tirana_mgr.authorize().expect("assign"),
        &act(&w.tirana_mgr),
        id,
        version(s, &w.tirana_mgr, id),
        w.tirana_cw.user_id(),
    )
    .expect("assigned");
    let cw: homeward_domain::access::Authorized<WriteCases> = w.tirana_cw.authorize().expect("w");
    let a = act(&w.tirana_cw);
    s.step_case(
        &cw,
        None,
        &a,
        id,
        version(s, &w.tirana_cw, id),
        Stage::Arrived,
        d("2026-01-10"),
    )
    .expect("arrived");
    s.set_case_package(
        &cw,
        &a,
        id,
        version(s, &w.tirana_cw, id),
        Some(w.package),
        None,
    )
    .expect("package");
    for (cat, cost) in items {
        let item = PlanItemForm {
            dimension: "economic",
            category: cat,
            description: "an item of the plan",
            cost,
            currency: "USD",
            ..Default::default()
        }
        .parse()
        .expect("item");
        s.add_plan_item(&cw, &a, id, version(s, &w.tirana_cw, id), &item)
            .expect("item added");
    }
    s.submit_plan(&cw, &a, id, version(s, &w.tirana_cw, id))
        .expect("submitted");
    id
}

fn conflict_on(r: Result<impl std::fmt::Debug, StoreError>, field: &str) -> String {
    match r {
        Err(StoreError::Conflict { field: f, message }) if f == field => message,
        other => panic!("expected a refusal of {field}, got {other:?}"),
    }
}

both_backends! {
    fn the_story_goes_from_oslo_to_closure_in_tirana_within_the_cap(db) {
        let s = &db.store;
        let w = world(s);
        let id = submitted(s, &w, &[("vocational_training", "1500"), ("business_start_up", "6000")]);
        let mgr: homeward_domain::access::Authorized<ApproveCases> = w.tirana_mgr.authorize().expect("approve");
        let ma = act(&w.tirana_mgr);
        s.decide_plan(&mgr, &ma, id, version(s, &w.tirana_mgr, id), true, false, "agreed with the family").expect("approved");
        let cw: homeward_domain::access::Authorized<WriteCases> = w.tirana_cw.authorize().expect("w");
        let a = act(&w.tirana_cw);
        let file = s.case_file(&w.tirana_cw.authorize().expect("r"), &a, id).expect("file");
        assert_eq!(file.case.stage(), Stage::PlanApproved);
        assert_eq!(file.totals.plan_usd.minor, 750_000);
        assert_eq!(file.totals.cap_usd.map(|c| c.minor), Some(780_000));
        let (course, cows) = (file.items[0].id, file.items[1].id);
        let pay = |item: i64, amount: &str, currency: &str, on: &str| PaymentForm {
            plan_item: &item.to_string(), kind: "in_kind", amount, currency, paid_on: on, ..Default::default()
        }.parse(homeward_store::today()).expect("payment");
        // 150,000 lek at 0.01 = 1,500.00 USD: the course, exactly.
        s.give_assistance(&cw, None, &a, id, &pay(course, "150000", "ALL", "2026-02-01")).expect("paid");
        // One more lek is beyond the approved item.
        let msg = conflict_on(s.give_assistance(&cw, None, &a, id, &pay(course, "1", "ALL", "2026-02-02")), "amount");
        assert!(msg.contains("approved"), "{msg}");
        s.give_assistance(&cw, None, &a, id, &pay(cows, "5400", "EUR", "2026-02-03")).expect("cows: 5,940 USD");
        let file = s.case_file(&w.tirana_cw.authorize().expect("r"), &a, id).expect("file");
        assert_eq!(file.case.stage(), Stage::AssistanceUnderWay, "the first payment starts the assistance");
        assert_eq!(file.totals.given_usd.minor, 744_000);
        assert!(file.totals.given_usd.minor <= 780_000);
        assert_eq!(file.payments[1].usd_rate, "1.1");
        // Follow-up, then closure by the manager only.
        s.step_case(&cw, None, &a, id, version(s, &w.tirana_cw, id), Stage::Monitoring, d("2026-03-01")).expect("monitoring");
        s.add_follow_up(&cw, &a, id, &FollowUp::parse("visit", "2026-04-12", "Cows healthy; milk sold at the market.", homeward_store::today()).expect("f")).expect("visit");
        let file = s.case_file(&w.tirana_cw.authorize().expect("r"), &a, id).expect("file");
        let three = file.tasks.iter().find(|t| t.rule_key.as_deref() == Some("follow_up_3m")).expect("3-month task");
        assert_eq!(three.due_on, "2026-04-10");
        assert!(three.done_on.is_some(), "the visit near its date does the 3-month follow-up");
        assert!(file.tasks.iter().any(|t| t.rule_key.as_deref() == Some("plan") && t.done_on.is_some()), "plan task done on submission");
        let closure = Closure::parse("support_ended", "2026-05-01", "", homeward_store::today()).expect("c");
        assert!(w.tirana_cw.authorize::<ApproveCases>().is_err(), "a caseworker cannot close");
        s.close_case(&mgr, &ma, id, version(s, &w.tirana_mgr, id), &closure).expect("closed");
        let file = s.case_file(&w.tirana_mgr.authorize().expect("r"), &ma, id).expect("file");
        assert_eq!(file.case.stage(), Stage::Closed);
        assert!(file.events.iter().any(|e| e.kind == "closed"));
        let kinds: Vec<&str> = file.events.iter().map(|e| e.kind.as_str()).collect();
        for k in ["registered", "handover", "assigned", "stage", "package", "plan_item_added", "plan_submitted", "plan_approved", "assistance", "visit", "closed"] {
            assert!(kinds.contains(&k), "timeline has {k}: {kinds:?}");
        }
        // Nothing more is given to a closed case.
        conflict_on(s.give_assistance(&cw, None, &a, id, &pay(cows, "1", "USD", "2026-05-02")), "case");
    }

    fn over_the_cap_needs_an_approved_exception_and_excess_needs_a_manager(db) {
        let s = &db.store;
        let w = world(s);
        let id = submitted(s, &w, &[("business_start_up", "8000")]);
        let mgr: homeward_domain::access::Authorized<ApproveCases> = w.tirana_mgr.authorize().expect("approve");
        let ma = act(&w.tirana_mgr);
        let msg = conflict_on(s.decide_plan(&mgr, &ma, id, version(s, &w.tirana_mgr, id), true, false, ""), "exception");
        assert!(msg.contains("7,800.00 USD"), "{msg}");
        conflict_on(s.decide_plan(&mgr, &ma, id, version(s, &w.tirana_mgr, id), false, false, ""), "comment");
        s.decide_plan(&mgr, &ma, id, version(s, &w.tirana_mgr, id), true, true, "exception: larger herd").expect("approved with exception");
        let file = s.case_file(&w.tirana_mgr.authorize().expect("r"), &ma, id).expect("file");
        assert!(file.case.plan_exception);
        assert_eq!(file.totals.cap_usd.map(|c| c.minor), Some(800_000), "the approved plan is the new ceiling");
        let item = file.items[0].id.to_string();
        let pay = |amount: &str, excess: bool| PaymentForm { plan_item: &item, kind: "cash", amount, currency: "USD", paid_on: "2026-02-01", approve_excess: excess, ..Default::default() }
            .parse(homeward_store::today()).expect("p");
        let cw: homeward_domain::access::Authorized<WriteCases> = w.tirana_cw.authorize().expect("w");
        s.give_assistance(&cw, None, &act(&w.tirana_cw), id, &pay("8000", false)).expect("within the approved plan");
        conflict_on(s.give_assistance(&cw, None, &act(&w.tirana_cw), id, &pay("10", true)), "approve_excess");
        let mgr_write: homeward_domain::access::Authorized<WriteCases> = w.tirana_mgr.authorize().expect("w");
        s.give_assistance(&mgr_write, Some(&mgr), &ma, id, &pay("10", true)).expect("a manager approves the excess");
    }

    fn everyone_who_must_act_is_told_and_nobody_else(db) {
        use homeward_domain::reintegration::notifications::{EmailChoice, EmailChoices, NotificationKind as K};
        let s = &db.store;
        let w = world(s);
        let kinds = |p: &Principal| -> Vec<String> {
            s.notifications(&p.authorize().expect("read")).expect("list").0.into_iter().map(|n| n.kind).collect()
        };
        let unread = |p: &Principal| s.unread_notifications(&p.authorize().expect("read")).expect("count");
        // The caseworker asks for email: assignments at once, overdue tasks daily.
        let choices = EmailChoices::new([(K::Assigned, EmailChoice::AtOnce), (K::TaskOverdue, EmailChoice::Daily)]);
        s.set_email_choices(&act(&w.tirana_cw), w.tirana_cw.user_id(), &choices).expect("chosen");
        assert_eq!(s.email_choices(w.tirana_cw.user_id()).expect("read back"), choices);
        // Handed over to Tirana (its manager told), assigned (the caseworker told), a plan
        // beyond the package submitted (the manager told an exception is asked).
        let id = submitted(s, &w, &[("business_start_up", "8000")]);
        assert_eq!(kinds(&w.tirana_mgr), ["exception_asked", "handover"]);
        assert_eq!(kinds(&w.tirana_cw), ["assigned"]);
        assert!(kinds(&w.oslo_cw).is_empty(), "who acted is not told");
        assert!(kinds(&w.partner).is_empty());
        assert_eq!(unread(&w.tirana_mgr), 2);
        let handover = &s.notifications(&w.tirana_mgr.authorize().expect("r")).expect("l").0[1];
        assert_eq!((handover.detail.as_str(), handover.by.as_deref()), ("IOM Oslo", Some("cw.oslo")));
        // The manager rejects: the caseworker who submitted is told.
        let mgr: homeward_domain::access::Authorized<ApproveCases> = w.tirana_mgr.authorize().expect("approve");
        s.decide_plan(&mgr, &act(&w.tirana_mgr), id, version(s, &w.tirana_mgr, id), false, false, "too much for one herd").expect("rejected");
        assert_eq!(kinds(&w.tirana_cw), ["plan_rejected", "assigned"]);
        // Opening the case marks what the reader was told about it as read.
        let page = s.case_page(&w.tirana_cw.authorize().expect("r"), None, &act(&w.tirana_cw), id).expect("page");
        assert_eq!(page.notifications_read, 2);
        assert_eq!(unread(&w.tirana_cw), 0);
        assert_eq!(unread(&w.tirana_mgr), 2, "another's stay unread");
        // A partner's answer to a referral reaches the caseworker.
        let cw: homeward_domain::access::Authorized<WriteCases> = w.tirana_cw.authorize().expect("w");
        let a = act(&w.tirana_cw);
        s.record_consent(&cw, &a, id, Purpose::SharePartner, Some(w.partner_office), homeward_store::today()).expect("consent");
        let rid = s.refer_case(&cw, &a, id, w.partner_office, "psychosocial counselling").expect("referred");
        s.respond_referral(&w.partner.authorize().expect("respond"), &act(&w.partner), rid, ReferralStatus::Accepted, "booked").expect("answered");
        let first = &s.notifications(&w.tirana_cw.authorize().expect("r")).expect("l").0[0];
        assert_eq!((first.kind.as_str(), first.detail.as_str()), ("referral_answered", "Tirana Support Centre: accepted"));
        // An overdue task is noticed once.
        s.add_task(&cw, &a, id, "Bring the school certificate", d("2020-02-03")).expect("task");
        assert!(s.notice_overdue_tasks(homeward_store::today()).expect("noticed") >= 1);
        assert_eq!(s.notice_overdue_tasks(homeward_store::today()).expect("again"), 0, "once per task");
        let overdue: Vec<String> = s.notifications(&w.tirana_cw.authorize().expect("r")).expect("l").0.into_iter()
            .filter(|n| n.kind == "task_overdue").map(|n| n.detail).collect();
        assert!(overdue.contains(&"Bring the school certificate (2020-02-03)".to_owned()), "{overdue:?}");
        // Email as chosen (the manager chose none, so theirs stay in the application); each
        // sent once; what could not be sent is tried again; a new choice applies to what waits.
        let now = s.claim_mail_now(50).expect("claim");
        assert_eq!(now.iter().map(|m| m.kind.as_str()).collect::<Vec<_>>(), ["assigned"]);
        assert_eq!(now[0].email, "cw.tirana@example.org");
        assert!(s.claim_mail_now(50).expect("claim").is_empty(), "claimed once");
        s.unclaim_mail(&[now[0].id]).expect("given back");
        assert_eq!(s.claim_mail_now(50).expect("claim").len(), 1, "what failed is tried again");
        s.unclaim_mail(&[now[0].id]).expect("given back");
        s.set_email_choices(&a, w.tirana_cw.user_id(), &EmailChoices::new([(K::TaskOverdue, EmailChoice::Daily)])).expect("changed");
        assert!(s.claim_mail_now(50).expect("claim").is_empty(), "no longer wanted at once");
        assert!(s.claim_mail_digest("2000-01-01T00:00:00Z", 50).expect("digest").is_empty(), "only what came before the cutoff");
        let digest = s.claim_mail_digest("2999-01-01T00:00:00Z", 50).expect("digest");
        assert!(!digest.is_empty() && digest.iter().all(|m| m.kind == "task_overdue"));
        // All read at once.
        assert!(s.mark_notifications_read(&w.tirana_mgr.authorize().expect("r"), &[]).expect("read") == 2);
        assert_eq!(unread(&w.tirana_mgr), 0);
    }

    fn documents_are_kept_typed_and_sensitive_ones_reach_only_who_may_read_them(db) {
        use homeward_domain::reintegration::documents::DocumentDraft;
        let s = &db.store;
        let w = world(s);
        let id = register(s, &w.tirana_cw, "Dritan", "Dokument", w.tirana);
        let cw: homeward_domain::access::Authorized<WriteCases> = w.tirana_cw.authorize().expect("w");
        let a = act(&w.tirana_cw);
        let pdf = b"%PDF-1.4\n% diploma\n%%EOF\n".to_vec();
        let diploma = s.add_document(&cw, &a, id, DocumentDraft::parse("certificate", false, "diploma.pdf", pdf.clone()).expect("d")).expect("kept");
        let scan = s.add_document(&cw, &a, id, DocumentDraft::parse("medical", false, "scan.pdf", pdf.clone()).expect("d")).expect("kept");
        // The caseworker sees both; the file comes back as it was, its download audited.
        let list = s.case_documents(&w.tirana_cw.authorize().expect("r"), &a, id).expect("list");
        assert_eq!(list.iter().map(|d| (d.kind.as_str(), d.sensitive)).collect::<Vec<_>>(), [("medical", true), ("certificate", false)]);
        let before = s.audit_len().expect("len");
        let (name, ty, bytes) = s.document(&w.tirana_cw.authorize().expect("r"), &a, diploma).expect("file");
        assert_eq!((name.as_str(), ty.as_str(), bytes), ("diploma.pdf", "application/pdf", pdf.clone()));
        assert_eq!(s.audit_len().expect("len"), before + 1, "the download is audited");
        assert!(matches!(s.case_document(&w.tirana_cw.authorize().expect("r"), &a, id + 1000, diploma), Err(StoreError::NotFound(_))), "only under its own case");
        // Without the sensitive permission the medical paper is neither listed nor sent.
        let admin = principal(s, "admin2@example.org", Role::Administrator, w.tirana);
        let all = homeward_domain::access::Permission::ALL.iter().copied().filter(|p| *p != homeward_domain::access::Permission::Sensitive).collect::<Vec<_>>();
        let g = homeward_domain::access::Grants::default_for(Role::Caseworker).restricted_to(&all);
        s.set_role(&admin.authorize().expect("roles"), &Actor::console(), Role::Caseworker, &g, false).expect("set");
        let blind = s.console_principal(w.tirana_cw.user_id()).expect("ok").expect("p");
        let list = s.case_documents(&blind.authorize().expect("r"), &act(&blind), id).expect("list");
        assert_eq!(list.iter().map(|d| d.id).collect::<Vec<_>>(), [diploma]);
        assert!(matches!(s.document(&blind.authorize().expect("r"), &act(&blind), scan), Err(StoreError::NotFound(_))));
        // They are in the returnee's own record, without their content.
        let file = s.case_file(&w.tirana_cw.authorize().expect("r"), &a, id).expect("file");
        assert_eq!(file.documents.len(), 2);
    }

    fn a_case_goes_to_an_office_of_the_organisation_in_the_country_of_return(db) {
        let s = &db.store;
        let w = world(s);
        let attempt = |origin: i64| {
            let o = origin.to_string();
            let reg = RegistrationForm {
                given_name: "Arta", family_name: "Kthimi", sex: "female", birth_date: "1990-01-01",
                nationality: "AL", origin_office: &o, ..Default::default()
            }.parse(homeward_store::today()).expect("valid");
            s.register_case(&w.oslo_cw.authorize().expect("write"), &act(&w.oslo_cw), &reg)
        };
        let oslo = w.oslo_cw.office_id();
        let msg = conflict_on(attempt(oslo), "origin_office");
        assert!(msg.contains("goes back to AL"), "{msg}");
        let msg = conflict_on(attempt(w.partner_office), "origin_office");
        assert!(msg.contains("not an office of the organisation"), "{msg}");
        assert!(attempt(w.tirana).is_ok());
    }

    fn cases_are_assigned_only_to_people_whose_role_works_on_cases(db) {
        let s = &db.store;
        let w = world(s);
        let me = principal(s, "me.tirana@example.org", Role::MeOfficer, w.tirana);
        let id = register(s, &w.tirana_cw, "Gent", "Ilustrim", w.tirana);
        let assign = w.tirana_mgr.authorize().expect("assign");
        let offered: Vec<i64> = s.office_users(&assign, w.tirana).expect("users").iter().map(|u| u.id).collect();
        assert!(offered.contains(&w.tirana_cw.user_id()) && !offered.contains(&me.user_id()));
        conflict_on(s.assign_case(&assign, &act(&w.tirana_mgr), id, version(s, &w.tirana_mgr, id), me.user_id()), "user");
    }

    fn a_second_edit_from_an_old_version_is_refused_with_what_changed(db) {
        let s = &db.store;
        let w = world(s);
        let id = register(s, &w.oslo_cw, "Arta", "Hoxha", w.tirana);
        let v = version(s, &w.oslo_cw, id);
        let host: homeward_domain::access::Authorized<WriteCases> = w.oslo_cw.authorize().expect("w");
        s.step_case(&host, None, &act(&w.oslo_cw), id, v, Stage::Counselled, d("2026-01-05")).expect("first save");
        let before = s.audit_len().expect("len");
        match s.step_case(&host, None, &act(&w.oslo_cw), id, v, Stage::Arrived, d("2026-01-06")) {
            Err(StoreError::Stale(msg)) => {
                assert!(msg.contains("counselled") && msg.contains("nothing was saved"), "{msg}");
            }
            other => panic!("expected a stale refusal, got {other:?}"),
        }
        assert_eq!(s.audit_len().expect("len"), before, "nothing written");
        let file = s.case_file(&w.oslo_cw.authorize().expect("r"), &act(&w.oslo_cw), id).expect("f");
        assert_eq!(file.case.stage(), Stage::Counselled);
    }

    fn referrals_need_consent_and_withdrawing_it_ends_the_partners_sight(db) {
        let s = &db.store;
        let w = world(s);
        let id = register(s, &w.tirana_cw, "Drita", "Provë", w.tirana);
        let cw: homeward_domain::access::Authorized<WriteCases> = w.tirana_cw.authorize().expect("w");
        let a = act(&w.tirana_cw);
        conflict_on(s.refer_case(&cw, &a, id, w.partner_office, "psychosocial counselling"), "consent");
        let consent = s.record_consent(&cw, &a, id, Purpose::SharePartner, Some(w.partner_office), homeward_store::today()).expect("consent");
        let rid = s.refer_case(&cw, &a, id, w.partner_office, "psychosocial counselling").expect("referred");
        let pread: homeward_domain::access::Authorized<ReadCases> = w.partner.authorize().expect("r");
        let pa = act(&w.partner);
        assert!(s.case_file(&pread, &pa, id).is_ok());
        let respond = w.partner.authorize().expect("respond");
        conflict_on(s.respond_referral(&respond, &pa, rid, ReferralStatus::Completed, ""), "status");
        s.respond_referral(&respond, &pa, rid, ReferralStatus::Accepted, "first session booked").expect("accepted");
        s.withdraw_consent(&cw, &a, id, consent, homeward_store::today()).expect("withdrawn");
        assert!(matches!(s.case_file(&pread, &pa, id), Err(StoreError::NotFound(_))), "the partner no longer sees it");
    }

    fn misspelt_names_and_case_numbers_find_the_case_within_scope_only(db) {
        let s = &db.store;
        let w = world(s);
        let id = register(s, &w.oslo_cw, "Elira", "Demokrati", w.tirana);
        register(s, &w.oslo_cw, "Arben", "Shembull", w.tirana);
        register(s, &w.tirana_cw, "Elira", "Demokrati", w.tirana);
        let read: homeward_domain::access::Authorized<ReadCases> = w.oslo_cw.authorize().expect("r");
        let a = act(&w.oslo_cw);
        for q in ["Elirra Demokratti", "elira dhemokrati", "ELÍRA", "Demokrazi"] {
            let found = s.caseload(&read, &a, &CaseloadQuery { view: View::All, q: Some(q.into()), limit: 10, ..Default::default() }).expect("search");
            assert_eq!(found.lines.first().map(|l| l.id), Some(id), "{q}");
            assert_eq!(found.lines.len(), 1, "{q}: Tirana's own Elira is outside Oslo's scope");
        }
        let by_ref = s.caseload(&read, &a, &CaseloadQuery { view: View::All, q: Some(format!("hw{id}")), limit: 10, ..Default::default() }).expect("ref");
        assert_eq!(by_ref.lines.len(), 1);
        let place = s.caseload(&read, &a, &CaseloadQuery { view: View::All, place: Some("tropoj".into()), stage: Some(Stage::Registered), limit: 10, ..Default::default() }).expect("place");
        assert_eq!(place.lines.len(), 2);
        let dups = s.likely_duplicates(&read, &a, "Ellira", "Demokrati", Some(d("1994-09-01")), None).expect("dups");
        assert_eq!(dups.first().map(|(l, _)| l.id), Some(id));
        assert!(s.likely_duplicates(&read, &a, "Gent", "Ilustrim", None, None).expect("none").is_empty());
    }

    fn the_returnee_record_holds_their_data_and_the_export_is_audited(db) {
        let s = &db.store;
        let w = world(s);
        let id = register(s, &w.oslo_cw, "Besnik", "Tregim", w.tirana);
        let exp: homeward_domain::access::Authorized<ExportCases> = w.oslo_cw.authorize().expect("export");
        let doc = s.returnee_record(&exp, &act(&w.oslo_cw), id).expect("record");
        assert_eq!(doc["person"]["given_name"], "Besnik");
        assert_eq!(doc["person"]["place_of_return"]["place"], "Tropojë");
        assert_eq!(doc["cases"].as_array().map(|c| c.len()), Some(1));
        let tirana_exp: homeward_domain::access::Authorized<ExportCases> = w.tirana_cw.authorize().expect("export");
        assert!(matches!(s.returnee_record(&tirana_exp, &act(&w.tirana_cw), id), Err(StoreError::NotFound(_))));
    }

    fn a_second_server_shows_renamed_offices_packages_caseworkers_and_changed_roles_at_once(db) {
        let s = &db.store;
        let w = world(s);
        // Two app servers on one database, each holding the small tables in memory.
        let other = Store::open(&db.url).expect("a second server");
        let id = register(s, &w.tirana_cw, "Elira", "Demokrati", w.tirana);
        let read: homeward_domain::access::Authorized<ReadCases> = w.tirana_cw.authorize().expect("r");
        let a = act(&w.tirana_cw);
        let all = CaseloadQuery { view: View::All, limit: 10, ..Default::default() };
        let load = |st: &Store| st.caseload(&read, &a, &all).expect("caseload");
        let line = |st: &Store| load(st).lines.into_iter().find(|l| l.id == id).expect("the case");
        assert_eq!(line(s).office, "IOM Tirana");
        assert_eq!(line(&other).office, "IOM Tirana");
        assert_eq!(load(&other).packages.iter().map(|(_, n)| n.as_str()).collect::<Vec<_>>(), ["Vulnerable Groups (VG)"]);
        // Changed through the first server, and behind both servers' backs.
        let admin = principal(s, "admin.lookups@example.org", Role::Administrator, w.tirana);
        let draft = OfficeDraft::parse("IOM Tirana Centre", "AL", "iom_mission").expect("office");
        s.update_office(&admin.authorize().expect("offices"), &Actor::console(), w.tirana, &draft).expect("renamed");
        db.execute("UPDATE packages SET name = 'Vulnerable Groups 2027'");
        db.execute(&format!("UPDATE cases SET assigned_user_id = {} WHERE id = {id}", w.tirana_cw.user_id()));
        db.execute(&format!("UPDATE users SET name = 'Drita Hoxha' WHERE id = {}", w.tirana_cw.user_id()));
        let seen = line(&other);
        assert_eq!((seen.office.as_str(), seen.assigned.as_deref()), ("IOM Tirana Centre", Some("Drita Hoxha")));
        assert_eq!(load(&other).packages.iter().map(|(_, n)| n.as_str()).collect::<Vec<_>>(), ["Vulnerable Groups 2027"]);
        // A role narrowed on one server holds on the other at its next request.
        let session = homeward_store::testing::session_for(s, w.tirana_cw.user_id());
        let principal_on = |st: &Store| st.session(&session.token).expect("session").expect("live").principal.expect("signed in");
        assert!(principal_on(&other).can(homeward_domain::access::Permission::CaseExport));
        let fewer = homeward_domain::access::Grants::default_for(Role::Caseworker).restricted_to(&[homeward_domain::access::Permission::CaseRead]);
        s.set_role(&admin.authorize().expect("roles"), &Actor::console(), Role::Caseworker, &fewer, true).expect("set");
        let narrowed = principal_on(&other);
        assert!(narrowed.can(homeward_domain::access::Permission::CaseRead));
        assert!(!narrowed.can(homeward_domain::access::Permission::CaseExport), "the export right is gone everywhere");
        assert!(other.session(&session.token).expect("session").expect("live").must_enrol, "one-time codes now required");
    }

    fn every_reader_at_the_same_moment_is_in_the_trail_once(db) {
        let s = &db.store;
        let w = world(s);
        let id = register(s, &w.tirana_cw, "Arben", "Shembull", w.tirana);
        let before = db.audited("action = 'view'");
        // Eight readers on two servers, each viewing the case twenty times at once: their
        // entries share transactions, and none is lost or written twice.
        let servers = [s.clone(), Store::open(&db.url).expect("a second server")];
        std::thread::scope(|scope| {
            for t in 0..8 {
                let st = servers[t % 2].clone();
                let p = w.tirana_cw.clone();
                scope.spawn(move || {
                    let read: homeward_domain::access::Authorized<ReadCases> = p.authorize().expect("r");
                    for _ in 0..20 {
                        st.case_file(&read, &act(&p), id).expect("viewed");
                    }
                });
            }
        });
        assert_eq!(db.audited("action = 'view'") - before, 160);
        assert!(s.audit_verify().expect("verify").is_ok(), "one unbroken chain");
    }

    fn each_line_shows_the_next_open_task_as_tasks_come_and_go(db) {
        let s = &db.store;
        let w = world(s);
        let id = register(s, &w.tirana_cw, "Drita", "Kujdes", w.tirana);
        let read: homeward_domain::access::Authorized<ReadCases> = w.tirana_cw.authorize().expect("r");
        let cw: homeward_domain::access::Authorized<WriteCases> = w.tirana_cw.authorize().expect("w");
        let a = act(&w.tirana_cw);
        let all = CaseloadQuery { view: View::All, limit: 10, ..Default::default() };
        let due = || s.caseload(&read, &a, &all).expect("caseload").lines.into_iter().find(|l| l.id == id).expect("line").next_due;
        // Whatever tasks registration made, the line shows the earliest open one.
        let earliest = || db.number(&format!("SELECT COUNT(*) AS n FROM tasks WHERE case_id = {id} AND done_on IS NULL"));
        db.execute(&format!("DELETE FROM tasks WHERE case_id = {id}"));
        assert_eq!((due(), earliest()), (None, 0));
        let later = s.add_task(&cw, &a, id, "Visit the workshop", d("2031-05-01")).expect("task");
        assert_eq!(due().as_deref(), Some("2031-05-01"));
        let sooner = s.add_task(&cw, &a, id, "Call about the course", d("2031-03-10")).expect("task");
        assert_eq!(due().as_deref(), Some("2031-03-10"));
        s.complete_task(&cw, &a, id, sooner).expect("done");
        assert_eq!(due().as_deref(), Some("2031-05-01"), "a done task is no longer next");
        db.execute(&format!("UPDATE tasks SET due_on = '2031-04-01' WHERE id = {later}"));
        assert_eq!(due().as_deref(), Some("2031-04-01"), "moved");
        s.complete_task(&cw, &a, id, later).expect("done");
        assert_eq!(due(), None, "nothing open");
    }

    fn small_numbers_are_withheld_from_who_cannot_read_the_cases(db) {
        let s = &db.store;
        let w = world(s);
        let me = principal(s, "me@example.org", Role::MeOfficer, w.tirana);
        let seen = || s.case_aggregates(&me.authorize().expect("aggregates")).expect("stats");
        let cell = |cells: &Option<Vec<homeward_store::cases::read::Cell>>, key: &str| {
            cells.as_ref().expect("broken down").iter().find(|c| c.key == key).expect("a row").n
        };
        // Three cases: too few to count or break down for someone who cannot read them.
        let mut ids: Vec<i64> = (0..3).map(|i| register(s, &w.tirana_cw, "Besa", &format!("Numri{i}"), w.tirana)).collect();
        let few = seen();
        assert_eq!((few.total, few.by_status, few.by_sex), (None, None, None));
        ids.extend((3..23).map(|i| register(s, &w.tirana_cw, "Besa", &format!("Numri{i}"), w.tirana)));
        let set = |ids: &[i64], stage: &str| {
            let list = ids.iter().map(i64::to_string).collect::<Vec<_>>().join(", ");
            db.execute(&format!("UPDATE cases SET status = '{stage}' WHERE id IN ({list})"));
        };
        set(&ids[..2], "closed");
        set(&ids[2..11], "arrived");
        // The office manager reads the cases: every number as it is.
        let cw = s.case_aggregates(&w.tirana_mgr.authorize().expect("aggregates")).expect("stats");
        assert_eq!((cw.total, cell(&cw.by_status, "closed"), cell(&cw.by_status, "arrived"), cell(&cw.by_status, "registered")), (Some(23), Some(2), Some(9), Some(12)));
        // The M&E officer does not: the 2 is withheld, and the 9 with it (else 23 - 12
        // would give it back); the 12 stands.
        let some = seen();
        assert_eq!(some.total, Some(23));
        assert_eq!((cell(&some.by_status, "closed"), cell(&some.by_status, "arrived"), cell(&some.by_status, "registered")), (None, None, Some(12)));
        assert_eq!(some.by_status.as_ref().map(|c| c.iter().map(|c| c.key.as_str()).collect::<Vec<_>>()), Some(vec!["arrived", "closed", "registered"]), "by name, not by size");
        assert_eq!(cell(&some.by_sex, "male"), Some(23));
    }

    fn withdrawn_consent_cancels_pending_referrals_and_tells_the_partner(db) {
        let s = &db.store;
        let w = world(s);
        let id = submitted(s, &w, &[("business_start_up", "500")]);
        let cw: homeward_domain::access::Authorized<WriteCases> = w.tirana_cw.authorize().expect("w");
        let a = act(&w.tirana_cw);
        let today = homeward_store::today();
        let consent = s.record_consent(&cw, &a, id, Purpose::SharePartner, Some(w.partner_office), today).expect("consent");
        let rid = s.refer_case(&cw, &a, id, w.partner_office, "psychosocial counselling").expect("referred");
        let done = s.refer_case(&cw, &a, id, w.partner_office, "legal advice").expect("referred");
        let respond = w.partner.authorize().expect("respond");
        let pa = act(&w.partner);
        s.respond_referral(&respond, &pa, done, ReferralStatus::Declined, "no lawyer free").expect("declined");
        let partner_read: homeward_domain::access::Authorized<ReadCases> = w.partner.authorize().expect("r");
        assert!(s.case(&partner_read, &pa, id).is_ok(), "the partner reads the referred case");

        s.withdraw_consent(&cw, &a, id, consent, today).expect("withdrawn");
        let file = s.case_file(&w.tirana_cw.authorize().expect("r"), &a, id).expect("file");
        let status = |rid: i64| file.referrals.iter().find(|r| r.id == rid).map(|r| r.status.clone()).expect("referral");
        assert_eq!(status(rid), "cancelled", "the pending referral is cancelled");
        assert_eq!(status(done), "declined", "a finished one stays as it was");
        assert!(file.events.iter().any(|e| e.kind == "referral_cancelled"));
        // The partner no longer reads the case, is told by reference without the name,
        // and can no longer answer.
        assert!(matches!(s.case(&partner_read, &pa, id), Err(StoreError::NotFound(_))));
        let (told, unread) = s.notifications(&partner_read).expect("notices");
        let n = told.iter().find(|n| n.kind == "referral_cancelled").expect("the partner is told");
        assert_eq!((n.about.given_name.as_str(), n.about.family_name.as_str(), n.detail.as_str()), ("", "", "psychosocial counselling"));
        assert!(n.about.reference.starts_with("HW-"));
        assert!(unread >= 1);
        assert!(s.respond_referral(&respond, &pa, rid, ReferralStatus::Accepted, "late").is_err());
        // A new referral needs consent again.
        conflict_on(s.refer_case(&cw, &a, id, w.partner_office, "housing"), "consent");
    }

    fn erasure_is_asked_decided_by_a_manager_and_leaves_no_name(db) {
        use homeward_domain::retention::Basis;
        let s = &db.store;
        let w = world(s);
        let id = submitted(s, &w, &[("business_start_up", "500")]);
        let cw: homeward_domain::access::Authorized<WriteCases> = w.tirana_cw.authorize().expect("w");
        let a = act(&w.tirana_cw);
        let mgr: homeward_domain::access::Authorized<ApproveCases> = w.tirana_mgr.authorize().expect("approve");
        let ma = act(&w.tirana_mgr);
        assert!(!db.found_in("Tregim").is_empty());
        let rq = s.request_erasure(&cw, &a, id, Basis::Objection, true).expect("asked");
        conflict_on(s.request_erasure(&cw, &a, id, Basis::Objection, false), "erasure");
        let told: Vec<String> = s.notifications(&w.tirana_mgr.authorize().expect("r")).expect("n").0.into_iter().map(|n| n.kind).collect();
        assert!(told.contains(&"erasure_asked".to_owned()), "{told:?}");
        // Refusing needs a reason; an open case is closed before its record goes.
        conflict_on(s.decide_erasure(&mgr, &ma, id, rq, false, ""), "note");
        let open = conflict_on(s.decide_erasure(&mgr, &ma, id, rq, true, ""), "erasure");
        assert!(open.contains("still open"), "{open}");
        let closure = Closure::parse("opted_out", &homeward_store::today().to_string(), "", homeward_store::today()).expect("closure");
        s.close_case(&mgr, &ma, id, version(s, &w.tirana_mgr, id), &closure).expect("closed");
        let erased = s.decide_erasure(&mgr, &ma, id, rq, true, "objection upheld").expect("erased");
        assert_eq!(erased.len(), 1);
        assert_eq!(db.found_in("Tregim"), Vec::<String>::new(), "the name is gone everywhere");
        assert_eq!(db.found_in("Besnik"), Vec::<String>::new());
        let requests = s.erasure_requests(&w.tirana_cw.authorize().expect("r"), id).expect("requests");
        assert_eq!((requests[0].status.as_str(), requests[0].record_given, requests[0].basis.as_str()), ("done", true, "objection"));
        assert!(s.audit_verify().expect("verify").is_ok());
        assert_eq!(db.audited(&format!("action = 'anonymise' AND record_id = '{id}' AND after LIKE '%erasure%'")), 1);
        // Nothing more is recorded on it; a second decision finds nothing waiting.
        conflict_on(s.request_erasure(&cw, &a, id, Basis::Objection, false), "case");
        assert!(s.decide_erasure(&mgr, &ma, id, rq, true, "").is_err());
    }

    fn who_saw_the_record_is_listed_for_who_may_read_it(db) {
        use homeward_domain::access::ReadAccessLog;
        let s = &db.store;
        let w = world(s);
        let id = submitted(s, &w, &[("business_start_up", "500")]);
        s.case(&w.tirana_cw.authorize().expect("r"), &act(&w.tirana_cw), id).expect("opened");
        let log = s.case_access_log(&w.tirana_mgr.authorize().expect("log"), id).expect("log");
        assert!(log.iter().any(|e| e.actor == "cw.tirana@example.org" && e.action == "view" && e.ip == "10.0.0.9"), "{log:?}");
        assert!(log.iter().any(|e| e.action == "handover" && e.actor == "cw.oslo@example.org"), "{log:?}");
        assert!(log.windows(2).all(|p| p[0].seq > p[1].seq), "newest first");
        assert!(w.tirana_cw.authorize::<ReadAccessLog>().is_err(), "caseworkers do not hold it");
        // Another office's case is not found through it.
        let other = register(s, &w.oslo_cw, "Norsk", "Saken", w.tirana);
        assert!(matches!(s.case_access_log(&w.tirana_mgr.authorize().expect("log"), other), Err(StoreError::NotFound(_))));
    }
}
