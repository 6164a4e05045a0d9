//! Returnees and their cases, as far as registration goes: who the person is, which
//! offices hold the case, and the sensitive facts only some roles may see. Plans,
//! assistance and monitoring build on this.

use crate::date::Ymd;
use crate::{CountryCode, FieldError};

code_enum!(
    Sex {
        Female = "female" / "Female",
        Male = "male" / "Male",
        Other = "other" / "Other",
        Unknown = "unknown" / "Not stated",
    }
);

code_enum!(
    /// Vulnerabilities: sensitive. Shown, exported or returned only with the
    /// `sensitive` permission.
    Vulnerability {
        UnaccompaniedChild = "unaccompanied_child" / "Unaccompanied migrant child",
        AgedOutMinor = "aged_out_minor" / "Aged-out minor",
        Trafficking = "trafficking" / "Victim of trafficking",
        HealthNeeds = "health_needs" / "Health needs",
        Disability = "disability" / "Disability",
        OlderPerson = "older_person" / "Older person",
        Pregnant = "pregnant" / "Pregnant",
        SingleParent = "single_parent" / "Single parent",
        Other = "other" / "Other",
    }
);

code_enum!(
    CaseStatus {
        Open = "open" / "Open",
        Closed = "closed" / "Closed",
    }
);

/// The sensitive part of a returnee's record, kept apart so it cannot be shown by
/// accident: a view without the permission simply has none.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Sensitive {
    pub vulnerabilities: Vec<Vulnerability>,
    pub health_notes: String,
}

/// A returnee and a new case, as registered by a caseworker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Registration {
    pub given_name: String,
    pub family_name: String,
    pub sex: Sex,
    pub birth_date: Option<Ymd>,
    pub nationality: CountryCode,
    /// The office in the country of origin that will receive the case.
    pub origin_office: i64,
    pub sensitive: Sensitive,
}

fn person_name(field: &str, s: &str) -> Result<String, FieldError> {
    let t = s.trim();
    if t.is_empty() {
        return Err(FieldError::new(field, "is required"));
    }
    if t.chars().count() > 100 || t.chars().any(char::is_control) {
        return Err(FieldError::new(
            field,
            "must be 1 to 100 printable characters",
        ));
    }
    Ok(t.to_owned())
}

/// The form fields of a registration, as typed.
#[derive(Debug, Clone, Default)]
pub struct RegistrationForm<'a> {
    pub given_name: &'a str,
    pub family_name: &'a str,
    pub sex: &'a str,
    pub birth_date: &'a str,
    pub nationality: &'a str,
    pub origin_office: &'a str,
    pub vulnerabilities: Vec<&'a str>,
    pub health_notes: &'a str,
}

impl RegistrationForm<'_> {
    /// Every problem at once, each naming its field.
    pub fn parse(&self, today: Ymd) -> Result<Registration, Vec<FieldError>> {
        let mut errs = Vec::new();
        fn keep<T>(errs: &mut Vec<FieldError>, r: Result<T, FieldError>) -> Option<T> {
            r.map_err(|e| errs.push(e)).ok()
        }
        let given_name = keep(&mut errs, person_name("given_name", self.given_name));
        let family_name = keep(&mut errs, person_name("family_name", self.family_name));
        let sex = keep(
            &mut errs,
            self.sex
                .parse::<Sex>()
                .map_err(|e| FieldError::new("sex", e)),
        );
        let birth_date = keep(
            &mut errs,
            match self.birth_date.trim() {
                "" => Ok(None),
                s => match s.parse::<Ymd>() {
                    Ok(d) if d > today => Err(FieldError::new("birth_date", "is in the future")),
                    Ok(d) => Ok(Some(d)),
                    Err(e) => Err(FieldError::new("birth_date", e)),
                },
            },
        );
        let nationality = keep(
            &mut errs,
            self.nationality
                .parse::<CountryCode>()
                .map_err(|e| FieldError::new("nationality", e)),
        );
        let origin_office = keep(
            &mut errs,
            self.origin_office
                .trim()
                .parse::<i64>()
                .map_err(|_| FieldError::new("origin_office", "choose an office")),
        );
        let vulnerabilities = keep(
            &mut errs,
            self.vulnerabilities
                .iter()
                .map(|v| v.parse::<Vulnerability>())
                .collect::<Result<Vec<_>, _>>()
                .map_err(|e| FieldError::new("vulnerabilities", e)),
        );
        let notes = self.health_notes.trim();
        let health_notes = keep(
            &mut errs,
            if notes.chars().count() > 2000 {
                Err(FieldError::new(
                    "health_notes",
                    "must have at most 2000 characters",
                ))
            } else {
                Ok(notes.to_owned())
            },
        );
        match (
            given_name,
            family_name,
            sex,
            birth_date,
            nationality,
            origin_office,
            vulnerabilities,
            health_notes,
        ) {
            (Some(g), Some(f), Some(s), Some(b), Some(n), Some(o), Some(mut v), Some(h))
                if errs.is_empty() =>
            {
                v.sort();
                v.dedup();
                Ok(Registration {
                    given_name: g,
                    family_name: f,
                    sex: s,
                    birth_date: b,
                    nationality: n,
                    origin_office: o,
                    sensitive: Sensitive {
                        vulnerabilities: v,
                        health_notes: h,
                    },
                })
            }
            _ => Err(errs),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> Ymd {
        "2026-11-23".parse().expect("date")
    }

    #[test]
    fn a_registration_names_each_bad_field() {
        let form = RegistrationForm {
            given_name: "",
            sex: "x",
            birth_date: "2030-01-01",
            nationality: "ZZ",
            origin_office: "",
            vulnerabilities: vec!["trafficking", "spy"],
            ..Default::default()
        };
        let errs = form.parse(today()).expect_err("bad");
        let fields: Vec<&str> = errs.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "given_name",
                "family_name",
                "sex",
                "birth_date",
                "nationality",
                "origin_office",
                "vulnerabilities"
            ]
        );
    }

    #[test]
    fn a_good_registration_parses() {
        let form = RegistrationForm {
            given_name: "Arta",
            family_name: "Hoxha",
            sex: "female",
            birth_date: "1994-03-02",
            nationality: "AL",
            origin_office: "2",
            vulnerabilities: vec!["single_parent", "single_parent"],
            health_notes: "",
        };
        let r = form.parse(today()).expect("valid");
        assert_eq!(r.sensitive.vulnerabilities, [Vulnerability::SingleParent]);
        assert_eq!(r.origin_office, 2);
    }
}
