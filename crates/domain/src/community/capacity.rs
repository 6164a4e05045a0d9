//! Capacity building at the structural level: trainings, workshops, assessments and policy
//! support for the institutions that serve returnees (the staff of Samoa's returnee trust,
//! Albania's migration policy makers). Participants are counted by sex; some are listed,
//! with or without a name, to keep their test scores before and after a training.

use super::activity::{ActivityBasics, ActivityDraft, Level, in_form_order};
use crate::FieldError;
use crate::case::Sex;
use crate::form::Errors;

code_enum!(
    /// What a capacity-building activity is.
    CapacityKind {
        Training = "training" / "Training",
        Workshop = "workshop" / "Workshop",
        Assessment = "assessment" / "Assessment",
        PolicySupport = "policy_support" / "Policy support",
    }
);

/// Participants counted by sex: women, men, and others or not stated.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SexCounts {
    pub female: u32,
    pub male: u32,
    pub other: u32,
}

impl SexCounts {
    pub fn total(&self) -> u32 {
        self.female + self.male + self.other
    }

    fn of(&self, sex: Sex) -> u32 {
        match sex {
            Sex::Female => self.female,
            Sex::Male => self.male,
            Sex::Other | Sex::Unknown => self.other,
        }
    }
}

/// A capacity-building activity as typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CapacityDraft {
    pub title: String,
    pub kind: CapacityKind,
    /// The funding project, the office that runs it, where and when.
    pub basics: ActivityBasics,
    /// The institution served, e.g. "Samoa Returnees Charitable Trust (SRCT)".
    pub institution: String,
    pub participants: SexCounts,
}

fn count(e: &mut Errors, field: &str, s: &str) -> Option<u32> {
    match s.trim() {
        "" => Some(0),
        t => e.keep(
            field,
            t.parse::<u32>()
                .ok()
                .filter(|n| *n <= 100_000)
                .ok_or_else(|| format!("{t:?} is not a number of participants")),
        ),
    }
}

/// The details form's fields, in the order it shows them.
const FIELDS: &[&str] = &[
    "title",
    "kind",
    "project",
    "office",
    "country",
    "institution",
    "start_on",
    "end_on",
    "status",
    "female",
    "male",
    "other",
    "description",
];

impl ActivityDraft for CapacityDraft {
    const LEVEL: Level = Level::Structural;

    fn parse<'a>(get: impl Fn(&str) -> &'a str) -> Result<Self, Vec<FieldError>> {
        let mut e = Errors::default();
        let title = e.text("title", get("title"), 3, 300);
        let kind = e.keep("kind", get("kind").parse::<CapacityKind>());
        let basics = ActivityBasics::parse(&mut e, &get);
        let institution = e.text("institution", get("institution"), 2, 300);
        let female = count(&mut e, "female", get("female"));
        let male = count(&mut e, "male", get("male"));
        let other = count(&mut e, "other", get("other"));
        let v = (|| {
            Some(CapacityDraft {
                title: title?,
                kind: kind?,
                basics: basics?,
                institution: institution?,
                participants: SexCounts {
                    female: female?,
                    male: male?,
                    other: other?,
                },
            })
        })();
        e.done(v).map_err(|errs| in_form_order(errs, FIELDS))
    }

    fn basics(&self) -> &ActivityBasics {
        &self.basics
    }
}

/// One participant listed, for their test scores (0 to 100) before and after.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParticipantDraft {
    /// May be empty: names are optional.
    pub name: String,
    pub sex: Sex,
    pub pre_score: Option<u8>,
    pub post_score: Option<u8>,
}

fn score(e: &mut Errors, field: &str, s: &str) -> Option<Option<u8>> {
    match s.trim() {
        "" => Some(None),
        t => e
            .keep(
                field,
                t.parse::<u8>()
                    .ok()
                    .filter(|n| *n <= 100)
                    .ok_or_else(|| format!("{t:?} is not a score from 0 to 100")),
            )
            .map(Some),
    }
}

impl ParticipantDraft {
    pub fn parse(
        name: &str,
        sex: &str,
        pre: &str,
        post: &str,
    ) -> Result<ParticipantDraft, Vec<FieldError>> {
        let mut e = Errors::default();
        let name = e.text("name", name, 0, 200);
        let sex = e.keep("sex", sex.parse::<Sex>());
        let pre_score = score(&mut e, "pre_score", pre);
        let post_score = score(&mut e, "post_score", post);
        let v = (|| {
            Some(ParticipantDraft {
                name: name?,
                sex: sex?,
                pre_score: pre_score?,
                post_score: post_score?,
            })
        })();
        e.done(v)
    }
}

/// Whether one more participant of `sex` may be listed: no more are listed of a sex than
/// were counted.
pub fn may_list(counts: SexCounts, listed: &[Sex], sex: Sex) -> Result<(), FieldError> {
    let of = |s: Sex| listed.iter().filter(|x| bucket(**x) == bucket(s)).count() as u32;
    let allowed = counts.of(sex);
    if of(sex) >= allowed {
        return Err(FieldError::new(
            "sex",
            format!(
                "{} counted: {allowed}, listed already: {}; raise the count first",
                bucket_label(sex),
                of(sex)
            ),
        ));
    }
    Ok(())
}

fn bucket(s: Sex) -> u8 {
    match s {
        Sex::Female => 0,
        Sex::Male => 1,
        Sex::Other | Sex::Unknown => 2,
    }
}

fn bucket_label(s: Sex) -> &'static str {
    match bucket(s) {
        0 => "Women",
        1 => "Men",
        _ => "Others or not stated",
    }
}

/// The mean test scores of the participants with both, before and after.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TestScores {
    pub n: usize,
    pub before: f64,
    pub after: f64,
}

pub fn test_scores(scores: &[(Option<u8>, Option<u8>)]) -> Option<TestScores> {
    let both: Vec<(f64, f64)> = scores
        .iter()
        .filter_map(|(a, b)| Some((f64::from((*a)?), f64::from((*b)?))))
        .collect();
    if both.is_empty() {
        return None;
    }
    let n = both.len();
    Some(TestScores {
        n,
        before: both.iter().map(|x| x.0).sum::<f64>() / n as f64,
        after: both.iter().map(|x| x.1).sum::<f64>() / n as f64,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    #[test]
    fn a_training_of_srct_staff_as_typed() {
        let f: HashMap<&str, &str> = [
            ("title", "Reintegration case management for SRCT staff"),
            ("kind", "training"),
            ("project", "2"),
            ("office", "4"),
            ("country", "WS"),
            ("institution", "Samoa Returnees Charitable Trust (SRCT)"),
            ("start_on", "2019-03-11"),
            ("end_on", "2019-03-15"),
            ("status", "completed"),
            ("female", "7"),
            ("male", "5"),
        ]
        .into_iter()
        .collect();
        let get = |k: &str| f.get(k).copied().unwrap_or("");
        let a = CapacityDraft::parse(get).expect("valid");
        assert_eq!(
            (a.kind, a.participants.total(), a.participants.other),
            (CapacityKind::Training, 12, 0)
        );
        let bad: HashMap<&str, &str> = [("kind", "party"), ("female", "many"), ("country", "")]
            .into_iter()
            .collect();
        let get = |k: &str| bad.get(k).copied().unwrap_or("");
        let errs = CapacityDraft::parse(get).expect_err("refused");
        let fields: Vec<&str> = errs.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "title",
                "kind",
                "project",
                "office",
                "country",
                "institution",
                "status",
                "female"
            ]
        );
    }

    #[test]
    fn participants_and_their_scores() {
        let p = ParticipantDraft::parse("", "female", "40", "85").expect("anonymous is fine");
        assert_eq!((p.pre_score, p.post_score), (Some(40), Some(85)));
        let errs = ParticipantDraft::parse("", "tall", "101", "x").expect_err("bad");
        assert_eq!(
            errs.iter().map(|e| e.field.as_str()).collect::<Vec<_>>(),
            ["sex", "pre_score", "post_score"]
        );
        let counts = SexCounts {
            female: 1,
            male: 2,
            other: 0,
        };
        assert!(may_list(counts, &[Sex::Male], Sex::Male).is_ok());
        let e = may_list(counts, &[Sex::Female], Sex::Female).expect_err("one woman counted");
        assert_eq!(
            e.reason,
            "Women counted: 1, listed already: 1; raise the count first"
        );
        assert!(
            may_list(counts, &[], Sex::Unknown).is_err(),
            "no one else was counted"
        );
        let t = test_scores(&[(Some(40), Some(80)), (Some(60), Some(90)), (None, Some(70))])
            .expect("two with both");
        assert_eq!((t.n, t.before, t.after), (2, 50.0, 85.0));
        assert_eq!(test_scores(&[(Some(40), None)]), None);
    }
}
