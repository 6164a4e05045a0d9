//! Accounts, sign-in, one-time codes, tokens, case scopes and the audit trail, on SQLite
//! and PostgreSQL, each test in a database of its own.

use homeward_domain::access::{
    ExportCases, Permission, Principal, ReadCases, Role, SeeAggregates, WriteCases,
};
use homeward_domain::account::{Email, OfficeDraft};
use homeward_domain::case::RegistrationForm;
use homeward_domain::credentials::totp;
use homeward_domain::reintegration::consent::Purpose;
use homeward_store::access::auth::SignIn;
use homeward_store::access::users::NewUser;
use homeward_store::both_backends;
use homeward_store::cases::handover::HandTo;
use homeward_store::{Actor, Store};

const PW: &str = "copper lantern orchard drift";

struct World {
    norway: i64,
    albania: i64,
    partner: i64,
}

fn world(s: &Store) -> World {
    let office = |n: &str, c: &str, k: &str| {
        s.add_office_console(&OfficeDraft::parse(n, c, k).expect("office"))
            .expect("add office")
    };
    World {
        norway: office("IOM Oslo", "NO", "iom_mission"),
        albania: office("IOM Tirana", "AL", "iom_mission"),
        partner: office("Tirana Support Centre", "AL", "partner"),
    }
}

fn user(s: &Store, email: &str, role: Role, office: i64) -> i64 {
    s.add_user_console(
        &NewUser {
            email: Email::parse(email).expect("email"),
            name: "Test User".into(),
            office_id: office,
            role,
        },
        PW,
    )
    .expect("add user")
}

fn signed_in(s: &Store, email: &str) -> Principal {
    match s.sign_in(email, PW, "10.0.0.1", "test").expect("sign in") {
        SignIn::Done(sess) => s
            .session(&sess.token)
            .expect("session")
            .and_then(|i| i.principal)
            .expect("a principal"),
        other => panic!("not signed in: {other:?}"),
    }
}

fn register(s: &Store, p: &Principal, given: &str, origin: i64) -> i64 {
    let form = RegistrationForm {
        given_name: given,
        family_name: "Hoxha",
        sex: "female",
        birth_date: "1994-03-02",
        nationality: "AL",
        origin_office: &origin.to_string(),
        vulnerabilities: vec!["trafficking"],
        health_notes: "needs follow-up",
        ..Default::default()
    };
    let reg = form.parse(homeward_store::today()).expect("valid");
    let auth = p.authorize::<WriteCases>().expect("may write");
    s.register_case(&auth, &Actor::of(p, "10.0.0.1"), &reg)
        .expect("registered")
}

both_backends! {
    fn new_databases_get_the_default_roles(db) {
        let roles = db.store.role_settings().expect("roles");
        assert_eq!(roles.len(), Role::ALL.len());
        let me = roles.iter().find(|r| r.role == Role::MeOfficer).expect("M&E");
        assert!(me.grants.has(Permission::Aggregates));
        assert!(!me.grants.has(Permission::CaseRead));
    }

    fn passwords_are_checked_and_failures_are_alike(db) {
        let s = &db.store;
        let w = world(s);
        user(s, "ana@example.org", Role::Caseworker, w.norway);
        let weak = s.add_user_console(
            &NewUser { email: Email::parse("b@example.org").expect("email"), name: "B".into(), office_id: w.norway, role: Role::Caseworker },
            "password1234",
        );
        assert!(weak.is_err(), "common password refused");
        assert!(matches!(s.sign_in("ana@example.org", "wrong password here", "10.0.0.1", "t").expect("ok"), SignIn::Refused));
        assert!(matches!(s.sign_in("nobody@example.org", PW, "10.0.0.1", "t").expect("ok"), SignIn::Refused));
        assert!(matches!(s.sign_in("ANA@example.org", PW, "10.0.0.1", "t").expect("ok"), SignIn::Done(_)));
    }

    fn failed_sign_ins_lock_the_account_from_that_address_only(db) {
        let s = &db.store;
        let w = world(s);
        user(s, "ana@example.org", Role::Caseworker, w.norway);
        let limit = homeward_store::access::throttle::ACCOUNT_LIMIT;
        for i in 0..limit {
            let r = s.sign_in("ana@example.org", "not the password", "10.0.1.1", "t").expect("ok");
            assert!(matches!(r, SignIn::Refused), "attempt {i}: {r:?}");
        }
        // Whoever guessed from there waits, even with the right password...
        assert!(matches!(s.sign_in("ana@example.org", PW, "10.0.1.1", "t").expect("ok"), SignIn::Throttled(m) if m >= 1));
        // ...while Ana signs in from her office, and her success there does not free them.
        assert!(matches!(s.sign_in("ana@example.org", PW, "10.9.9.9", "t").expect("ok"), SignIn::Done(_)));
        assert!(matches!(s.sign_in("ana@example.org", PW, "10.0.1.1", "t").expect("ok"), SignIn::Throttled(_)));
        // Unknown emails lock alike.
        for _ in 0..limit {
            s.sign_in("ghost@example.org", "x", "10.0.2.1", "t").expect("ok");
        }
        assert!(matches!(s.sign_in("ghost@example.org", "x", "10.0.2.1", "t").expect("ok"), SignIn::Throttled(_)));
        // The lock ends with its time.
        db.execute("UPDATE signin_failures SET locked_until = '2000-01-01T00:00:00Z'");
        assert!(matches!(s.sign_in("ana@example.org", PW, "10.0.1.1", "t").expect("ok"), SignIn::Done(_)));
    }

    fn guessing_spread_over_many_addresses_stays_bounded(db) {
        let s = &db.store;
        let w = world(s);
        user(s, "ana@example.org", Role::Caseworker, w.norway);
        let wide = homeward_store::access::throttle::ACCOUNT_WIDE_LIMIT;
        // Fewer than five guesses from each of many addresses.
        for i in 0..wide {
            let r = s.sign_in("ana@example.org", "guess", &format!("10.1.{}.{}", i / 4, i % 4), "t").expect("ok");
            assert!(matches!(r, SignIn::Refused), "guess {i}: {r:?}");
        }
        assert!(matches!(s.sign_in("ana@example.org", PW, "10.200.0.1", "t").expect("ok"), SignIn::Throttled(_)), "the account itself waits now");
    }

    fn failed_sign_ins_are_throttled_per_address(db) {
        let s = &db.store;
        let w = world(s);
        user(s, "ana@example.org", Role::Caseworker, w.norway);
        for i in 0..homeward_store::access::throttle::ADDRESS_LIMIT {
            s.sign_in(&format!("guess{i}@example.org"), "x", "10.6.6.6", "t").expect("ok");
        }
        assert!(matches!(s.sign_in("ana@example.org", PW, "10.6.6.6", "t").expect("ok"), SignIn::Throttled(_)));
        assert!(matches!(s.sign_in("ana@example.org", PW, "10.7.7.7", "t").expect("ok"), SignIn::Done(_)));
    }

    fn sessions_expire_and_end(db) {
        let s = &db.store;
        let w = world(s);
        let id = user(s, "ana@example.org", Role::Caseworker, w.norway);
        let SignIn::Done(a) = s.sign_in("ana@example.org", PW, "10.0.0.1", "t").expect("ok") else { panic!() };
        let SignIn::Done(b) = s.sign_in("ana@example.org", PW, "10.0.0.2", "t").expect("ok") else { panic!() };
        assert_ne!(a.token, b.token);
        assert_ne!(a.csrf, b.csrf);
        assert!(s.session(&a.token).expect("ok").is_some());
        db.execute("UPDATE sessions SET last_seen_at = '2000-01-01T00:00:00Z'");
        assert!(s.session(&a.token).expect("ok").is_none(), "idle too long");
        let SignIn::Done(c) = s.sign_in("ana@example.org", PW, "10.0.0.1", "t").expect("ok") else { panic!() };
        db.execute("UPDATE sessions SET expires_at = '2000-01-01T00:00:00Z'");
        assert!(s.session(&c.token).expect("ok").is_none(), "past its absolute end");
        let SignIn::Done(d) = s.sign_in("ana@example.org", PW, "10.0.0.1", "t").expect("ok") else { panic!() };
        let SignIn::Done(e) = s.sign_in("ana@example.org", PW, "10.0.0.3", "t").expect("ok") else { panic!() };
        s.sign_out_everywhere(&Actor::console(), id).expect("ok");
        assert!(s.session(&d.token).expect("ok").is_none());
        assert!(s.session(&e.token).expect("ok").is_none());
        assert!(s.session("made-up").expect("ok").is_none());
    }

    fn one_time_codes_and_recovery_codes(db) {
        let s = &db.store;
        let w = world(s);
        let id = user(s, "ana@example.org", Role::Caseworker, w.norway);
        let secret = s.totp_begin(id).expect("begin");
        assert!(s.totp_confirm(&Actor::console(), id, "000000").is_err() || totp::code_at(&secret, homeward_store::unix_now()).as_deref() == Some("000000"));
        let now = homeward_store::unix_now();
        // A code from the previous step (still valid) so the sign-in below uses a newer one.
        let code = totp::code_at(&secret, now - 30).expect("code");
        let recovery = s.totp_confirm(&Actor::console(), id, &code).expect("confirm");
        assert_eq!(recovery.len(), 10);
        let SignIn::NeedsCode(pending) = s.sign_in("ana@example.org", PW, "10.0.0.1", "t").expect("ok") else { panic!("code needed") };
        let info = s.session(&pending.token).expect("ok").expect("pending session");
        assert!(info.principal.is_none(), "a pending session reaches nothing");
        assert!(matches!(s.second_factor(&pending.token, &code, "10.0.0.1", "t").expect("ok"), SignIn::Refused), "a used code is not accepted again");
        let now_code = totp::code_at(&secret, now).expect("code");
        let SignIn::Done(full) = s.second_factor(&pending.token, &now_code, "10.0.0.1", "t").expect("ok") else { panic!("signed in") };
        assert_ne!(full.token, pending.token, "a new session after the second factor");
        assert!(s.session(&pending.token).expect("ok").is_none(), "the pending one is gone");
        // A recovery code works once.
        let SignIn::NeedsCode(p2) = s.sign_in("ana@example.org", PW, "10.0.0.1", "t").expect("ok") else { panic!() };
        assert!(matches!(s.second_factor(&p2.token, &recovery[0].to_lowercase(), "10.0.0.1", "t").expect("ok"), SignIn::Done(_)));
        let SignIn::NeedsCode(p3) = s.sign_in("ana@example.org", PW, "10.0.0.1", "t").expect("ok") else { panic!() };
        assert!(matches!(s.second_factor(&p3.token, &recovery[0], "10.0.0.1", "t").expect("ok"), SignIn::Refused));
        assert_eq!(s.recovery_codes_left(id).expect("ok"), 9);
    }

    fn a_role_can_require_one_time_codes(db) {
        let s = &db.store;
        let w = world(s);
        user(s, "admin@example.org", Role::Administrator, w.norway);
        user(s, "ana@example.org", Role::Caseworker, w.norway);
        let admin = signed_in(s, "admin@example.org");
        let auth = admin.authorize::<homeward_domain::access::ManageRoles>().expect("admin");
        let grants = homeward_domain::access::Grants::default_for(Role::Caseworker);
        s.set_role(&auth, &Actor::of(&admin, "10.0.0.1"), Role::Caseworker, &grants, true).expect("set");
        let SignIn::Done(sess) = s.sign_in("ana@example.org", PW, "10.0.0.1", "t").expect("ok") else { panic!() };
        assert!(s.session(&sess.token).expect("ok").expect("live").must_enrol);
    }

    fn tokens_hold_a_subset_and_can_be_revoked(db) {
        let s = &db.store;
        let w = world(s);
        user(s, "ana@example.org", Role::Caseworker, w.norway);
        let ana = signed_in(s, "ana@example.org");
        let actor = Actor::of(&ana, "10.0.0.1");
        assert!(s.create_token(&ana, &actor, "too much", &[Permission::UsersManage], 30).is_err());
        let (id, token) = s.create_token(&ana, &actor, "case feed", &[Permission::CaseRead], 30).expect("token");
        assert!(token.starts_with("hw_"));
        let p = s.token_principal(&token).expect("ok").expect("live");
        assert!(p.can(Permission::CaseRead));
        assert!(!p.can(Permission::CaseWrite), "only what the token was given");
        assert!(!p.can(Permission::Sensitive));
        let stored = s.tokens_of(ana.user_id()).expect("ok");
        assert!(stored.iter().all(|t| !t.permissions.contains(&token)), "secret not stored");
        s.revoke_token(&actor, ana.user_id(), id).expect("revoke");
        assert!(s.token_principal(&token).expect("ok").is_none());
        let (_, t2) = s.create_token(&ana, &actor, "short", &[Permission::CaseRead], 1).expect("token");
        db.execute("UPDATE api_tokens SET expires_at = '2000-01-01T00:00:00Z'");
        assert!(s.token_principal(&t2).expect("ok").is_none(), "expired");
    }

    fn case_scopes_follow_offices_shares_and_referrals(db) {
        let s = &db.store;
        let w = world(s);
        user(s, "oslo@example.org", Role::Caseworker, w.norway);
        user(s, "tirana@example.org", Role::Caseworker, w.albania);
        user(s, "partner@example.org", Role::Partner, w.partner);
        user(s, "me@example.org", Role::MeOfficer, w.norway);
        let oslo = signed_in(s, "oslo@example.org");
        let tirana = signed_in(s, "tirana@example.org");
        let partner = signed_in(s, "partner@example.org");
        let norwegian = register(s, &oslo, "Arta", w.albania);
        let albanian = register(s, &tirana, "Besa", w.albania);
        let oslo_read = oslo.authorize::<ReadCases>().expect("read");
        let oa = Actor::of(&oslo, "10.0.0.1");
        assert!(s.case(&oslo_read, &oa, norwegian).is_ok());
        assert!(s.case(&oslo_read, &oa, albanian).is_err(), "Albania's case is not Norway's");
        let listed: Vec<i64> = s.cases(&oslo_read, &oa, 100).expect("list").iter().map(|c| c.id).collect();
        assert_eq!(listed, [norwegian]);
        // Handing over: Albania owns it, Norway keeps sight of it.
        s.hand_over_case(&oslo.authorize::<WriteCases>().expect("w"), &oa, norwegian, 1, HandTo::Origin, Some(homeward_domain::date::Ymd::from_days(homeward_store::today().to_days() + 7))).expect("handover");
        let seen = s.case(&oslo_read, &oa, norwegian).expect("still visible to the sender");
        assert_eq!(seen.owning_office_id, w.albania);
        assert!(s.hand_over_case(&oslo.authorize::<WriteCases>().expect("w"), &oa, norwegian, 2, HandTo::Host, None).is_err(), "Norway may no longer change it");
        let tirana_read = tirana.authorize::<ReadCases>().expect("read");
        let ta = Actor::of(&tirana, "10.0.0.2");
        assert!(s.case(&tirana_read, &ta, norwegian).is_ok());
        // A partner sees only what was referred to it, never sensitive fields.
        let partner_read = partner.authorize::<ReadCases>().expect("read");
        let pa = Actor::of(&partner, "10.0.0.3");
        assert!(s.cases(&partner_read, &pa, 100).expect("ok").is_empty());
        let tirana_write = tirana.authorize::<WriteCases>().expect("w");
        assert!(s.refer_case(&tirana_write, &ta, albanian, w.partner, "counselling").is_err(), "consent needed");
        assert!(s.share_case(&tirana_write, &ta, albanian, w.partner).is_err(), "a partner is reached by referral only");
        s.record_consent(&tirana_write, &ta, albanian, Purpose::SharePartner, Some(w.partner), homeward_store::today()).expect("consent");
        s.refer_case(&tirana_write, &ta, albanian, w.partner, "counselling").expect("referred");
        let referred = s.cases(&partner_read, &pa, 100).expect("ok");
        assert_eq!(referred.iter().map(|c| c.id).collect::<Vec<_>>(), [albanian]);
        assert!(referred[0].sensitive.is_none(), "partners see no sensitive field");
        let own = s.case(&tirana_read, &ta, albanian).expect("own");
        assert_eq!(own.sensitive.expect("caseworker sees it").health_notes, "needs follow-up");
        // Aggregates carry numbers only.
        let me = signed_in(s, "me@example.org");
        assert!(me.authorize::<ReadCases>().is_err());
        let agg = s.case_aggregates(&me.authorize::<SeeAggregates>().expect("agg")).expect("ok");
        // Two cases are too few to count or break down for someone who cannot read them.
        assert_eq!((agg.total, agg.by_nationality), (None, None));
        // Exports need a purpose and reach only the scope.
        let export = oslo.authorize::<ExportCases>().expect("export");
        assert!(s.export_cases(&export, &oa, "", &[]).is_err());
        assert!(s.export_cases(&export, &oa, "monthly report to donor", &[]).expect("ok").is_empty(), "own scope: nothing assigned to Oslo now");
    }

    fn every_change_view_and_sign_in_is_audited_and_verifies(db) {
        let s = &db.store;
        let w = world(s);
        user(s, "oslo@example.org", Role::Caseworker, w.norway);
        let oslo = signed_in(s, "oslo@example.org");
        let id = register(s, &oslo, "Arta", w.albania);
        s.case(&oslo.authorize::<ReadCases>().expect("r"), &Actor::of(&oslo, "10.0.0.9"), id).expect("view");
        let _ = s.sign_in("oslo@example.org", "bad password x", "10.0.0.8", "t");
        let n = s.audit_len().expect("len");
        let waiting = s.audit_unsealed().expect("count");
        assert!(waiting > 0, "written entries wait for the sealer");
        assert_eq!(s.audit_verify().expect("ok"), Ok((n - waiting) as u64), "the sealed part verifies");
        assert_eq!(s.seal_audit().expect("seal"), waiting as u64);
        assert_eq!(s.audit_unsealed().expect("count"), 0);
        assert_eq!(s.audit_len().expect("len"), n, "sealing loses nothing");
        assert_eq!(s.audit_verify().expect("ok"), Ok(n as u64), "sealed, every entry is in the chain");
        let admin_id = user(s, "admin@example.org", Role::Administrator, w.norway);
        let _ = admin_id;
        let admin = signed_in(s, "admin@example.org");
        let auth = admin.authorize::<homeward_domain::access::ReadAudit>().expect("audit");
        let all = s.audit_search(&auth, &homeward_store::audit::AuditQuery { limit: 100, ..Default::default() }).expect("ok");
        let actions: Vec<&str> = all.iter().map(|e| e.action.as_str()).collect();
        for a in ["create", "view", "sign_in", "sign_in_failed"] {
            assert!(actions.contains(&a), "{a} in {actions:?}");
        }
        let view = all.iter().find(|e| e.action == "view").expect("view");
        assert_eq!((view.actor.as_str(), view.ip.as_str(), view.record_id.as_str()), ("oslo@example.org", "10.0.0.9", id.to_string().as_str()));
        let created = all.iter().find(|e| e.action == "create" && e.record_type == "case").expect("create");
        assert!(created.after.contains("Arta") && !created.after.contains("follow-up"), "sensitive fields are digested: {}", created.after);
        let by_record = s.audit_search(&auth, &homeward_store::audit::AuditQuery { record_type: Some("case".into()), record_id: Some(id.to_string()), limit: 100, ..Default::default() }).expect("ok");
        assert!(by_record.iter().all(|e| e.record_id == id.to_string()) && by_record.len() >= 2);
    }

    fn writers_never_wait_for_the_trail_and_sealers_on_several_servers_chain_every_entry(db) {
        // Four request threads write while two servers' sealers (each its own pool on the
        // same database) seal: every entry ends in one gapless, verified chain.
        let writers: Vec<_> = (0..4)
            .map(|t| {
                let s = db.store.clone();
                std::thread::spawn(move || {
                    for i in 0..60 {
                        s.record(&Actor::console(), homeward_store::audit::Change::new(homeward_domain::audit::Action::View, "case", format!("{t}-{i}"))).expect("record");
                    }
                })
            })
            .collect();
        let done = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let sealers: Vec<_> = (0..2)
            .map(|_| {
                let other = homeward_store::Store::connect(&db.url).expect("a second server's pool");
                let done = done.clone();
                std::thread::spawn(move || {
                    let mut sealed = 0;
                    while !done.load(std::sync::atomic::Ordering::Relaxed) {
                        sealed += other.seal_audit().expect("seal");
                    }
                    sealed + other.seal_audit().expect("seal")
                })
            })
            .collect();
        for w in writers {
            w.join().expect("writer");
        }
        done.store(true, std::sync::atomic::Ordering::Relaxed);
        let sealed: u64 = sealers.into_iter().map(|s| s.join().expect("sealer")).sum();
        assert_eq!(sealed, 240, "each entry sealed once");
        assert_eq!(db.store.audit_unsealed().expect("count"), 0);
        assert_eq!(db.store.audit_verify().expect("ok"), Ok(240));
        assert_eq!(db.number("SELECT COUNT(DISTINCT record_id) AS n FROM audit_events"), 240, "none lost, none twice");
    }

    fn audit_verify_catches_tampering(db) {
        let s = &db.store;
        let w = world(s);
        user(s, "oslo@example.org", Role::Caseworker, w.norway);
        let oslo = signed_in(s, "oslo@example.org");
        register(s, &oslo, "Arta", w.albania);
        register(s, &oslo, "Besa", w.albania);
        s.seal_audit().expect("seal");
        let n = s.audit_len().expect("len");
        assert!(n >= 6);
        // Homeward's own connection cannot change the trail.
        let refused = db.try_execute("UPDATE audit_events SET actor = 'x' WHERE seq = 2");
        assert!(refused.is_err_and(|e| e.contains("append-only")), "the trigger refuses updates");
        assert!(db.try_execute("DELETE FROM audit_events WHERE seq = 2").is_err(), "and deletes");
        // Someone with the database's keys goes around the trigger.
        db.execute(match s.backend() {
            homeward_store::Backend::Sqlite => "DROP TRIGGER audit_events_no_update; DROP TRIGGER audit_events_no_delete;",
            homeward_store::Backend::Postgres => "ALTER TABLE audit_events DISABLE TRIGGER USER;",
        });
        db.execute("UPDATE audit_events SET actor = actor || 'x' WHERE seq = 3");
        let broken = s.audit_verify().expect("ok").expect_err("edited");
        assert_eq!(broken, homeward_domain::audit::ChainBreak::Edited { seq: 3 });
        assert!(broken.to_string().contains("entry 3"));
        db.execute("UPDATE audit_events SET actor = SUBSTR(actor, 1, LENGTH(actor) - 1) WHERE seq = 3");
        assert!(s.audit_verify().expect("ok").is_ok(), "restored");
        db.execute("DELETE FROM audit_events WHERE seq = 4");
        assert_eq!(s.audit_verify().expect("ok"), Err(homeward_domain::audit::ChainBreak::Missing { from: 4, to: 4 }));
        db.execute("DELETE FROM audit_events WHERE seq >= 4");
        assert_eq!(s.audit_verify().expect("ok"), Err(homeward_domain::audit::ChainBreak::Truncated { last: 3, head: n }));
    }
}

mod exchange_rates {
    use super::*;
    use homeward_domain::access::ManageReference;
    use homeward_domain::reintegration::exchange::UsdRate;
    use homeward_store::catalogue::rates::RateEntry;

    fn entry(cur: &str, on: &str, rate: &str) -> RateEntry {
        let currency = cur.parse().expect("currency");
        RateEntry {
            currency,
            on: on.parse().expect("date"),
            rate: UsdRate::parse(currency, rate).expect("rate"),
            source: "test".into(),
        }
    }

    both_backends! {
        fn the_rate_of_a_payment_is_the_latest_on_or_before_its_day(db) {
            let s = &db.store;
            let w = world(s);
            user(s, "admin@example.org", Role::Administrator, w.norway);
            let admin = signed_in(s, "admin@example.org");
            let auth = admin.authorize::<ManageReference>().expect("reference data");
            let actor = Actor::of(&admin, "10.0.0.1");
            let saved = s.import_rates(&auth, &actor, &[entry("ALL", "2013-02-01", "0.0094"), entry("ALL", "2013-03-01", "0.0095")]).expect("import");
            assert_eq!((saved.created, saved.updated), (2, 0));
            let d = |t: &str| t.parse().expect("date");
            assert_eq!(s.rate_on("ALL".parse().expect("c"), d("2013-02-20")).expect("ok").expect("rate").rate.to_decimal_string(), "0.0094");
            assert_eq!(s.rate_on("ALL".parse().expect("c"), d("2013-03-01")).expect("ok").expect("rate").rate.to_decimal_string(), "0.0095");
            assert!(s.rate_on("ALL".parse().expect("c"), d("2013-01-31")).expect("ok").is_none(), "no rate before the first");
            assert!(s.rate_on("GEL".parse().expect("c"), d("2013-02-20")).expect("ok").is_none());
            s.set_rate(&auth, &actor, &entry("ALL", "2013-02-01", "0.0093")).expect("correct");
            assert_eq!(s.rate_on("ALL".parse().expect("c"), d("2013-02-02")).expect("ok").expect("rate").rate.to_decimal_string(), "0.0093");
            assert_eq!(s.rates(10).expect("ok").len(), 2);
            let a = admin.authorize::<homeward_domain::access::ReadAudit>().expect("audit");
            let changes = s.audit_search(&a, &homeward_store::audit::AuditQuery { record_type: Some("exchange_rate".into()), limit: 10, ..Default::default() }).expect("ok");
            assert_eq!(changes.len(), 3);
            assert!(changes[0].before.contains("0.0094") && changes[0].after.contains("0.0093"));
            let cw = s.role_settings().expect("ok");
            assert!(!cw.iter().find(|r| r.role == Role::Caseworker).expect("cw").grants.has(Permission::ReferenceManage));
        }
    }
}
