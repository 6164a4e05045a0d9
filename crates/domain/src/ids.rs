//! Identifiers of portfolio projects as the IOM Development Fund publishes them.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// A Projects ID such as `TC.0495`: two capital letters, a dot, four digits.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ProjectsId(String);

/// A Prima ID such as `GE10P0527`: two capital letters, two digits, a capital letter,
/// four digits.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct PrimaId(String);

fn shape_matches(s: &str, shape: &str) -> bool {
    s.len() == shape.len()
        && s.bytes().zip(shape.bytes()).all(|(c, p)| match p {
            b'A' => c.is_ascii_uppercase(),
            b'9' => c.is_ascii_digit(),
            other => c == other,
        })
}

macro_rules! id_type {
    ($t:ident, $shape:literal, $what:literal) => {
        impl $t {
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }
        impl FromStr for $t {
            type Err = String;
            fn from_str(s: &str) -> Result<Self, String> {
                let s = s.trim();
                if shape_matches(s, $shape) {
                    Ok(Self(s.to_owned()))
                } else {
                    Err(format!(
                        "{:?} is not a {}: expected the form {}",
                        s, $what, $shape
                    ))
                }
            }
        }
        impl TryFrom<String> for $t {
            type Error = String;
            fn try_from(s: String) -> Result<Self, String> {
                s.parse()
            }
        }
        impl From<$t> for String {
            fn from(v: $t) -> String {
                v.0
            }
        }
        impl fmt::Display for $t {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

id_type!(ProjectsId, "AA.9999", "Projects ID (like TC.0495)");
id_type!(PrimaId, "AA99A9999", "Prima ID (like GE10P0527)");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn projects_id_accepts_published_ids() {
        assert_eq!("TC.0495".parse::<ProjectsId>().unwrap().as_str(), "TC.0495");
        assert_eq!(
            " CD.0085 ".parse::<ProjectsId>().unwrap().as_str(),
            "CD.0085"
        );
    }

    #[test]
    fn projects_id_refuses_other_shapes() {
        for bad in [
            "tc.0495", "TC0495", "TC.495", "TC.04951", "T1.0495", "", "TC-0495",
        ] {
            assert!(
                bad.parse::<ProjectsId>().is_err(),
                "{bad} should be refused"
            );
        }
    }

    #[test]
    fn prima_id_accepts_published_ids_and_refuses_others() {
        assert!("GE10P0527".parse::<PrimaId>().is_ok());
        assert!("AU10P0004".parse::<PrimaId>().is_ok());
        for bad in [
            "GE10P052",
            "ge10p0527",
            "GE1XP0527",
            "GE10P05270",
            "TC.0495",
        ] {
            assert!(bad.parse::<PrimaId>().is_err(), "{bad} should be refused");
        }
    }
}
