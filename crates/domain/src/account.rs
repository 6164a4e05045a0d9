//! Offices and user accounts: the values an administrator types, parsed once.

use crate::{CountryCode, FieldError};
use std::fmt;

code_enum!(
    /// What kind of organisation an office is.
    OfficeKind {
        IomMission = "iom_mission" / "IOM mission",
        Government = "government" / "Government agency",
        PartnerNgo = "partner" / "Partner organisation",
    }
);

/// An email address as an account name: trimmed, lower-case, one `@` with text on both
/// sides and a dot in the domain. Deliverability is not checked here.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Email(String);

impl Email {
    pub fn parse(s: &str) -> Result<Email, FieldError> {
        let t = s.trim().to_lowercase();
        let bad = || FieldError::new("email", format!("{:?} is not an email address", s.trim()));
        let (local, domain) = t.split_once('@').ok_or_else(bad)?;
        let ok = !local.is_empty()
            && domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.contains('@')
            && t.len() <= 254
            && !t.chars().any(|c| c.is_whitespace() || c.is_control());
        if ok { Ok(Email(t)) } else { Err(bad()) }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

fn name_field(field: &str, s: &str, max: usize) -> Result<String, FieldError> {
    let t = s.trim();
    if t.is_empty() {
        return Err(FieldError::new(field, "is required"));
    }
    if t.chars().count() > max {
        return Err(FieldError::new(
            field,
            format!("must have at most {max} characters"),
        ));
    }
    if t.chars().any(char::is_control) {
        return Err(FieldError::new(
            field,
            "must not contain control characters",
        ));
    }
    if let Some(c) = crate::names::direction_control(t) {
        return Err(FieldError::new(field, crate::names::direction_refusal(c)));
    }
    Ok(t.to_owned())
}

/// An office as entered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OfficeDraft {
    pub name: String,
    pub country: CountryCode,
    pub kind: OfficeKind,
}

impl OfficeDraft {
    pub fn parse(name: &str, country: &str, kind: &str) -> Result<OfficeDraft, Vec<FieldError>> {
        let name = name_field("name", name, 120);
        let country = country
            .parse::<CountryCode>()
            .map_err(|e| FieldError::new("country", e));
        let kind = kind
            .parse::<OfficeKind>()
            .map_err(|e| FieldError::new("kind", e));
        match (name, country, kind) {
            (Ok(name), Ok(country), Ok(kind)) => Ok(OfficeDraft {
                name,
                country,
                kind,
            }),
            (n, c, k) => Err([n.err(), c.err(), k.err()].into_iter().flatten().collect()),
        }
    }
}

/// A person's display name on an account.
pub fn display_name(s: &str) -> Result<String, FieldError> {
    name_field("name", s, 120)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_normalised_and_checked() {
        assert_eq!(
            Email::parse(" Ana@Example.ORG ").map(|e| e.0),
            Ok("ana@example.org".into())
        );
        for bad in [
            "",
            "ana",
            "ana@",
            "@example.org",
            "ana@example",
            "a b@example.org",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn names_refuse_invisible_direction_controls() {
        // "Ana" shown, "anA" stored: a right-to-left override reorders what follows it.
        let err = display_name("Ana \u{202E}ahsiD").expect_err("refused");
        assert_eq!(err.field, "name");
        assert!(err.reason.contains("U+202E"), "{}", err.reason);
        let err =
            OfficeDraft::parse("IOM \u{2067}Tirana", "AL", "iom_mission").expect_err("refused");
        assert!(err[0].reason.contains("U+2067"), "{}", err[0].reason);
        assert_eq!(display_name("Drita Hoxha").expect("a name"), "Drita Hoxha");
        // Arabic and Georgian names are names; only the invisible controls are refused.
        assert_eq!(display_name("مريم الحداد").expect("a name"), "مريم الحداد");
        assert_eq!(display_name("ნინო ბერიძე").expect("a name"), "ნინო ბერიძე");
    }

    #[test]
    fn offices_name_every_bad_field() {
        let errs = OfficeDraft::parse(" ", "XX", "club").expect_err("three problems");
        let fields: Vec<&str> = errs.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["name", "country", "kind"]);
        let ok = OfficeDraft::parse("IOM Tirana", "AL", "iom_mission").expect("valid");
        assert_eq!(ok.country.as_str(), "AL");
    }
}
