//! What community projects and capacity-building activities share: where they stand,
//! their outputs (e.g. "reintegration strategy adopted", with the day it was achieved), and
//! the money they spend, charged to the funding project in USD at the day's rate.

use crate::country::CountryCode;
use crate::currency::CurrencyCode;
use crate::date::Ymd;
use crate::form::Errors;
use crate::{FieldError, Money};

code_enum!(
    /// Where a community project or capacity-building activity stands.
    ActivityStatus {
        Planned = "planned" / "Planned",
        Active = "active" / "Under way",
        Completed = "completed" / "Completed",
        Suspended = "suspended" / "Suspended",
        Cancelled = "cancelled" / "Cancelled",
    }
);

code_enum!(
    /// The level of reintegration an activity works at, besides the individual one.
    Level {
        Community = "community" / "Community",
        Structural = "structural" / "Structural",
    }
);

/// Start and end as typed: a planned activity may lie in the future, but it cannot end
/// before it starts.
fn dates(e: &mut Errors, start: &str, end: &str) -> Option<(Option<Ymd>, Option<Ymd>)> {
    let one = |e: &mut Errors, field: &str, s: &str| match s.trim() {
        "" => Some(None),
        t => e.keep(field, t.parse::<Ymd>()).map(Some),
    };
    let start = one(e, "start_on", start);
    let end = one(e, "end_on", end);
    if let (Some(Some(s)), Some(Some(x))) = (start, end)
        && x < s
    {
        e.push("end_on", format!("{x} is before the start ({s})"));
        return None;
    }
    Some((start?, end?))
}

/// What the details of an activity of either level hold: the funding project, the office
/// that runs it (and whose staff may change it), the country, when, where it stands, and
/// what it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActivityBasics {
    pub project_id: i64,
    pub office_id: i64,
    pub country: CountryCode,
    pub start_on: Option<Ymd>,
    pub end_on: Option<Ymd>,
    pub status: ActivityStatus,
    pub description: String,
}

/// A chosen record's number, or what to choose.
fn id(e: &mut Errors, field: &str, s: &str, what: &str) -> Option<i64> {
    e.keep(
        field,
        match s.trim().parse::<i64>() {
            Ok(n) if n > 0 => Ok(n),
            _ => Err(format!("choose {what}")),
        },
    )
}

impl ActivityBasics {
    /// The fields every details form has (`project`, `office`, `country`, `start_on`,
    /// `end_on`, `status`, `description`), with their problems added to `e`.
    pub(crate) fn parse<'a>(e: &mut Errors, get: impl Fn(&str) -> &'a str) -> Option<Self> {
        let project_id = id(e, "project", get("project"), "the funding project");
        let office_id = id(e, "office", get("office"), "the office that runs it");
        let country = e.keep(
            "country",
            get("country")
                .trim()
                .parse::<CountryCode>()
                .map_err(|x| x.to_string()),
        );
        let when = dates(e, get("start_on"), get("end_on"));
        let status = e.keep("status", get("status").parse::<ActivityStatus>());
        let description = e.text("description", get("description"), 0, 4000);
        let (start_on, end_on) = when?;
        Some(ActivityBasics {
            project_id: project_id?,
            office_id: office_id?,
            country: country?,
            start_on,
            end_on,
            status: status?,
            description: description?,
        })
    }
}

/// Problems in the order the form shows its `fields`, whatever order they were found in.
pub(crate) fn in_form_order(mut errs: Vec<FieldError>, fields: &[&str]) -> Vec<FieldError> {
    errs.sort_by_key(|e| {
        fields
            .iter()
            .position(|f| *f == e.field)
            .unwrap_or(usize::MAX)
    });
    errs
}

/// The details form of an activity of either level (a community project, a
/// capacity-building activity), parsed.
pub trait ActivityDraft: Sized {
    /// The level the activity is at.
    const LEVEL: Level;

    /// Parses the form; `get` gives a field's text by name (empty when absent).
    fn parse<'a>(get: impl Fn(&str) -> &'a str) -> Result<Self, Vec<FieldError>>;

    /// What it shares with activities of the other level.
    fn basics(&self) -> &ActivityBasics;
}

/// One output as typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputDraft {
    pub text: String,
    /// When it was achieved; none while it is still to come.
    pub achieved_on: Option<Ymd>,
}

impl OutputDraft {
    pub fn parse(
        text: &str,
        achieved_on: &str,
        today: Ymd,
    ) -> Result<OutputDraft, Vec<FieldError>> {
        let mut e = Errors::default();
        let text = e.text("output", text, 3, 500);
        let achieved_on = match achieved_on.trim() {
            "" => Some(None),
            t => e.date("achieved_on", t, today).map(Some),
        };
        let v = (|| {
            Some(OutputDraft {
                text: text?,
                achieved_on: achieved_on?,
            })
        })();
        e.done(v)
    }
}

/// Money spent by an activity, as typed; the store converts it to USD at the day's rate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExpenseDraft {
    pub spent_on: Ymd,
    pub description: String,
    pub amount: Money,
}

impl ExpenseDraft {
    pub fn parse(
        spent_on: &str,
        description: &str,
        amount: &str,
        currency: &str,
        today: Ymd,
    ) -> Result<ExpenseDraft, Vec<FieldError>> {
        let mut e = Errors::default();
        let spent_on = e.date("spent_on", spent_on, today);
        let description = e.text("description", description, 3, 300);
        let currency: Option<CurrencyCode> = e.currency("currency", currency);
        let amount = e.money("amount", amount, currency);
        if amount.is_some_and(|m| m.minor <= 0) {
            e.push("amount", "must be above zero");
        }
        let v = (|| {
            Some(ExpenseDraft {
                spent_on: spent_on?,
                description: description?,
                amount: amount?,
            })
        })();
        e.done(v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Ymd {
        s.parse().expect("date")
    }

    #[test]
    fn outputs_and_expenses_name_what_is_wrong() {
        let today = d("2026-11-30");
        let o = OutputDraft::parse("Reintegration strategy adopted", "2019-06-30", today)
            .expect("output");
        assert_eq!(o.achieved_on, Some(d("2019-06-30")));
        assert_eq!(
            OutputDraft::parse("Centre opened", "", today)
                .expect("to come")
                .achieved_on,
            None
        );
        let errs = OutputDraft::parse("x", "2030-01-01", today).expect_err("bad");
        assert_eq!(
            errs.iter().map(|e| e.field.as_str()).collect::<Vec<_>>(),
            ["output", "achieved_on"]
        );
        let x = ExpenseDraft::parse(
            "2024-03-01",
            "Tools for the centre",
            "12500.50",
            "GEL",
            today,
        )
        .expect("expense");
        assert_eq!(
            (x.amount.minor, x.amount.currency.as_str()),
            (1_250_050, "GEL")
        );
        let errs = ExpenseDraft::parse("soon", "", "0", "XXX", today).expect_err("bad");
        assert_eq!(
            errs.iter().map(|e| e.field.as_str()).collect::<Vec<_>>(),
            ["spent_on", "description", "currency"]
        );
        let errs =
            ExpenseDraft::parse("2024-03-01", "Trainer", "-3", "WST", today).expect_err("bad");
        assert_eq!(errs[0].field, "amount");
    }

    #[test]
    fn an_activity_cannot_end_before_it_starts() {
        let mut e = Errors::default();
        assert_eq!(
            dates(&mut e, "2023-01-01", ""),
            Some((Some(d("2023-01-01")), None))
        );
        assert_eq!(dates(&mut e, "", ""), Some((None, None)));
        assert_eq!(
            dates(&mut e, "2030-01-01", "2031-01-01").map(|x| x.0),
            Some(Some(d("2030-01-01"))),
            "planned ahead"
        );
        assert_eq!(dates(&mut e, "2024-05-01", "2024-04-30"), None);
        assert_eq!(dates(&mut e, "May", ""), None);
        let errs = e.done(Some(())).expect_err("two problems");
        assert_eq!(
            errs.iter().map(|e| e.field.as_str()).collect::<Vec<_>>(),
            ["end_on", "start_on"]
        );
    }
}
