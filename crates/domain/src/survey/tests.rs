//! Scoring checked against sums worked by hand.

use super::*;
use crate::reintegration::plan::Dimension;

fn texts(en: &str) -> Texts {
    Texts::from([("en".to_owned(), en.to_owned())])
}

fn opt(code: &str, score: Option<f64>) -> OptionDef {
    OptionDef {
        code: code.into(),
        label: texts(code),
        score,
    }
}

fn ind(code: &str, dimension: Dimension, weight: f64, options: Vec<OptionDef>) -> Indicator {
    Indicator {
        code: code.into(),
        dimension,
        weight,
        question: texts(&format!("{code}?")),
        options,
    }
}

/// Weights that do not sum to one: economic 2, social 1, psychosocial 1; income weighs
/// twice debt.
fn file() -> InstrumentFile {
    InstrumentFile {
        code: "test".into(),
        version: 1,
        title: texts("Test"),
        source: "tests".into(),
        thresholds: Thresholds {
            medium: 0.4,
            high: 0.7,
        },
        dimensions: vec![
            DimensionDef {
                code: Dimension::Economic,
                weight: 2.0,
            },
            DimensionDef {
                code: Dimension::Social,
                weight: 1.0,
            },
            DimensionDef {
                code: Dimension::Psychosocial,
                weight: 1.0,
            },
        ],
        indicators: vec![
            ind(
                "income",
                Dimension::Economic,
                2.0,
                vec![
                    opt("none", Some(0.0)),
                    opt("some", Some(0.5)),
                    opt("enough", Some(1.0)),
                ],
            ),
            ind(
                "debt",
                Dimension::Economic,
                1.0,
                vec![
                    opt("heavy", Some(0.0)),
                    opt("some", Some(0.5)),
                    opt("none", Some(1.0)),
                    opt("refused", None),
                ],
            ),
            ind(
                "housing",
                Dimension::Social,
                1.0,
                vec![opt("poor", Some(0.0)), opt("adequate", Some(1.0))],
            ),
            ind(
                "distress",
                Dimension::Psychosocial,
                1.0,
                vec![
                    opt("often", Some(0.0)),
                    opt("sometimes", Some(0.5)),
                    opt("never", Some(1.0)),
                ],
            ),
        ],
    }
}

fn answers(i: &Instrument, pairs: &[(&str, &str)]) -> Answers {
    Answers::check(i, pairs.iter().copied()).expect("valid answers")
}

fn close(a: Option<f64>, b: f64) -> bool {
    a.is_some_and(|a| (a - b).abs() < 1e-9)
}

#[test]
fn weighted_means_by_hand() {
    let i = Instrument::parse(file()).expect("valid");
    let s = i.score(&answers(
        &i,
        &[
            ("income", "some"),
            ("debt", "none"),
            ("housing", "adequate"),
            ("distress", "sometimes"),
        ],
    ));
    // economic (0.5×2 + 1×1) / 3; composite (2/3×2 + 1×1 + 0.5×1) / 4.
    assert!(close(s.economic, 2.0 / 3.0), "{s:?}");
    assert!(close(s.social, 1.0));
    assert!(close(s.psychosocial, 0.5));
    assert!(close(s.composite, (4.0 / 3.0 + 1.5) / 4.0), "{s:?}");
    assert_eq!(i.band(s.composite.unwrap_or_default()), Band::High);
}

#[test]
fn unscored_and_missing_answers_leave_the_mean_of_the_rest() {
    let i = Instrument::parse(file()).expect("valid");
    let s = i.score(&answers(
        &i,
        &[
            ("income", "some"),
            ("debt", "refused"),
            ("housing", "adequate"),
            ("distress", "sometimes"),
        ],
    ));
    assert!(close(s.economic, 0.5), "{s:?}");
    assert!(close(s.composite, 2.5 / 4.0), "{s:?}");
    assert_eq!(i.band(0.625), Band::Medium);
    assert_eq!(i.band(0.39), Band::Low);
    // A whole dimension unanswered: its score and the composite are left out.
    let s = i.score(&answers(&i, &[("income", "enough"), ("distress", "never")]));
    assert!(close(s.economic, 1.0));
    assert_eq!(s.social, None);
    assert_eq!(s.composite, None);
    assert_eq!(i.score(&Answers::default()), Scores::default());
}

#[test]
fn a_new_version_rescores_the_same_answers() {
    let v1 = Instrument::parse(file()).expect("valid");
    let raw = answers(
        &v1,
        &[
            ("income", "some"),
            ("debt", "none"),
            ("housing", "adequate"),
            ("distress", "sometimes"),
        ],
    );
    let mut f = file();
    f.version = 2;
    // Income now weighs as much as debt, and "some" debt scores lower.
    f.indicators[0].weight = 1.0;
    f.indicators[1].options[1].score = Some(0.25);
    // Distress's answers were renamed: the old answer is not known any more.
    f.indicators[3].options[1].code = "at_times".into();
    let v2 = Instrument::parse(f).expect("valid");
    let s2 = v2.score(&Answers::stored(raw.as_map().clone()));
    assert!(close(s2.economic, 0.75), "{s2:?}");
    assert_eq!(s2.psychosocial, None);
    assert_eq!(s2.composite, None);
    // The old version's score is unchanged by the new one.
    assert!(close(v1.score(&raw).economic, 2.0 / 3.0));
}

#[test]
fn answers_are_checked_against_the_instrument() {
    let i = Instrument::parse(file()).expect("valid");
    let errs = Answers::check(&i, [("income", "lots"), ("pets", "dog"), ("debt", " ")])
        .expect_err("refused");
    assert_eq!(errs.len(), 2);
    assert_eq!(errs[0].field, "income");
    assert!(errs[0].reason.contains("none, some, enough"), "{}", errs[0]);
    assert_eq!(errs[1].field, "pets");
}

#[test]
fn faulty_instruments_are_refused_with_the_place_named() {
    let mut f = file();
    f.version = 0;
    f.thresholds.medium = 0.8;
    f.dimensions.pop();
    f.indicators[0].options[1].score = Some(1.5);
    f.indicators[1].code = "income".into();
    f.indicators[2].question.clear();
    let errs: Vec<String> = Instrument::parse(f)
        .expect_err("refused")
        .iter()
        .map(ToString::to_string)
        .collect();
    let has = |s: &str| errs.iter().any(|e| e.contains(s));
    assert!(has("version: versions start at 1"), "{errs:#?}");
    assert!(has("thresholds: need 0 < medium < high"));
    assert!(has("psychosocial is missing"));
    assert!(has(
        "indicators[1] (income).options[2] (some).score: 1.5 is not between 0 and 1"
    ));
    assert!(has("indicators[2] (income).code: is used twice"));
    assert!(has(
        "indicators[3] (housing).question: needs an English text"
    ));
}
