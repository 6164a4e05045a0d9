//! What a returnee answered in one survey, checked against the instrument it was taken
//! with, and when in the case the survey was taken.

use super::Instrument;
use crate::FieldError;
use std::collections::BTreeMap;

code_enum!(
    /// When in the case a survey is taken.
    SurveyKind {
        Baseline = "baseline" / "Baseline (before the plan)",
        FollowUp = "follow_up" / "Follow-up",
    }
);

/// Answers by indicator code: option codes of the instrument they were checked against.
/// Unanswered indicators are simply absent.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Answers(BTreeMap<String, String>);

impl Answers {
    /// Checks raw answers (indicator code → option code; an empty answer is skipped),
    /// naming each indicator that does not exist and each answer that is not one of its
    /// options.
    pub fn check<I, K, V>(instrument: &Instrument, raw: I) -> Result<Self, Vec<FieldError>>
    where
        I: IntoIterator<Item = (K, V)>,
        K: AsRef<str>,
        V: AsRef<str>,
    {
        let mut out = BTreeMap::new();
        let mut errors = vec![];
        for (k, v) in raw {
            let (k, v) = (k.as_ref().trim(), v.as_ref().trim());
            if v.is_empty() {
                continue;
            }
            match instrument.indicator(k) {
                None => errors.push(FieldError::new(
                    k,
                    format!(
                        "is not an indicator of {} version {}",
                        instrument.code(),
                        instrument.version()
                    ),
                )),
                Some(ind) => match ind.option(v) {
                    Some(o) => {
                        out.insert(k.to_owned(), o.code.clone());
                    }
                    None => errors.push(FieldError::new(
                        k,
                        format!(
                            "{v:?} is not one of its answers: {}",
                            ind.options
                                .iter()
                                .map(|o| o.code.as_str())
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                    )),
                },
            }
        }
        if errors.is_empty() {
            Ok(Self(out))
        } else {
            Err(errors)
        }
    }

    /// Answers as stored before, kept as they are even where a later instrument no
    /// longer knows them (scoring skips those).
    pub fn stored(map: BTreeMap<String, String>) -> Self {
        Self(map)
    }

    pub fn get(&self, indicator: &str) -> Option<&str> {
        self.0.get(indicator).map(String::as_str)
    }

    pub fn as_map(&self) -> &BTreeMap<String, String> {
        &self.0
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}
