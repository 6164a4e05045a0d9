//! Currencies: ISO 4217 codes as listed in the IATI Currency codelist, with the number of
//! minor-unit digits each one uses so money can be held as integers.

use crate::country::parse_codelist;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;
use std::sync::LazyLock;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Currency {
    pub code: &'static str,
    pub name: &'static str,
    pub withdrawn: bool,
}

static TABLE: &str = include_str!("../data/currencies.tsv");

pub static CURRENCIES: LazyLock<Vec<Currency>> = LazyLock::new(|| {
    parse_codelist(TABLE)
        .map(|(code, name, withdrawn)| Currency {
            code,
            name,
            withdrawn,
        })
        .collect()
});

/// ISO 4217 exponents that differ from the usual two digits.
const ZERO_DIGITS: &[&str] = &[
    "BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG", "RWF", "UGX", "UYI", "VND",
    "VUV", "XAF", "XOF", "XPF",
];
const THREE_DIGITS: &[&str] = &["BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"];

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CurrencyCode([u8; 3]);

impl CurrencyCode {
    pub const USD: CurrencyCode = CurrencyCode(*b"USD");

    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.0).unwrap_or("???")
    }

    /// How many digits follow the decimal point in this currency.
    pub fn minor_digits(&self) -> u32 {
        let c = self.as_str();
        if ZERO_DIGITS.contains(&c) {
            0
        } else if THREE_DIGITS.contains(&c) {
            3
        } else {
            2
        }
    }

    pub fn name(&self) -> &'static str {
        CURRENCIES
            .iter()
            .find(|c| c.code == self.as_str())
            .map(|c| c.name)
            .unwrap_or("")
    }
}

impl FromStr for CurrencyCode {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let up = s.trim().to_ascii_uppercase();
        match CURRENCIES.iter().find(|c| c.code == up) {
            Some(c) => {
                let b = c.code.as_bytes();
                Ok(CurrencyCode([b[0], b[1], b[2]]))
            }
            None => Err(format!(
                "{:?} is not a currency code of ISO 4217 (IATI Currency codelist)",
                s.trim()
            )),
        }
    }
}

impl TryFrom<String> for CurrencyCode {
    type Error = String;
    fn try_from(s: String) -> Result<Self, String> {
        s.parse()
    }
}

impl From<CurrencyCode> for String {
    fn from(c: CurrencyCode) -> String {
        c.as_str().to_owned()
    }
}

impl fmt::Display for CurrencyCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn knows_the_currencies_returnees_are_paid_in() {
        for code in ["ALL", "GEL", "AMD", "WST", "EUR", "NOK", "USD"] {
            let c: CurrencyCode = code.parse().unwrap();
            assert_eq!(c.minor_digits(), 2, "{code}");
        }
        assert_eq!("JPY".parse::<CurrencyCode>().unwrap().minor_digits(), 0);
        assert_eq!("KWD".parse::<CurrencyCode>().unwrap().minor_digits(), 3);
        assert!("XXY".parse::<CurrencyCode>().is_err());
        assert_eq!(CurrencyCode::USD.name(), "US Dollar");
    }
}
