//! Countries: ISO 3166-1 alpha-2 codes as listed in the IATI Country codelist, carried into
//! the binary so Homeward never reads the standard's files at run time.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;
use std::sync::LazyLock;

/// One entry of the embedded codelist.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Country {
    pub code: &'static str,
    pub name: &'static str,
    /// Withdrawn codes (e.g. `AN`) are still read from old files but never offered.
    pub withdrawn: bool,
}

static TABLE: &str = include_str!("../data/countries.tsv");

/// The Country codelist, in codelist order.
pub static COUNTRIES: LazyLock<Vec<Country>> = LazyLock::new(|| {
    parse_codelist(TABLE)
        .map(|(code, name, withdrawn)| Country {
            code,
            name,
            withdrawn,
        })
        .collect()
});

/// Rows of an embedded `code \t name \t status` table; `#` lines are comments.
pub(crate) fn parse_codelist(
    table: &'static str,
) -> impl Iterator<Item = (&'static str, &'static str, bool)> {
    table
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .filter_map(|l| {
            let mut cols = l.split('\t');
            let code = cols.next()?;
            let name = cols.next()?;
            let withdrawn = cols.next() == Some("withdrawn");
            Some((code, name, withdrawn))
        })
}

/// A country code that is known to the IATI Country codelist.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CountryCode([u8; 2]);

impl CountryCode {
    pub fn as_str(&self) -> &str {
        // Only ASCII capitals are ever stored.
        std::str::from_utf8(&self.0).unwrap_or("??")
    }

    /// The English name from the codelist.
    pub fn name(&self) -> &'static str {
        COUNTRIES
            .iter()
            .find(|c| c.code == self.as_str())
            .map(|c| c.name)
            .unwrap_or("")
    }
}

impl FromStr for CountryCode {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let up = s.trim().to_ascii_uppercase();
        match COUNTRIES.iter().find(|c| c.code == up) {
            Some(c) => {
                let b = c.code.as_bytes();
                Ok(CountryCode([b[0], b[1]]))
            }
            None => Err(format!(
                "{:?} is not a country code of ISO 3166-1 (IATI Country codelist)",
                s.trim()
            )),
        }
    }
}

impl TryFrom<String> for CountryCode {
    type Error = String;
    fn try_from(s: String) -> Result<Self, String> {
        s.parse()
    }
}

impl From<CountryCode> for String {
    fn from(c: CountryCode) -> String {
        c.as_str().to_owned()
    }
}

impl fmt::Display for CountryCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn knows_the_seed_countries() {
        for (code, name) in [
            ("WS", "Samoa"),
            ("AL", "Albania"),
            ("AM", "Armenia"),
            ("GE", "Georgia"),
            ("NO", "Norway"),
        ] {
            let c: CountryCode = code.parse().unwrap();
            assert_eq!(c.name(), name);
        }
    }

    #[test]
    fn refuses_unknown_codes_and_accepts_lower_case() {
        assert!("ZZ".parse::<CountryCode>().is_err());
        assert!("Samoa".parse::<CountryCode>().is_err());
        assert_eq!("ws".parse::<CountryCode>().unwrap().as_str(), "WS");
        assert_eq!(COUNTRIES.len(), 251);
    }
}
