//! Scores from answers. A dimension's score is the weighted mean of the scores of its
//! answered indicators (weights need not sum to one); the composite is the weighted mean
//! of the dimension scores, given only when every weighted dimension has one, so a
//! survey with a whole dimension unanswered is never passed off as complete. An answer
//! the instrument does not score (not known to this version, or an option without a
//! score) counts as unanswered.

use super::{Answers, Instrument};
use crate::reintegration::plan::Dimension;

code_enum!(
    /// Where a composite score falls against the instrument's thresholds.
    Band {
        Low = "low" / "Low",
        Medium = "medium" / "Medium",
        High = "high" / "High",
    }
);

/// A survey's scores under one instrument version, each 0 to 1.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Scores {
    pub economic: Option<f64>,
    pub social: Option<f64>,
    pub psychosocial: Option<f64>,
    pub composite: Option<f64>,
}

impl Scores {
    pub fn dimension(&self, d: Dimension) -> Option<f64> {
        match d {
            Dimension::Economic => self.economic,
            Dimension::Social => self.social,
            Dimension::Psychosocial => self.psychosocial,
        }
    }

    fn set(&mut self, d: Dimension, v: Option<f64>) {
        match d {
            Dimension::Economic => self.economic = v,
            Dimension::Social => self.social = v,
            Dimension::Psychosocial => self.psychosocial = v,
        }
    }
}

/// Weighted mean of (value, weight) pairs; none when the weights come to nothing.
fn weighted_mean(pairs: impl Iterator<Item = (f64, f64)>) -> Option<f64> {
    let (sum, weight) = pairs.fold((0.0, 0.0), |(s, w), (v, wt)| (s + v * wt, w + wt));
    (weight > 0.0).then(|| (sum / weight).clamp(0.0, 1.0))
}

impl Instrument {
    /// Scores the answers by this version's options, weights and dimensions.
    pub fn score(&self, answers: &Answers) -> Scores {
        let mut scores = Scores::default();
        for d in self.dimensions() {
            let v = weighted_mean(
                self.indicators()
                    .iter()
                    .filter(|i| i.dimension == d.code && i.weight > 0.0)
                    .filter_map(|i| {
                        let chosen = answers.get(&i.code)?;
                        let score = i.option(chosen)?.score?;
                        Some((score, i.weight))
                    }),
            );
            scores.set(d.code, v);
        }
        let weighted: Vec<_> = self
            .dimensions()
            .iter()
            .filter(|d| d.weight > 0.0)
            .collect();
        if weighted.iter().all(|d| scores.dimension(d.code).is_some()) {
            scores.composite = weighted_mean(
                weighted
                    .iter()
                    .filter_map(|d| Some((scores.dimension(d.code)?, d.weight))),
            );
        }
        scores
    }

    /// The band a score falls in.
    pub fn band(&self, score: f64) -> Band {
        let t = self.thresholds();
        if score >= t.high {
            Band::High
        } else if score >= t.medium {
            Band::Medium
        } else {
            Band::Low
        }
    }
}
