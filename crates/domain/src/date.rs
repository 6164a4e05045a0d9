//! Dates that may be known only to the year or month, as the IDF pages publish them
//! ("Start Date: 2012"). Stored and exchanged as `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct PartialDate {
    pub year: i32,
    pub month: Option<u8>,
    pub day: Option<u8>,
}

/// A full calendar date, `YYYY-MM-DD`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Ymd {
    pub year: i32,
    pub month: u8,
    pub day: u8,
}

impl fmt::Display for Ymd {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

pub fn is_leap(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

pub fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

impl Ymd {
    pub fn new(year: i32, month: u8, day: u8) -> Option<Self> {
        ((1..=12).contains(&month) && day >= 1 && day <= days_in_month(year, month))
            .then_some(Self { year, month, day })
    }

    /// Days since 1970-01-01 (Howard Hinnant's days_from_civil).
    pub fn to_days(&self) -> i64 {
        let y = i64::from(self.year) - i64::from(self.month <= 2);
        let era = y.div_euclid(400);
        let yoe = y.rem_euclid(400);
        let m = i64::from(self.month);
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// The date `days` after 1970-01-01 (civil_from_days).
    pub fn from_days(days: i64) -> Ymd {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
        Ymd { year, month, day }
    }

    /// The day before the same date a year later: the last day of a one-year period
    /// starting today (29 February maps to 28 February).
    pub fn one_year_on_less_a_day(&self) -> Ymd {
        let year = self.year + 1;
        let day = self.day.min(days_in_month(year, self.month));
        Ymd::from_days(
            Ymd {
                year,
                month: self.month,
                day,
            }
            .to_days()
                - 1,
        )
    }
}

impl PartialDate {
    pub fn year(year: i32) -> Self {
        Self {
            year,
            month: None,
            day: None,
        }
    }

    pub fn is_full(&self) -> bool {
        self.day.is_some()
    }

    /// The earliest day this date can mean.
    pub fn first_day(&self) -> Ymd {
        Ymd {
            year: self.year,
            month: self.month.unwrap_or(1),
            day: self.day.unwrap_or(1),
        }
    }

    /// The latest day this date can mean.
    pub fn last_day(&self) -> Ymd {
        let month = self.month.unwrap_or(12);
        Ymd {
            year: self.year,
            month,
            day: self.day.unwrap_or(days_in_month(self.year, month)),
        }
    }
}

/// A full date `YYYY-MM-DD`, nothing shorter.
impl FromStr for Ymd {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.parse::<PartialDate>() {
            Ok(p) if p.is_full() => Ok(p.first_day()),
            Ok(_) => Err(format!("{:?} is not a full date (YYYY-MM-DD)", s.trim())),
            Err(e) => Err(e),
        }
    }
}

impl FromStr for PartialDate {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let t = s.trim();
        let bad = || format!("{t:?} is not a date (use YYYY-MM-DD, YYYY-MM or YYYY)");
        // Accept a timestamp's date part, as some IATI publishers write `2012-01-01T00:00:00`.
        let t = t.split('T').next().unwrap_or(t);
        let parts: Vec<&str> = t.split('-').collect();
        let num = |p: &str, len: usize| -> Result<u32, String> {
            if p.len() == len && p.bytes().all(|b| b.is_ascii_digit()) {
                p.parse().map_err(|_| bad())
            } else {
                Err(bad())
            }
        };
        let year = num(parts.first().copied().unwrap_or(""), 4)? as i32;
        if !(1900..=2200).contains(&year) {
            return Err(format!("{t:?}: year {year} is out of range 1900-2200"));
        }
        let month = match parts.get(1) {
            Some(p) => {
                let m = num(p, 2)? as u8;
                if !(1..=12).contains(&m) {
                    return Err(format!("{t:?}: month {m} does not exist"));
                }
                Some(m)
            }
            None => None,
        };
        let day = match parts.get(2) {
            Some(p) => {
                let d = num(p, 2)? as u8;
                let m = month.unwrap_or(1);
                if d == 0 || d > days_in_month(year, m) {
                    return Err(format!("{t:?}: day {d} does not exist in that month"));
                }
                Some(d)
            }
            None => None,
        };
        if parts.len() > 3 {
            return Err(bad());
        }
        Ok(Self { year, month, day })
    }
}

impl TryFrom<String> for PartialDate {
    type Error = String;
    fn try_from(s: String) -> Result<Self, String> {
        s.parse()
    }
}

impl From<PartialDate> for String {
    fn from(d: PartialDate) -> String {
        d.to_string()
    }
}

impl fmt::Display for PartialDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}", self.year)?;
        if let Some(m) = self.month {
            write!(f, "-{m:02}")?;
        }
        if let Some(d) = self.day {
            write!(f, "-{d:02}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_each_precision() {
        assert_eq!(
            "2012".parse::<PartialDate>().unwrap(),
            PartialDate::year(2012)
        );
        let m: PartialDate = "2013-02".parse().unwrap();
        assert_eq!((m.year, m.month, m.day), (2013, Some(2), None));
        let d: PartialDate = "2024-02-29".parse().unwrap();
        assert!(d.is_full());
        assert_eq!(d.to_string(), "2024-02-29");
        assert_eq!(
            "2012-01-01T00:00:00"
                .parse::<PartialDate>()
                .unwrap()
                .to_string(),
            "2012-01-01"
        );
    }

    #[test]
    fn refuses_impossible_dates() {
        for bad in [
            "2023-02-29",
            "2012-13",
            "12-01-01",
            "2012/01/01",
            "",
            "2012-1-1",
            "1800",
        ] {
            assert!(
                bad.parse::<PartialDate>().is_err(),
                "{bad} should be refused"
            );
        }
    }

    #[test]
    fn counts_days_both_ways() {
        assert_eq!(Ymd::new(1970, 1, 1).unwrap().to_days(), 0);
        assert_eq!(Ymd::new(2024, 2, 29).unwrap().to_days(), 19_782);
        for d in [-1000, 0, 59, 19_782, 40_000] {
            assert_eq!(Ymd::from_days(d).to_days(), d);
        }
        let d = Ymd::new(2023, 3, 1).unwrap();
        assert_eq!(d.one_year_on_less_a_day().to_string(), "2024-02-29");
        assert_eq!(
            Ymd::new(2024, 2, 29)
                .unwrap()
                .one_year_on_less_a_day()
                .to_string(),
            "2025-02-27"
        );
    }

    #[test]
    fn widens_to_first_and_last_day() {
        let y = PartialDate::year(2014);
        assert_eq!(y.first_day().to_string(), "2014-01-01");
        assert_eq!(y.last_day().to_string(), "2014-12-31");
        let m: PartialDate = "2024-02".parse().unwrap();
        assert_eq!(m.last_day().to_string(), "2024-02-29");
    }
}
