//! Notification emails through a real SMTP server on loopback (`tests/mail/smtp_sink.py`,
//! aiosmtpd): what each person chose arrives once, at once or in the day's digest, with
//! the case's reference and link but nothing from the case file; what the server did not
//! take is sent on the next pass. Both databases.

use homeward_domain::access::{AssignCases, Principal, WriteCases};
use homeward_domain::reintegration::notifications::{EmailChoice, EmailChoices, NotificationKind};
use homeward_store::cases::handover::HandTo;
use homeward_store::testing::in_ci;
use homeward_store::{Actor, Store, both_backends};
use homeward_web::mail::sink::SmtpSink;
use homeward_web::mail::worker::send_due;
use homeward_web::mail::{MailSettings, Mailer};
use std::net::TcpListener;
use std::path::PathBuf;

/// The SMTP sink, or None (skip) when aiosmtpd is missing outside CI.
fn sink() -> Option<SmtpSink> {
    if !homeward_web::mail::sink::available() {
        assert!(!in_ci(), "python3 with aiosmtpd is required under CI=true");
        eprintln!("skipping: python3 -m pip install aiosmtpd");
        return None;
    }
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    Some(SmtpSink::start(&root).expect("the SMTP sink starts"))
}

fn mailer(port: u16) -> Mailer {
    Mailer::new(&MailSettings {
        smtp_url: format!("smtp://127.0.0.1:{port}"),
        from: "Homeward <homeward@homeward.example>".into(),
        public_url: Some("https://homeward.example".into()),
        digest_hour: 6,
    })
    .expect("mailer")
}

fn principal(s: &Store, email: &str) -> Principal {
    let id = s.user_by_email(email).expect("ok").expect("demo user").id;
    s.console_principal(id).expect("ok").expect("principal")
}

both_backends! {
    fn chosen_notifications_arrive_by_email_once_without_the_case_file(db) {
        let Some(sink) = sink() else { return };
        let s = db.store.clone();
        homeward_interop::demo::load_people(&s, "amber-basil-cedar-delta-42").expect("demo");
        let oslo = principal(&s, "caseworker.oslo@homeward.example");
        let manager = principal(&s, "office-manager.tirana@homeward.example");
        let worker = principal(&s, "caseworker.tirana@homeward.example");
        s.set_email_choices(&Actor::console(), manager.user_id(), &EmailChoices::new([(NotificationKind::Handover, EmailChoice::AtOnce)])).expect("chosen");
        s.set_email_choices(&Actor::console(), worker.user_id(), &EmailChoices::new([(NotificationKind::Assigned, EmailChoice::Daily)])).expect("chosen");
        // Arben's case, registered in Oslo, goes to Tirana and to its caseworker.
        let arben = 2;
        let file = s.case_file(&oslo.authorize().expect("r"), &Actor::of(&oslo, "10.0.0.1"), arben).expect("file");
        let (given, family, reference) = (file.case.given_name.clone(), file.case.family_name.clone(), file.case.reference.clone());
        let w: homeward_domain::access::Authorized<WriteCases> = oslo.authorize().expect("w");
        let v = s.case_version(&oslo.authorize().expect("r"), arben).expect("v");
        s.hand_over_case(&w, &Actor::of(&oslo, "10.0.0.1"), arben, v, HandTo::Origin, Some(homeward_domain::date::Ymd::from_days(homeward_store::today().to_days() + 7))).expect("handed over");
        let a: homeward_domain::access::Authorized<AssignCases> = manager.authorize().expect("assign");
        let v = s.case_version(&manager.authorize().expect("r"), arben).expect("v");
        s.assign_case(&a, &Actor::of(&manager, "10.0.0.2"), arben, v, worker.user_id()).expect("assigned");
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("rt");
        // A server that does not answer: nothing lost, tried again on the next pass.
        let dead = TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).expect("port").port();
        let pass = rt.block_on(send_due(&s, &mailer(dead), "2026-12-04T05:00:00Z")).expect("pass");
        assert_eq!((pass.sent, pass.failed), (0, 1), "{pass:?}");
        // Before the digest hour only the one chosen at once goes.
        let pass = rt.block_on(send_due(&s, &mailer(sink.port), "2026-12-04T05:00:00Z")).expect("pass");
        assert_eq!((pass.sent, pass.digests, pass.failed), (1, 0, 0), "{pass:?}");
        // After it, yesterday's and today's notifications before six go in the digest: the
        // assignment was noticed at the real time of this run, so reckon from far ahead.
        let pass = rt.block_on(send_due(&s, &mailer(sink.port), "2999-01-01T07:00:00Z")).expect("pass");
        assert_eq!((pass.sent, pass.digests), (0, 1), "{pass:?}");
        let again = rt.block_on(send_due(&s, &mailer(sink.port), "2999-01-01T07:00:00Z")).expect("pass");
        assert_eq!(again, Default::default(), "each is sent once");
        let got = sink.received();
        assert_eq!(got.len(), 2, "{got:?}");
        let to = |m: &serde_json::Value| m["to"][0].as_str().unwrap_or_default().to_owned();
        let handover = got.iter().find(|m| to(m) == "office-manager.tirana@homeward.example").expect("the manager's email");
        assert_eq!(handover["subject"], format!("Homeward: Handed over to your office ({reference})"));
        let body = handover["body"].as_str().unwrap_or_default();
        assert!(body.contains(&format!("https://homeward.example/cases/{arben}#offices")), "{body}");
        assert!(body.contains("IOM Oslo") || body.contains("Oslo"), "{body}");
        let digest = got.iter().find(|m| to(m) == "caseworker.tirana@homeward.example").expect("the caseworker's digest");
        assert_eq!(digest["subject"], "Homeward: one notification today");
        assert!(digest["body"].as_str().unwrap_or_default().contains("Assigned to you"), "{digest}");
        for m in &got {
            let text = format!("{} {}", m["subject"], m["body"]);
            assert!(!text.contains(&given) && !text.contains(&family), "no returnee's name by email: {text}");
        }
        // Someone who chose nothing receives nothing.
        assert!(got.iter().all(|m| to(m) != "caseworker.oslo@homeward.example"));
    }
}
