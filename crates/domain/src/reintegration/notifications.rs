//! Notifications: what happened on a case that someone else must act on or know, who is
//! told, and how each person chose to hear of it by email. In the application they are
//! always shown; email is off unless the person asks for it, at once or in a daily digest.
//! A notification carries no personal data of the returnee: the case's reference, what
//! happened and who did it; the reader opens the case (under their own access) for the rest.

use crate::date::Ymd;

code_enum!(
    /// What a notification tells.
    NotificationKind {
        Handover = "handover" / "A case was handed over to your office",
        Assigned = "assigned" / "A case was assigned to you",
        PlanSubmitted = "plan_submitted" / "A plan waits for your approval",
        ExceptionAsked = "exception_asked" / "A plan beyond its package asks for an exception",
        PlanApproved = "plan_approved" / "A plan was approved",
        PlanRejected = "plan_rejected" / "A plan was rejected",
        ReferralAnswered = "referral_answered" / "A partner answered a referral",
        TaskOverdue = "task_overdue" / "A task is overdue",
        ErasureAsked = "erasure_asked" / "A returnee asked for their record to be erased",
        ReferralCancelled = "referral_cancelled" / "A referral was cancelled: the returnee withdrew consent",
    }
);

code_enum!(
    /// How a person hears of a kind of notification by email.
    EmailChoice {
        Off = "off" / "No email",
        AtOnce = "now" / "At once",
        Daily = "daily" / "In a daily digest",
    }
);

impl NotificationKind {
    /// Where on the case page the reader acts on it.
    pub fn anchor(self) -> &'static str {
        match self {
            NotificationKind::Handover | NotificationKind::Assigned => "offices",
            NotificationKind::PlanSubmitted
            | NotificationKind::ExceptionAsked
            | NotificationKind::PlanApproved
            | NotificationKind::PlanRejected => "plan",
            NotificationKind::ReferralAnswered | NotificationKind::ReferralCancelled => "referrals",
            NotificationKind::ErasureAsked => "erasure",
            NotificationKind::TaskOverdue => "tasks",
        }
    }

    /// The kind of a plan submission: one beyond the package asks for an exception.
    pub fn of_submission(beyond_package: bool) -> Self {
        if beyond_package {
            NotificationKind::ExceptionAsked
        } else {
            NotificationKind::PlanSubmitted
        }
    }

    /// The kind of a plan decision.
    pub fn of_decision(approved: bool) -> Self {
        if approved {
            NotificationKind::PlanApproved
        } else {
            NotificationKind::PlanRejected
        }
    }
}

/// Who is told, by their user ids: never the person who did it.
pub fn recipients(candidates: impl IntoIterator<Item = i64>, actor: Option<i64>) -> Vec<i64> {
    let mut out: Vec<i64> = candidates
        .into_iter()
        .filter(|u| Some(*u) != actor)
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// A person's email choices, one per kind; a kind not chosen is off.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EmailChoices(Vec<(NotificationKind, EmailChoice)>);

impl EmailChoices {
    pub fn new(pairs: impl IntoIterator<Item = (NotificationKind, EmailChoice)>) -> Self {
        let mut v: Vec<_> = pairs.into_iter().collect();
        v.sort();
        v.dedup_by_key(|(k, _)| *k);
        EmailChoices(v)
    }

    /// How `kind` is emailed.
    pub fn of(&self, kind: NotificationKind) -> EmailChoice {
        self.0
            .iter()
            .find(|(k, _)| *k == kind)
            .map_or(EmailChoice::Off, |(_, c)| *c)
    }

    /// Every kind with its choice, in the order kinds are listed.
    pub fn all(&self) -> Vec<(NotificationKind, EmailChoice)> {
        NotificationKind::ALL
            .iter()
            .map(|k| (*k, self.of(*k)))
            .collect()
    }

    /// Reads the choices from a form: one field per kind, named by its code; a kind
    /// left out is off. An unknown value is refused naming its field.
    pub fn parse<'a>(get: impl Fn(&str) -> &'a str) -> Result<Self, Vec<crate::FieldError>> {
        let mut pairs = vec![];
        let mut errs = vec![];
        for k in NotificationKind::ALL {
            match get(k.code()).trim() {
                "" => pairs.push((*k, EmailChoice::Off)),
                v => match v.parse::<EmailChoice>() {
                    Ok(c) => pairs.push((*k, c)),
                    Err(e) => errs.push(crate::FieldError::new(k.code(), e)),
                },
            }
        }
        if errs.is_empty() {
            Ok(EmailChoices::new(pairs))
        } else {
            Err(errs)
        }
    }
}

/// The moment of the day's digest on or before `now` (both `YYYY-MM-DDTHH:MM:SSZ`), for a
/// digest sent at `hour` UTC: what was noticed before it goes in that day's digest.
pub fn digest_cutoff(now: &str, hour: u8) -> Option<String> {
    let day = now.get(..10)?;
    let time = now.get(11..19)?;
    let at = format!("{:02}:00:00", hour.min(23));
    if time >= at.as_str() {
        Some(format!("{day}T{at}Z"))
    } else {
        let d: Ymd = day.parse().ok()?;
        Some(format!("{}T{at}Z", Ymd::from_days(d.to_days() - 1)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_actor_is_never_told_and_no_one_twice() {
        assert_eq!(recipients([3, 1, 3, 2], Some(2)), vec![1, 3]);
        assert_eq!(recipients([5], None), vec![5]);
        assert!(recipients([7], Some(7)).is_empty());
    }

    #[test]
    fn choices_default_to_off_and_parse_by_kind() {
        let c = EmailChoices::parse(|f| match f {
            "assigned" => "now",
            "plan_submitted" => "daily",
            _ => "",
        })
        .unwrap();
        assert_eq!(c.of(NotificationKind::Assigned), EmailChoice::AtOnce);
        assert_eq!(c.of(NotificationKind::PlanSubmitted), EmailChoice::Daily);
        assert_eq!(c.of(NotificationKind::TaskOverdue), EmailChoice::Off);
        assert_eq!(c.all().len(), NotificationKind::ALL.len());
        let bad = EmailChoices::parse(|f| if f == "handover" { "weekly" } else { "" });
        let errs = bad.unwrap_err();
        assert_eq!(errs.len(), 1);
        assert_eq!(errs[0].field, "handover");
    }

    #[test]
    fn submissions_and_decisions_have_their_kind() {
        assert_eq!(
            NotificationKind::of_submission(true),
            NotificationKind::ExceptionAsked
        );
        assert_eq!(
            NotificationKind::of_submission(false),
            NotificationKind::PlanSubmitted
        );
        assert_eq!(
            NotificationKind::of_decision(false),
            NotificationKind::PlanRejected
        );
        assert_eq!(NotificationKind::TaskOverdue.anchor(), "tasks");
    }

    #[test]
    fn the_digest_takes_what_came_before_its_hour() {
        assert_eq!(
            digest_cutoff("2026-12-04T07:30:00Z", 6).as_deref(),
            Some("2026-12-04T06:00:00Z")
        );
        assert_eq!(
            digest_cutoff("2026-12-04T05:59:59Z", 6).as_deref(),
            Some("2026-12-03T06:00:00Z")
        );
        assert_eq!(
            digest_cutoff("2026-03-01T00:00:00Z", 6).as_deref(),
            Some("2026-02-28T06:00:00Z")
        );
        assert_eq!(digest_cutoff("garbage", 6), None);
    }
}
