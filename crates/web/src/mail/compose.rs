//! Notification emails in words, in the reader's language: what happened on which case
//! (by its reference, never the returnee's name or anything from the case file), who did
//! it, and the link to open the case under the reader's own access.

use crate::i18n::{FluentArg, Tr};
use homeward_domain::reintegration::notifications::NotificationKind;
use homeward_store::cases::notifications::MailItem;

/// A message ready to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mail {
    pub subject: String,
    pub body: String,
}

fn arg(s: &str) -> FluentArg {
    FluentArg::Str(s.to_owned())
}

/// The facts of a notification in the reader's words: a referral's answer by its label,
/// never its code. Shared by the notifications page and the emails.
pub fn detail(tr: &Tr, kind: &str, detail: &str) -> String {
    match detail.rsplit_once(": ") {
        Some((partner, status)) if kind == "referral_answered" => {
            format!("{partner}: {}", tr.t(&format!("referral-{status}")))
        }
        _ => detail.to_owned(),
    }
}

/// One notification's line: what, on which case, its facts, by whom, when; and the link.
fn item_lines(tr: &Tr, i: &MailItem, public_url: &str) -> String {
    let kind = i.kind.parse::<NotificationKind>().ok();
    let mut line = format!("{} ({})", tr.t(&format!("notify-{}", i.kind)), i.reference);
    if !i.detail.is_empty() {
        line.push_str(" · ");
        line.push_str(&detail(tr, &i.kind, &i.detail));
    }
    if let Some(by) = &i.by {
        line.push(' ');
        line.push_str(&tr.ta("mail-by", &[("by", arg(by))]));
    }
    let at = i
        .created_at
        .get(..16)
        .unwrap_or(&i.created_at)
        .replace('T', " ");
    format!(
        "{line}, {at} UTC\n{} {public_url}/cases/{}#{}\n",
        tr.t("mail-open"),
        i.case_id,
        kind.map_or("timeline", |k| k.anchor())
    )
}

fn footer(tr: &Tr, public_url: &str) -> String {
    format!(
        "\n-- \n{}\n{public_url}/notifications#email\n",
        tr.t("mail-footer")
    )
}

/// The email of one notification sent at once.
pub fn at_once(tr: &Tr, i: &MailItem, public_url: &str) -> Mail {
    Mail {
        subject: tr.ta(
            "mail-subject",
            &[
                ("what", arg(&tr.t(&format!("notify-{}", i.kind)))),
                ("reference", arg(&i.reference)),
            ],
        ),
        body: format!(
            "{}\n\n{}{}",
            tr.ta("mail-greeting", &[("name", arg(&i.name))]),
            item_lines(tr, i, public_url),
            footer(tr, public_url)
        ),
    }
}

/// The day's digest of one person's notifications.
pub fn digest(tr: &Tr, items: &[MailItem], public_url: &str) -> Mail {
    let name = items.first().map_or("", |i| i.name.as_str());
    let lines: Vec<String> = items
        .iter()
        .map(|i| item_lines(tr, i, public_url))
        .collect();
    Mail {
        subject: tr.ta(
            "mail-digest-subject",
            &[(
                "count",
                FluentArg::Num(i64::try_from(items.len()).unwrap_or(i64::MAX)),
            )],
        ),
        body: format!(
            "{}\n\n{}\n\n{}{}",
            tr.ta("mail-greeting", &[("name", arg(name))]),
            tr.t("mail-digest-intro"),
            lines.join("\n"),
            footer(tr, public_url)
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(kind: &str, detail: &str) -> MailItem {
        MailItem {
            id: 1,
            user_id: 2,
            email: "e@example.org".into(),
            name: "Elira Hoxha".into(),
            case_id: 7,
            reference: "HW-2026-000007".into(),
            kind: kind.into(),
            detail: detail.into(),
            by: Some("Ingrid Berg".into()),
            created_at: "2026-12-04T09:15:00Z".into(),
        }
    }

    #[test]
    fn an_email_names_the_case_by_reference_and_links_to_where_to_act() {
        let tr = Tr::new("en");
        let m = at_once(&tr, &item("handover", "IOM Oslo"), "https://hw.example");
        assert_eq!(
            m.subject,
            "Homeward: Handed over to your office (HW-2026-000007)"
        );
        assert!(m.body.contains("Hello Elira Hoxha,"), "{}", m.body);
        assert!(m.body.contains("IOM Oslo by Ingrid Berg"), "{}", m.body);
        assert!(
            m.body.contains("https://hw.example/cases/7#offices"),
            "{}",
            m.body
        );
        assert!(m.body.contains("https://hw.example/notifications#email"));
    }

    #[test]
    fn a_digest_lists_every_notification() {
        let tr = Tr::new("fr");
        let m = digest(
            &tr,
            &[item("plan_submitted", ""), item("task_overdue", "Visit")],
            "http://h",
        );
        assert!(m.subject.contains('2'), "{}", m.subject);
        assert!(m.body.contains("Plan en attente de votre approbation"));
        assert!(m.body.contains("http://h/cases/7#tasks"));
    }

    #[test]
    fn a_referrals_answer_is_said_in_words() {
        let tr = Tr::new("en");
        let m = at_once(
            &tr,
            &item("referral_answered", "Tirana Support Centre: accepted"),
            "http://h",
        );
        assert!(
            m.body.contains("Tirana Support Centre: Accepted"),
            "{}",
            m.body
        );
        assert!(m.body.contains("http://h/cases/7#referrals"));
    }
}
