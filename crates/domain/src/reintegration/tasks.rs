//! Tasks generated from rules: a plan within 30 days of arrival, follow-ups 3, 6 and 12
//! months after it (configurable), and which are overdue.

use crate::date::{Ymd, days_in_month};

code_enum!(
    /// The event a rule counts from.
    Anchor {
        Arrival = "arrival" / "Arrival",
        PlanApproved = "plan_approved" / "Plan approved",
    }
);

/// How far after the anchor a task is due.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Offset {
    Days(u32),
    Months(u32),
}

/// One rule: a task named `key`, due `offset` after `anchor`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskRule {
    pub key: String,
    pub anchor: Anchor,
    pub offset: Offset,
}

/// The rules a new installation starts with.
pub fn default_rules() -> Vec<TaskRule> {
    let r = |key: &str, anchor, offset| TaskRule {
        key: key.into(),
        anchor,
        offset,
    };
    vec![
        r("plan", Anchor::Arrival, Offset::Days(30)),
        r("follow_up_3m", Anchor::Arrival, Offset::Months(3)),
        r("follow_up_6m", Anchor::Arrival, Offset::Months(6)),
        r("follow_up_12m", Anchor::Arrival, Offset::Months(12)),
    ]
}

/// `date` plus whole months, the day kept or moved back to the month's last day
/// (31 January + 1 month = 28 or 29 February).
pub fn add_months(date: Ymd, months: u32) -> Ymd {
    let total = date.year as i64 * 12 + (date.month as i64 - 1) + months as i64;
    let year = (total.div_euclid(12)) as i32;
    let month = (total.rem_euclid(12) + 1) as u8;
    let day = date.day.min(days_in_month(year, month));
    Ymd { year, month, day }
}

fn apply(date: Ymd, offset: Offset) -> Ymd {
    match offset {
        Offset::Days(d) => Ymd::from_days(date.to_days() + i64::from(d)),
        Offset::Months(m) => add_months(date, m),
    }
}

/// A task due on a date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Due {
    pub key: String,
    pub due: Ymd,
}

/// The tasks the rules give for a case, from the dates it has reached so far.
pub fn tasks_for(rules: &[TaskRule], arrived: Option<Ymd>, plan_approved: Option<Ymd>) -> Vec<Due> {
    let mut out: Vec<Due> = rules
        .iter()
        .filter_map(|r| {
            let from = match r.anchor {
                Anchor::Arrival => arrived?,
                Anchor::PlanApproved => plan_approved?,
            };
            Some(Due {
                key: r.key.clone(),
                due: apply(from, r.offset),
            })
        })
        .collect();
    out.sort_by(|a, b| a.due.cmp(&b.due).then(a.key.cmp(&b.key)));
    out
}

/// A task not done by its due date is overdue from the day after.
pub fn is_overdue(due: Ymd, done: bool, today: Ymd) -> bool {
    !done && today > due
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Ymd {
        s.parse().expect("date")
    }

    #[test]
    fn the_default_rules_after_an_arrival_in_february_2013() {
        let t = tasks_for(&default_rules(), Some(d("2013-02-15")), None);
        let got: Vec<(&str, String)> = t
            .iter()
            .map(|x| (x.key.as_str(), x.due.to_string()))
            .collect();
        assert_eq!(
            got,
            [
                ("plan", "2013-03-17".to_owned()),
                ("follow_up_3m", "2013-05-15".to_owned()),
                ("follow_up_6m", "2013-08-15".to_owned()),
                ("follow_up_12m", "2014-02-15".to_owned()),
            ]
        );
        assert!(
            tasks_for(&default_rules(), None, None).is_empty(),
            "nothing before arrival"
        );
    }

    #[test]
    fn months_end_where_the_month_ends_and_overdue_starts_the_next_day() {
        assert_eq!(add_months(d("2024-01-31"), 1), d("2024-02-29"));
        assert_eq!(add_months(d("2023-01-31"), 1), d("2023-02-28"));
        assert_eq!(add_months(d("2023-11-30"), 3), d("2024-02-29"));
        let rule = TaskRule {
            key: "visit".into(),
            anchor: Anchor::PlanApproved,
            offset: Offset::Days(7),
        };
        assert_eq!(
            tasks_for(&[rule], Some(d("2013-02-15")), Some(d("2013-03-01")))[0].due,
            d("2013-03-08")
        );
        assert!(!is_overdue(d("2013-03-08"), false, d("2013-03-08")));
        assert!(is_overdue(d("2013-03-08"), false, d("2013-03-09")));
        assert!(!is_overdue(d("2013-03-08"), true, d("2014-01-01")));
    }
}
