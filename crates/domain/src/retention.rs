//! How long a closed case is kept before it is anonymised: a term in years after closure
//! set per office (five by default), shorter or longer for one case with a reason, and a
//! hold that keeps a case whatever its term while the hold stands (a claim, an appeal, an
//! investigation), and the grounds on which a returnee may have their record erased
//! sooner. Pure rules: the store reads the facts, these say what is due.

use crate::FieldError;
use crate::date::{Ymd, days_in_month};
use std::fmt;
use std::str::FromStr;

/// Years after closure an office keeps its closed cases unless told otherwise.
pub const DEFAULT_YEARS: u8 = 5;

/// A term in whole years after closure, 1 to 30: a data protection officer may shorten or
/// lengthen it, never to nothing (anonymising on closure would lose the follow-up year)
/// nor to forever.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Years(u8);

impl Years {
    pub const MIN: u8 = 1;
    pub const MAX: u8 = 30;

    pub fn new(n: i64) -> Result<Years, FieldError> {
        if (i64::from(Self::MIN)..=i64::from(Self::MAX)).contains(&n) {
            Ok(Years(n as u8))
        } else {
            Err(FieldError::new(
                "years",
                format!(
                    "must be a whole number of years from {} to {}",
                    Self::MIN,
                    Self::MAX
                ),
            ))
        }
    }

    pub fn get(&self) -> u8 {
        self.0
    }

    /// The last day a case closed on `closed` is kept: the day before the same date this
    /// many years later (29 February maps to 28 February).
    pub fn last_day_after(&self, closed: Ymd) -> Ymd {
        let year = closed.year + i32::from(self.0);
        let day = closed.day.min(days_in_month(year, closed.month));
        Ymd::from_days(
            Ymd {
                year,
                month: closed.month,
                day,
            }
            .to_days()
                - 1,
        )
    }
}

impl Default for Years {
    fn default() -> Self {
        Years(DEFAULT_YEARS)
    }
}

impl fmt::Display for Years {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl FromStr for Years {
    type Err = FieldError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let n = s
            .trim()
            .parse::<i64>()
            .map_err(|_| FieldError::new("years", "must be a whole number of years"))?;
        Years::new(n)
    }
}

/// Why a case is kept longer or shorter than its office's term, or held: never empty,
/// at most a line, so the schedule can show it beside the case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reason(String);

impl Reason {
    pub fn parse(field: &str, s: &str) -> Result<Reason, FieldError> {
        let s = s.trim();
        if s.chars().count() < 3 {
            return Err(FieldError::new(field, "say why, in a few words"));
        }
        if s.chars().count() > 300 {
            return Err(FieldError::new(field, "at most 300 characters"));
        }
        if s.chars().any(char::is_control) {
            return Err(FieldError::new(
                field,
                "one line, without control characters",
            ));
        }
        Ok(Reason(s.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// What the rules know about one case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Facts {
    /// None while the case is open: an open case is never due.
    pub closed_on: Option<Ymd>,
    pub office_years: Years,
    /// The case's own term, when it was set with a reason.
    pub case_years: Option<Years>,
    pub held: bool,
    pub anonymised: bool,
}

/// Where a case stands against its term on a given day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing {
    /// Still open: the term starts at closure.
    Open,
    /// Closed and kept until this day (inclusive).
    KeptUntil(Ymd),
    /// Past its term and not held: anonymised at the next run.
    Due {
        since: Ymd,
    },
    /// Past or before its term, kept while the hold stands.
    Held {
        term_ends: Option<Ymd>,
    },
    Anonymised,
}

impl Facts {
    /// The last day the case is kept, once it is closed.
    pub fn last_day(&self) -> Option<Ymd> {
        let years = self.case_years.unwrap_or(self.office_years);
        self.closed_on.map(|c| years.last_day_after(c))
    }

    pub fn standing(&self, today: Ymd) -> Standing {
        if self.anonymised {
            return Standing::Anonymised;
        }
        let last = self.last_day();
        if self.held {
            return Standing::Held { term_ends: last };
        }
        match last {
            None => Standing::Open,
            Some(l) if today > l => Standing::Due {
                since: Ymd::from_days(l.to_days() + 1),
            },
            Some(l) => Standing::KeptUntil(l),
        }
    }
}

code_enum!(
    /// Why a returnee's data must be erased on their request, as a data protection
    /// officer records it (the grounds of GDPR article 17, which IOM's principles follow).
    Basis {
        ConsentWithdrawn = "consent_withdrawn" / "The returnee withdrew the consent it was kept on",
        NoLongerNeeded = "no_longer_needed" / "No longer needed for the purpose it was collected for",
        Objection = "objection" / "The returnee objects and no overriding reason remains",
        Unlawful = "unlawful" / "It was processed unlawfully",
        LegalObligation = "legal_obligation" / "A law requires its erasure",
    }
);

/// What an audit entry's before or after holds once its contents were removed: the
/// SHA-256 of what it said, so the hash chain still verifies ([`crate::audit`]). Not
/// JSON, so no entry Homeward writes can look like one.
pub const REDACTED_PREFIX: &str = "redacted sha256:";

#[cfg(test)]
mod tests {
    use super::*;

    fn ymd(s: &str) -> Ymd {
        s.parse().unwrap()
    }

    fn facts(closed: Option<&str>) -> Facts {
        Facts {
            closed_on: closed.map(ymd),
            office_years: Years::default(),
            case_years: None,
            held: false,
            anonymised: false,
        }
    }

    #[test]
    fn a_closed_case_is_kept_five_years_then_due() {
        let f = facts(Some("2020-03-15"));
        assert_eq!(
            f.standing(ymd("2025-03-14")),
            Standing::KeptUntil(ymd("2025-03-14"))
        );
        assert_eq!(
            f.standing(ymd("2025-03-15")),
            Standing::Due {
                since: ymd("2025-03-15")
            }
        );
    }

    #[test]
    fn an_open_case_is_never_due_and_a_hold_keeps_any_case() {
        assert_eq!(facts(None).standing(ymd("2090-01-01")), Standing::Open);
        let mut f = facts(Some("2010-01-01"));
        f.held = true;
        assert_eq!(
            f.standing(ymd("2026-01-01")),
            Standing::Held {
                term_ends: Some(ymd("2014-12-31"))
            }
        );
    }

    #[test]
    fn the_case_term_wins_over_the_office_term() {
        let mut f = facts(Some("2020-02-29"));
        f.office_years = Years::new(10).unwrap();
        assert_eq!(f.last_day(), Some(ymd("2030-02-27")));
        f.case_years = Some(Years::new(1).unwrap());
        assert_eq!(f.last_day(), Some(ymd("2021-02-27")));
    }

    #[test]
    fn terms_and_reasons_are_checked() {
        assert!(Years::new(0).is_err());
        assert!(Years::new(31).is_err());
        assert!("abc".parse::<Years>().is_err());
        assert_eq!("7".parse::<Years>().unwrap().get(), 7);
        assert!(Reason::parse("reason", " ").is_err());
        assert!(Reason::parse("reason", "a\nb c d").is_err());
        assert_eq!(
            Reason::parse("reason", " appeal pending ")
                .unwrap()
                .as_str(),
            "appeal pending"
        );
    }
}
