//! A survey instrument as a file holds it ([`InstrumentFile`], any format that serde
//! reads) and as the program uses it ([`Instrument`]): checked once, so every indicator
//! belongs to a known dimension, every score lies between 0 and 1 and the thresholds rise.

use crate::FieldError;
use crate::reintegration::plan::Dimension;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// Text in several languages, by language code (`en`, `fr`); English is required.
pub type Texts = BTreeMap<String, String>;

/// An instrument as written in a file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InstrumentFile {
    /// Stable name shared by every version, e.g. `homeward-wellbeing`.
    pub code: String,
    pub version: u32,
    pub title: Texts,
    /// Who made it and on what authority, shown wherever its scores are.
    #[serde(default)]
    pub source: String,
    pub thresholds: Thresholds,
    pub dimensions: Vec<DimensionDef>,
    pub indicators: Vec<Indicator>,
}

/// Where the bands start: below `medium` is low, from `high` on is high.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Thresholds {
    pub medium: f64,
    pub high: f64,
}

/// A dimension's weight in the composite score.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DimensionDef {
    pub code: Dimension,
    pub weight: f64,
}

/// One question and how its answers score.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Indicator {
    /// A name usable as an XLSForm field: a letter, then letters, digits or `_`.
    pub code: String,
    pub dimension: Dimension,
    pub weight: f64,
    pub question: Texts,
    pub options: Vec<OptionDef>,
}

/// One answer option; `score` absent means the answer says nothing about reintegration
/// ("does not want to say", "no children") and the indicator counts as unanswered.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OptionDef {
    pub code: String,
    pub label: Texts,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub score: Option<f64>,
}

/// A checked instrument.
#[derive(Debug, Clone, PartialEq)]
pub struct Instrument(InstrumentFile);

/// Names the survey files use for their own fields, so no indicator may take them.
pub const RESERVED: &[&str] = &[
    "case_reference",
    "survey_kind",
    "taken_on",
    "consent",
    "start",
    "end",
    "today",
    "deviceid",
    "instanceid",
];

fn is_name(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && s.len() <= 40
}

fn check_texts(errors: &mut Vec<FieldError>, field: &str, texts: &Texts) {
    if texts.get("en").is_none_or(|t| t.trim().is_empty()) {
        errors.push(FieldError::new(field, "needs an English text (en)"));
    }
    for (lang, text) in texts {
        let ok = (2..=3).contains(&lang.len()) && lang.chars().all(|c| c.is_ascii_lowercase());
        if !ok {
            errors.push(FieldError::new(
                format!("{field}.{lang}"),
                "is not a language code such as en or fr",
            ));
        } else if text.trim().is_empty() {
            errors.push(FieldError::new(format!("{field}.{lang}"), "is empty"));
        }
    }
}

fn check_weight(errors: &mut Vec<FieldError>, field: String, w: f64) {
    if !w.is_finite() || w < 0.0 {
        errors.push(FieldError::new(
            field,
            format!("{w} is not a weight of 0 or more"),
        ));
    }
}

impl Instrument {
    /// Checks a file's instrument, naming every fault by its place in the file.
    pub fn parse(f: InstrumentFile) -> Result<Self, Vec<FieldError>> {
        let mut errors = vec![];
        let code_ok = !f.code.is_empty()
            && f.code.len() <= 60
            && f.code
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_');
        if !code_ok {
            errors.push(FieldError::new(
                "code",
                "use 1 to 60 lower-case letters, digits, - or _",
            ));
        }
        if f.version == 0 {
            errors.push(FieldError::new("version", "versions start at 1"));
        }
        check_texts(&mut errors, "title", &f.title);
        let t = f.thresholds;
        if !(t.medium.is_finite()
            && t.high.is_finite()
            && 0.0 < t.medium
            && t.medium < t.high
            && t.high <= 1.0)
        {
            errors.push(FieldError::new(
                "thresholds",
                format!(
                    "need 0 < medium < high <= 1 (medium {}, high {})",
                    t.medium, t.high
                ),
            ));
        }
        let mut dims = BTreeSet::new();
        for (i, d) in f.dimensions.iter().enumerate() {
            if !dims.insert(d.code) {
                errors.push(FieldError::new(
                    format!("dimensions[{}]", i + 1),
                    format!("{} is listed twice", d.code),
                ));
            }
            check_weight(
                &mut errors,
                format!("dimensions[{}].weight", i + 1),
                d.weight,
            );
        }
        for d in Dimension::ALL {
            if !dims.contains(d) {
                errors.push(FieldError::new(
                    "dimensions",
                    format!("{} is missing: every instrument scores the economic, social and psychosocial dimensions", d.code()),
                ));
            }
        }
        if f.dimensions.iter().all(|d| d.weight <= 0.0) {
            errors.push(FieldError::new(
                "dimensions",
                "at least one weight must be above 0",
            ));
        }
        let mut codes = BTreeSet::new();
        for (i, ind) in f.indicators.iter().enumerate() {
            let at = format!("indicators[{}] ({})", i + 1, ind.code);
            if !is_name(&ind.code) || RESERVED.contains(&ind.code.as_str()) {
                errors.push(FieldError::new(
                    format!("{at}.code"),
                    "use a lower-case letter then letters, digits or _ (at most 40), not a name the survey files use",
                ));
            }
            if !codes.insert(ind.code.as_str()) {
                errors.push(FieldError::new(format!("{at}.code"), "is used twice"));
            }
            check_weight(&mut errors, format!("{at}.weight"), ind.weight);
            check_texts(&mut errors, &format!("{at}.question"), &ind.question);
            if ind.options.len() < 2 {
                errors.push(FieldError::new(
                    format!("{at}.options"),
                    "need at least two",
                ));
            }
            if ind.options.iter().all(|o| o.score.is_none()) {
                errors.push(FieldError::new(
                    format!("{at}.options"),
                    "at least one needs a score",
                ));
            }
            let mut seen = BTreeSet::new();
            for (j, o) in ind.options.iter().enumerate() {
                let oat = format!("{at}.options[{}] ({})", j + 1, o.code);
                if !is_name(&o.code) {
                    errors.push(FieldError::new(
                        format!("{oat}.code"),
                        "use a lower-case letter then letters, digits or _ (at most 40)",
                    ));
                }
                if !seen.insert(o.code.as_str()) {
                    errors.push(FieldError::new(format!("{oat}.code"), "is used twice"));
                }
                check_texts(&mut errors, &format!("{oat}.label"), &o.label);
                if let Some(s) = o.score
                    && !(s.is_finite() && (0.0..=1.0).contains(&s))
                {
                    errors.push(FieldError::new(
                        format!("{oat}.score"),
                        format!("{s} is not between 0 and 1"),
                    ));
                }
            }
        }
        for d in &f.dimensions {
            let weight: f64 = f
                .indicators
                .iter()
                .filter(|i| i.dimension == d.code)
                .map(|i| i.weight)
                .sum();
            if weight <= 0.0 {
                errors.push(FieldError::new(
                    "indicators",
                    format!(
                        "the {} dimension needs an indicator with a weight above 0",
                        d.code
                    ),
                ));
            }
        }
        if errors.is_empty() {
            Ok(Self(f))
        } else {
            Err(errors)
        }
    }

    /// The definition, to write to a file or the database.
    pub fn file(&self) -> &InstrumentFile {
        &self.0
    }

    pub fn code(&self) -> &str {
        &self.0.code
    }

    pub fn version(&self) -> u32 {
        self.0.version
    }

    /// The title in `lang`, or in English.
    pub fn title(&self, lang: &str) -> &str {
        text(&self.0.title, lang)
    }

    pub fn source(&self) -> &str {
        &self.0.source
    }

    pub fn thresholds(&self) -> Thresholds {
        self.0.thresholds
    }

    pub fn dimensions(&self) -> &[DimensionDef] {
        &self.0.dimensions
    }

    pub fn indicators(&self) -> &[Indicator] {
        &self.0.indicators
    }

    pub fn indicator(&self, code: &str) -> Option<&Indicator> {
        self.0.indicators.iter().find(|i| i.code == code)
    }

    /// Every language some text is written in, English first.
    pub fn languages(&self) -> Vec<String> {
        let mut langs: BTreeSet<&str> = self.0.title.keys().map(String::as_str).collect();
        for i in &self.0.indicators {
            langs.extend(i.question.keys().map(String::as_str));
            for o in &i.options {
                langs.extend(o.label.keys().map(String::as_str));
            }
        }
        let mut out = vec!["en".to_owned()];
        out.extend(langs.into_iter().filter(|l| *l != "en").map(str::to_owned));
        out
    }
}

/// A text in `lang`, falling back to English (present in every checked instrument).
fn text<'a>(texts: &'a Texts, lang: &str) -> &'a str {
    texts
        .get(lang)
        .or_else(|| texts.get("en"))
        .map(String::as_str)
        .unwrap_or("")
}

impl Indicator {
    pub fn question(&self, lang: &str) -> &str {
        text(&self.question, lang)
    }

    pub fn option(&self, code: &str) -> Option<&OptionDef> {
        self.options.iter().find(|o| o.code == code)
    }
}

impl OptionDef {
    pub fn label(&self, lang: &str) -> &str {
        text(&self.label, lang)
    }
}
