//! Money as integer minor units plus an ISO 4217 code: never a float.

use crate::currency::CurrencyCode;
use crate::decimal::{self, DecimalError};
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

    /// Reads a decimal amount from a file, such as `200000`, `200000.00`, `200,000.5` or
    /// `-12.30` (commas group thousands, as in published budgets); what people type goes
    /// through [`Money::read`]. More decimals than the currency has are refused rather
    /// than rounded.
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
        let minor = decimal::scaled(body, digits)
            .and_then(|v| i64::try_from(v).map_err(|_| DecimalError::TooLarge));
        let minor = minor.map_err(|e| match e {
            DecimalError::NotANumber => {
                format!(
                    "{:?} is not an amount of money (like 200000.00)",
                    text.trim()
                )
            }
            DecimalError::TooManyDecimals => format!(
                "{:?} has more decimals than {} allows ({digits})",
                text.trim(),
                currency
            ),
            DecimalError::TooLarge => {
                format!("{:?} is too large an amount", text.trim())
            }
        })?;
        Ok(Self {
            minor: if neg { -minor } else { minor },
            currency,
        })
    }

    /// Reads an amount as a person wrote it, in a form or the API: `12,50` is twelve and a
    /// half whatever the language, and what could mean two amounts (`1,250`) is refused with
    /// both readings named ([`crate::written_amount`]).
    pub fn read(text: &str, currency: CurrencyCode) -> Result<Self, String> {
        let plain = crate::written_amount::plain(text)?;
        Self::parse(&plain, currency)
            .map_err(|e| e.replace(&format!("{plain:?}"), &format!("{:?}", text.trim())))
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
    fn reads_a_decimal_comma_as_written() {
        let all: CurrencyCode = "ALL".parse().expect("lek");
        assert_eq!(Money::read("12,50", all).map(|m| m.minor), Ok(1250));
        assert_eq!(Money::read("1 250,50", all).map(|m| m.minor), Ok(125_050));
        assert!(Money::read("1,250", all).is_err(), "two readings");
        let e = Money::read("12,345", CurrencyCode::USD).expect_err("refused");
        assert!(e.contains("12345") && e.contains("12.345"), "{e}");
        let e = Money::read("1,2345", CurrencyCode::USD).expect_err("too many decimals");
        assert!(e.contains("\"1,2345\""), "names what was typed: {e}");
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
