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
    /// How a household member is related to the returnee.
    Relation {
        Parent = "parent" / "Parent",
        Spouse = "spouse" / "Spouse or partner",
        Child = "child" / "Child",
        Sibling = "sibling" / "Sibling",
        Grandparent = "grandparent" / "Grandparent",
        Other = "other" / "Other relative",
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
    pub details: Details,
    pub sensitive: Sensitive,
}

/// The parts of a returnee's record that change over time: estimated birth date, how to
/// reach them, where they return to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Details {
    /// The birth date is an estimate (no document).
    pub birth_date_estimated: bool,
    /// Languages spoken, as typed ("Albanian, Italian").
    pub languages: String,
    pub phone: String,
    pub email: String,
    /// Country of return.
    pub return_country: CountryCode,
    /// First administrative level (region, county, mkhare).
    pub return_area: String,
    /// Town or village.
    pub return_place: String,
}

/// One member of a returnee's household.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HouseholdMember {
    pub name: String,
    pub relation: Relation,
    pub sex: Sex,
    pub birth_year: Option<i32>,
}

impl HouseholdMember {
    /// Parses the fields of the household form; problems name their field.
    pub fn parse(
        name: &str,
        relation: &str,
        sex: &str,
        birth_year: &str,
        this_year: i32,
    ) -> Result<HouseholdMember, Vec<FieldError>> {
        let mut errs = Vec::new();
        let name = person_name("name", name).map_err(|e| errs.push(e)).ok();
        let relation = relation
            .parse::<Relation>()
            .map_err(|e| errs.push(FieldError::new("relation", e)))
            .ok();
        let sex = sex
            .parse::<Sex>()
            .map_err(|e| errs.push(FieldError::new("sex", e)))
            .ok();
        let birth_year = match birth_year.trim() {
            "" => Some(None),
            y => match y.parse::<i32>() {
                Ok(y) if (this_year - 120..=this_year).contains(&y) => Some(Some(y)),
                _ => {
                    errs.push(FieldError::new(
                        "birth_year",
                        format!("must be a year from {} to {this_year}", this_year - 120),
                    ));
                    None
                }
            },
        };
        match (name, relation, sex, birth_year) {
            (Some(name), Some(relation), Some(sex), Some(birth_year)) if errs.is_empty() => {
                Ok(HouseholdMember {
                    name,
                    relation,
                    sex,
                    birth_year,
                })
            }
            _ => Err(errs),
        }
    }
}

fn short_text(field: &str, s: &str, max: usize) -> Result<String, FieldError> {
    let t = s.trim();
    if t.chars().count() > max || t.chars().any(char::is_control) {
        return Err(FieldError::new(
            field,
            format!("must be at most {max} printable characters"),
        ));
    }
    Ok(t.to_owned())
}

/// The form fields of the changeable details, as typed.
#[derive(Debug, Clone, Default)]
pub struct DetailsForm<'a> {
    pub birth_date_estimated: bool,
    pub languages: &'a str,
    pub phone: &'a str,
    pub email: &'a str,
    /// Empty means the nationality.
    pub return_country: &'a str,
    pub return_area: &'a str,
    pub return_place: &'a str,
}

impl DetailsForm<'_> {
    /// Every problem at once; `nationality` is the default country of return.
    pub fn parse(&self, nationality: Option<CountryCode>) -> Result<Details, Vec<FieldError>> {
        let mut errs = Vec::new();
        let mut text = |field: &str, s: &str, max: usize| {
            short_text(field, s, max).map_err(|e| errs.push(e)).ok()
        };
        let languages = text("languages", self.languages, 200);
        let phone = text("phone", self.phone, 40);
        let email = text("email", self.email, 200);
        let return_area = text("return_area", self.return_area, 100);
        let return_place = text("return_place", self.return_place, 100);
        if let Some(p) = &phone
            && !p
                .chars()
                .all(|c| c.is_ascii_digit() || " +-()./".contains(c))
        {
            errs.push(FieldError::new(
                "phone",
                "may hold digits, spaces and + - ( ) . / only",
            ));
        }
        if let Some(e) = &email
            && !e.is_empty()
            && crate::account::Email::parse(e).is_err()
        {
            errs.push(FieldError::new("email", "is not an email address"));
        }
        let return_country = match self.return_country.trim() {
            "" => nationality.ok_or(()).map_err(|_| {
                errs.push(FieldError::new("return_country", "is required"));
            }),
            c => c
                .parse::<CountryCode>()
                .map_err(|e| errs.push(FieldError::new("return_country", e))),
        }
        .ok();
        match (
            languages,
            phone,
            email,
            return_country,
            return_area,
            return_place,
        ) {
            (Some(languages), Some(phone), Some(email), Some(return_country), Some(a), Some(p))
                if errs.is_empty() =>
            {
                Ok(Details {
                    birth_date_estimated: self.birth_date_estimated,
                    languages,
                    phone,
                    email,
                    return_country,
                    return_area: a,
                    return_place: p,
                })
            }
            _ => Err(errs),
        }
    }
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
    if let Some(c) = crate::names::direction_control(t) {
        return Err(FieldError::new(field, crate::names::direction_refusal(c)));
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
    pub details: DetailsForm<'a>,
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
        let details = self
            .details
            .parse(nationality)
            .map_err(|e| {
                // An empty country of return follows the nationality, already reported.
                let follows =
                    nationality.is_none() && self.details.return_country.trim().is_empty();
                errs.extend(
                    e.into_iter()
                        .filter(|e| !(follows && e.field == "return_country")),
                )
            })
            .ok();
        match (
            given_name,
            family_name,
            sex,
            birth_date,
            nationality,
            origin_office,
            vulnerabilities,
            (health_notes, details),
        ) {
            (
                Some(g),
                Some(f),
                Some(s),
                Some(b),
                Some(n),
                Some(o),
                Some(mut v),
                (Some(h), Some(d)),
            ) if errs.is_empty() => {
                v.sort();
                v.dedup();
                Ok(Registration {
                    given_name: g,
                    family_name: f,
                    sex: s,
                    birth_date: b,
                    nationality: n,
                    origin_office: o,
                    details: d,
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
    fn a_returnee_name_with_an_invisible_direction_control_is_refused() {
        let form = RegistrationForm {
            given_name: "Arta",
            family_name: "Hoxha\u{2066}",
            sex: "female",
            birth_date: "1990-04-01",
            nationality: "AL",
            origin_office: "1",
            ..Default::default()
        };
        let errs = form.parse(today()).expect_err("refused");
        assert_eq!(errs.len(), 1, "{errs:?}");
        assert_eq!(errs[0].field, "family_name");
        assert!(errs[0].reason.contains("U+2066"), "{}", errs[0].reason);
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
            details: DetailsForm {
                phone: "+355 69 000 0000",
                return_place: "Bajram Curri",
                ..Default::default()
            },
            ..Default::default()
        };
        let r = form.parse(today()).expect("valid");
        assert_eq!(r.sensitive.vulnerabilities, [Vulnerability::SingleParent]);
        assert_eq!(r.origin_office, 2);
        assert_eq!(
            r.details.return_country.as_str(),
            "AL",
            "defaults to nationality"
        );
        assert_eq!(r.details.return_place, "Bajram Curri");
    }

    #[test]
    fn details_and_household_members_name_their_bad_fields() {
        let d = DetailsForm {
            phone: "call me",
            email: "nope",
            return_country: "XX",
            ..Default::default()
        };
        let fields: Vec<String> = d
            .parse(None)
            .expect_err("bad")
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(fields, ["phone", "email", "return_country"]);
        let m = HouseholdMember::parse("Mira", "parent", "female", "1970", 2026).expect("ok");
        assert_eq!((m.relation, m.birth_year), (Relation::Parent, Some(1970)));
        let errs = HouseholdMember::parse("", "cousin", "x", "3000", 2026).expect_err("bad");
        let fields: Vec<&str> = errs.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["name", "relation", "sex", "birth_year"]);
    }
}
