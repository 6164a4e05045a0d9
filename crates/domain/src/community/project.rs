//! Community projects under a funding project, such as the multifunctional service centre
//! in Samgori (Tbilisi): where, with which partner authority, when, and who takes part —
//! returnees linked to their cases, and community members counted by sex and age group.

use super::activity::{ActivityBasics, ActivityDraft, Level, in_form_order};
use crate::FieldError;
use crate::dashboard::AgeGroup;
use crate::form::Errors;

/// A community project as typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommunityProjectDraft {
    pub name: String,
    /// The funding project, the office that runs it, where and when.
    pub basics: ActivityBasics,
    pub area: String,
    pub place: String,
    /// The partner authority, e.g. "Samgori District Authority".
    pub partner: String,
}

/// The details form's fields, in the order it shows them.
const FIELDS: &[&str] = &[
    "name",
    "project",
    "office",
    "country",
    "area",
    "place",
    "partner",
    "start_on",
    "end_on",
    "status",
    "description",
];

impl ActivityDraft for CommunityProjectDraft {
    const LEVEL: Level = Level::Community;

    fn parse<'a>(get: impl Fn(&str) -> &'a str) -> Result<Self, Vec<FieldError>> {
        let mut e = Errors::default();
        let name = e.text("name", get("name"), 3, 200);
        let basics = ActivityBasics::parse(&mut e, &get);
        let area = e.text("area", get("area"), 0, 200);
        let place = e.text("place", get("place"), 0, 200);
        let partner = e.text("partner", get("partner"), 0, 200);
        let v = (|| {
            Some(CommunityProjectDraft {
                name: name?,
                basics: basics?,
                area: area?,
                place: place?,
                partner: partner?,
            })
        })();
        e.done(v).map_err(|errs| in_form_order(errs, FIELDS))
    }

    fn basics(&self) -> &ActivityBasics {
        &self.basics
    }
}

/// The sexes community members are counted by.
pub const SEXES: [&str; 3] = ["female", "male", "other"];

/// Community members taking part, by sex ([`SEXES`]) and age group (`AgeGroup::ALL`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MemberCounts(pub [[u32; 4]; 3]);

impl MemberCounts {
    /// The form's name of one cell: `members_female_18_34`.
    pub fn field(sex: &str, age: AgeGroup) -> String {
        format!("members_{sex}_{}", age.code())
    }

    /// Every cell from its field; empty is 0.
    pub fn parse<'a>(get: impl Fn(&str) -> &'a str) -> Result<Self, Vec<FieldError>> {
        let mut e = Errors::default();
        let mut out = MemberCounts::default();
        for (si, sex) in SEXES.iter().enumerate() {
            for (ai, age) in AgeGroup::ALL.iter().enumerate() {
                let field = Self::field(sex, *age);
                let t = get(&field).trim();
                match t {
                    "" => {}
                    t => match t.parse::<u32>() {
                        Ok(n) if n <= 1_000_000 => out.0[si][ai] = n,
                        _ => e.push(&field, format!("{t:?} is not a number of people")),
                    },
                }
            }
        }
        e.done(Some(out))
    }

    pub fn get(&self, sex: usize, age: usize) -> u32 {
        self.0
            .get(sex)
            .and_then(|r| r.get(age))
            .copied()
            .unwrap_or(0)
    }

    pub fn total(&self) -> u64 {
        self.0.iter().flatten().map(|n| u64::from(*n)).sum()
    }

    pub fn by_sex(&self, sex: usize) -> u64 {
        self.0
            .get(sex)
            .map_or(0, |r| r.iter().map(|n| u64::from(*n)).sum())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn form(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn the_samgori_centre_as_typed() {
        let f = form(&[
            ("name", "Multifunctional service centre, Samgori"),
            ("project", "3"),
            ("office", "7"),
            ("country", "ge"),
            ("area", "Tbilisi"),
            ("place", "Samgori district"),
            ("partner", "Samgori District Authority"),
            ("start_on", "2023-03-01"),
            ("status", "active"),
        ]);
        let get = |k: &str| f.get(k).map_or("", String::as_str);
        let p = CommunityProjectDraft::parse(get).expect("valid");
        assert_eq!(
            (
                p.basics.country.as_str(),
                p.basics.project_id,
                p.basics.end_on
            ),
            ("GE", 3, None)
        );
        let bad = form(&[
            ("name", "x"),
            ("project", "none"),
            ("country", "Georgia"),
            ("start_on", "2024-01-01"),
            ("end_on", "2023-01-01"),
            ("status", "dreaming"),
        ]);
        let get = |k: &str| bad.get(k).map_or("", String::as_str);
        let errs = CommunityProjectDraft::parse(get).expect_err("refused");
        let fields: Vec<&str> = errs.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            ["name", "project", "office", "country", "end_on", "status"]
        );
    }

    #[test]
    fn members_are_counted_by_sex_and_age() {
        let f = form(&[
            ("members_female_18_34", "12"),
            ("members_male_0_17", "30"),
            ("members_other_60_plus", ""),
        ]);
        let get = |k: &str| f.get(k).map_or("", String::as_str);
        let m = MemberCounts::parse(get).expect("counts");
        assert_eq!(
            (m.total(), m.by_sex(0), m.by_sex(1), m.get(1, 0)),
            (42, 12, 30, 30)
        );
        let bad = form(&[("members_male_35_59", "-4")]);
        let get = |k: &str| bad.get(k).map_or("", String::as_str);
        assert_eq!(
            MemberCounts::parse(get).expect_err("bad")[0].field,
            "members_male_35_59"
        );
    }
}
