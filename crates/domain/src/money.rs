//! Money as integer minor units plus an ISO 4217 code: never a float.

use crate::currency::CurrencyCode;
use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Money {
    /// Amount in the currency's minor unit (cents for USD).
    pub minor: i64,
    pub currency: CurrencyCode,
}

impl Money {
    pub fn new(minor: i64, currency: CurrencyCode) -> Self {
        Self { minor, currency }
    }

    /// Whole units, for sliders and buckets; never for arithmetic on money.
    pub fn major_floor(&self) -> i64 {
        self.minor / 10i64.pow(self.currency.minor_digits())
    }

    /// Reads a decimal amount such as `200000`, `200000.00`, `200,000.5` or `-12.30`.
    /// More decimals than the currency has are refused rather than rounded.
    pub fn parse(text: &str, currency: CurrencyCode) -> Result<Self, String> {
        let digits = currency.minor_digits();
        let cleaned: String = text
            .trim()
            .chars()
            .filter(|c| *c != ',' && *c != '_' && *c != ' ')
            .collect();
        let (neg, body) = match cleaned.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, cleaned.as_str()),
        };
        let (whole, frac) = match body.split_once('.') {
            Some((w, f)) => (w, f),
            None => (body, ""),
        };
        let bad = || {
            format!(
                "{:?} is not an amount of money (like 200000.00)",
                text.trim()
            )
        };
        if whole.is_empty() && frac.is_empty()
            || !whole.bytes().all(|b| b.is_ascii_digit())
            || !frac.bytes().all(|b| b.is_ascii_digit())
        {
            return Err(bad());
        }
        let frac = frac.trim_end_matches('0');
        if frac.len() > digits as usize {
            return Err(format!(
                "{:?} has more decimals than {} allows ({digits})",
                text.trim(),
                currency
            ));
        }
        let scale = 10i64.pow(digits);
        let whole: i64 = if whole.is_empty() {
            0
        } else {
            whole.parse().map_err(|_| bad())?
        };
        let frac_val: i64 = if frac.is_empty() {
            0
        } else {
            let padded = format!("{frac:0<width$}", width = digits as usize);
            padded.parse().map_err(|_| bad())?
        };
        let minor = whole
            .checked_mul(scale)
            .and_then(|v| v.checked_add(frac_val))
            .ok_or_else(|| format!("{:?} is too large an amount", text.trim()))?;
        Ok(Self {
            minor: if neg { -minor } else { minor },
            currency,
        })
    }

    /// The amount as a plain decimal, e.g. `200000.00`, for files and the API.
    pub fn to_decimal_string(&self) -> String {
        let digits = self.currency.minor_digits();
        let scale = 10i64.pow(digits).unsigned_abs();
        let sign = if self.minor < 0 { "-" } else { "" };
        let abs = self.minor.unsigned_abs();
        if digits == 0 {
            format!("{sign}{abs}")
        } else {
            format!(
                "{sign}{}.{:0width$}",
                abs / scale,
                abs % scale,
                width = digits as usize
            )
        }
    }

    /// The amount with thousands separators, e.g. `200,000.00`, for pages.
    pub fn to_grouped_string(&self) -> String {
        let plain = self.to_decimal_string();
        let (sign, rest) = match plain.strip_prefix('-') {
            Some(r) => ("-", r),
            None => ("", plain.as_str()),
        };
        let (whole, frac) = match rest.split_once('.') {
            Some((w, f)) => (w, Some(f)),
            None => (rest, None),
        };
        let mut grouped = String::new();
        for (i, ch) in whole.chars().enumerate() {
            if i > 0 && (whole.len() - i) % 3 == 0 {
                grouped.push(',');
            }
            grouped.push(ch);
        }
        match frac {
            Some(f) => format!("{sign}{grouped}.{f}"),
            None => format!("{sign}{grouped}"),
        }
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.to_grouped_string(), self.currency)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn usd(s: &str) -> Result<Money, String> {
        Money::parse(s, CurrencyCode::USD)
    }

    #[test]
    fn parses_published_budgets_exactly() {
        assert_eq!(usd("200000.00").unwrap().minor, 20_000_000);
        assert_eq!(usd("100,000").unwrap().minor, 10_000_000);
        assert_eq!(usd("0.5").unwrap().minor, 50);
        assert_eq!(usd("-12.30").unwrap().minor, -1230);
        assert_eq!(usd(".25").unwrap().minor, 25);
    }

    #[test]
    fn refuses_what_is_not_money() {
        for bad in [
            "",
            "abc",
            "1.2.3",
            "12.345",
            "1e5",
            "--1",
            "9999999999999999999",
        ] {
            assert!(usd(bad).is_err(), "{bad} should be refused");
        }
    }

    #[test]
    fn formats_for_files_and_pages() {
        let m = usd("400000").unwrap();
        assert_eq!(m.to_decimal_string(), "400000.00");
        assert_eq!(m.to_grouped_string(), "400,000.00");
        assert_eq!(usd("-1234.5").unwrap().to_grouped_string(), "-1,234.50");
        assert_eq!(usd("999").unwrap().to_grouped_string(), "999.00");
        let jpy = Money::parse("1234567", "JPY".parse().unwrap()).unwrap();
        assert_eq!(jpy.to_grouped_string(), "1,234,567");
        assert_eq!(jpy.to_string(), "1,234,567 JPY");
    }
}
