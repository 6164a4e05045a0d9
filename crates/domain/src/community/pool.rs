//! Shared asset pools such as the Samgori service centre's: tools lent or rented for a
//! nominal fee per day. The rules of the counter: a tool out of service is not lent, no
//! unit is lent twice at once, a loan comes back on or after the day it went out, the fee
//! is the days out (at least one) times the tool's fee per day unless the operator waives
//! part of it, and what is not back by its due date is overdue. Utilisation is the share of
//! the tool's days (per unit) spent out on loan.

use crate::currency::CurrencyCode;
use crate::date::{Ymd, days_in_month};
use crate::form::Errors;
use crate::{FieldError, Money};

code_enum!(
    /// What a tool is for.
    ToolCategory {
        Electrical = "electrical" / "Electrical",
        Plumbing = "plumbing" / "Plumbing",
        Sewage = "sewage" / "Sewage and drainage",
        Appliances = "appliances" / "Household appliances",
        Construction = "construction" / "Construction and repair",
        Garden = "garden" / "Garden and common areas",
        Other = "other" / "Other",
    }
);

code_enum!(
    /// The state a tool is in.
    Condition {
        Good = "good" / "Good",
        Fair = "fair" / "Fair",
        Poor = "poor" / "Needs repair",
        Broken = "broken" / "Out of service",
        Lost = "lost" / "Lost",
    }
);

impl Condition {
    /// Whether a tool in this state may go out.
    pub fn lendable(self) -> bool {
        matches!(self, Condition::Good | Condition::Fair | Condition::Poor)
    }
}

/// The longest a loan may be agreed for: a pool lends, it does not give away.
pub const MAX_LOAN_DAYS: i64 = 90;

/// A line of the inventory as typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ToolDraft {
    pub name: String,
    pub category: ToolCategory,
    /// Identical units held.
    pub quantity: u32,
    pub condition: Condition,
    /// What one unit is worth, in the pool's currency.
    pub value: Money,
    /// The nominal fee per day out, in the pool's currency.
    pub fee_per_day: Money,
    pub notes: String,
}

impl ToolDraft {
    #[allow(clippy::too_many_arguments)]
    pub fn parse(
        name: &str,
        category: &str,
        quantity: &str,
        condition: &str,
        value: &str,
        fee_per_day: &str,
        notes: &str,
        currency: CurrencyCode,
    ) -> Result<ToolDraft, Vec<FieldError>> {
        let mut e = Errors::default();
        let name = e.text("name", name, 2, 120);
        let category = e.keep("category", category.parse::<ToolCategory>());
        let quantity = e.keep(
            "quantity",
            match quantity.trim().parse::<u32>() {
                Ok(q) if (1..=1000).contains(&q) => Ok(q),
                _ => Err(format!(
                    "{:?} is not a number of units from 1 to 1000",
                    quantity.trim()
                )),
            },
        );
        let condition = e.keep("condition", condition.parse::<Condition>());
        let value = e.money("value", empty_zero(value), Some(currency));
        let fee_per_day = e.money("fee_per_day", empty_zero(fee_per_day), Some(currency));
        for (field, m) in [("value", value), ("fee_per_day", fee_per_day)] {
            if m.is_some_and(|m| m.minor < 0) {
                e.push(field, "may not be negative");
            }
        }
        let notes = e.text("notes", notes, 0, 1000);
        let v = (|| {
            Some(ToolDraft {
                name: name?,
                category: category?,
                quantity: quantity?,
                condition: condition?,
                value: value?,
                fee_per_day: fee_per_day?,
                notes: notes?,
            })
        })();
        e.done(v)
    }
}

fn empty_zero(s: &str) -> &str {
    if s.trim().is_empty() { "0" } else { s }
}

/// A loan to agree at the counter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoanDraft {
    pub borrower: String,
    pub phone: String,
    pub lent_on: Ymd,
    pub due_on: Ymd,
}

impl LoanDraft {
    /// The day lent may not be in the future; the due date is on or after it and within
    /// [`MAX_LOAN_DAYS`]. An empty day lent is today.
    pub fn parse(
        borrower: &str,
        phone: &str,
        lent_on: &str,
        due_on: &str,
        today: Ymd,
    ) -> Result<LoanDraft, Vec<FieldError>> {
        let mut e = Errors::default();
        let borrower = e.text("borrower", borrower, 2, 200);
        let phone = e.text("phone", phone, 0, 40);
        let lent_on = if lent_on.trim().is_empty() {
            Some(today)
        } else {
            e.date("lent_on", lent_on, today)
        };
        let due = e.keep("due_on", due_on.trim().parse::<Ymd>());
        if let (Some(l), Some(d)) = (lent_on, due) {
            let days = d.to_days() - l.to_days();
            if days < 0 {
                e.push("due_on", format!("{d} is before the day lent ({l})"));
            } else if days > MAX_LOAN_DAYS {
                e.push(
                    "due_on",
                    format!("{d} is more than {MAX_LOAN_DAYS} days after the day lent ({l})"),
                );
            }
        }
        let v = (|| {
            Some(LoanDraft {
                borrower: borrower?,
                phone: phone?,
                lent_on: lent_on?,
                due_on: due?,
            })
        })();
        e.done(v)
    }
}

/// A loan as the rules see it: when it went out and, once back, when it came back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    pub lent_on: Ymd,
    pub due_on: Ymd,
    pub returned_on: Option<Ymd>,
}

impl Span {
    /// Whether the unit is still out on `day` or after: an open loan, or one that came
    /// back later than `day`.
    fn holds_from(&self, day: Ymd) -> bool {
        self.returned_on.is_none_or(|r| r > day)
    }

    /// Days overdue on `today` (0 when back or not yet due).
    pub fn days_overdue(&self, today: Ymd) -> i64 {
        match self.returned_on {
            None if today > self.due_on => today.to_days() - self.due_on.to_days(),
            _ => 0,
        }
    }
}

/// Why a tool cannot go out.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LendError {
    #[error("{tool} is {condition} and cannot be lent; record it repaired first")]
    OutOfService { tool: String, condition: String },
    #[error("{tool} is already lent ({out} of {quantity} out); the first is due back on {due_on}")]
    AllOut {
        tool: String,
        out: usize,
        quantity: u32,
        due_on: Ymd,
    },
}

/// Whether one more unit of `tool` may go out on `lent_on`, given its loans: every unit
/// still out then (or lent later and still out) counts against its quantity.
pub fn may_lend(
    tool: &str,
    quantity: u32,
    condition: Condition,
    loans: &[Span],
    lent_on: Ymd,
) -> Result<(), LendError> {
    if !condition.lendable() {
        return Err(LendError::OutOfService {
            tool: tool.to_owned(),
            condition: condition.label().to_lowercase(),
        });
    }
    let out: Vec<&Span> = loans.iter().filter(|l| l.holds_from(lent_on)).collect();
    if out.len() >= quantity as usize {
        let due_on = out.iter().map(|l| l.due_on).min().unwrap_or(lent_on);
        return Err(LendError::AllOut {
            tool: tool.to_owned(),
            out: out.len(),
            quantity,
            due_on,
        });
    }
    Ok(())
}

/// A loan coming back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReturnDraft {
    pub returned_on: Ymd,
    pub condition: Condition,
    /// What was collected; the fee due when left empty.
    pub fee: Money,
    pub note: String,
}

/// The fee due for a loan: each day out (the day lent and the day back count as one when
/// they are the same) at the tool's fee per day.
pub fn fee_due(fee_per_day: Money, lent_on: Ymd, returned_on: Ymd) -> Money {
    let days = (returned_on.to_days() - lent_on.to_days()).max(1);
    Money::new(fee_per_day.minor.saturating_mul(days), fee_per_day.currency)
}

impl ReturnDraft {
    /// The day back is on or after the day lent and not in the future; the fee collected
    /// defaults to the fee due and may be less (waived), never negative.
    #[allow(clippy::too_many_arguments)]
    pub fn parse(
        returned_on: &str,
        condition: &str,
        fee: &str,
        note: &str,
        lent_on: Ymd,
        fee_per_day: Money,
        today: Ymd,
    ) -> Result<ReturnDraft, Vec<FieldError>> {
        let mut e = Errors::default();
        let returned_on = if returned_on.trim().is_empty() {
            Some(today)
        } else {
            e.date("returned_on", returned_on, today)
        };
        if let Some(r) = returned_on
            && r < lent_on
        {
            e.push(
                "returned_on",
                format!("{r} is before the day it was lent ({lent_on})"),
            );
        }
        let condition = e.keep("condition", condition.parse::<Condition>());
        let fee = match (fee.trim(), returned_on) {
            ("", Some(r)) => Some(fee_due(fee_per_day, lent_on, r)),
            ("", None) => None,
            (t, _) => e.money("fee", t, Some(fee_per_day.currency)),
        };
        if fee.is_some_and(|f| f.minor < 0) {
            e.push("fee", "may not be negative");
        }
        let note = e.text("note", note, 0, 1000);
        let v = (|| {
            Some(ReturnDraft {
                returned_on: returned_on?,
                condition: condition?,
                fee: fee?,
                note: note?,
            })
        })();
        e.done(v)
    }
}

/// The share (0 to 1) of a tool's unit-days in one month spent out on loan, counting an
/// open loan as out until `today`.
pub fn utilisation(loans: &[Span], quantity: u32, year: i32, month: u8, today: Ymd) -> f64 {
    let Some(first) = Ymd::new(year, month, 1) else {
        return 0.0;
    };
    let days = i64::from(days_in_month(year, month));
    let (start, end) = (first.to_days(), first.to_days() + days);
    let out: i64 = loans
        .iter()
        .map(|l| {
            let back = l.returned_on.map_or(today.to_days() + 1, |r| {
                r.to_days().max(l.lent_on.to_days() + 1)
            });
            (back.min(end) - l.lent_on.to_days().max(start)).max(0)
        })
        .sum();
    let capacity = days * i64::from(quantity.max(1));
    (out as f64 / capacity as f64).min(1.0)
}

#[cfg(test)]
mod tests;
