//! Measuring whether reintegration lasts: survey instruments (versioned definitions of
//! dimensions, indicators, scored answer options, weights and thresholds), the answers a
//! returnee gives, and the scores computed from them. An instrument can only be built by
//! [`Instrument::parse`], so everything downstream holds a checked one.

mod answers;
mod instrument;
mod scoring;

pub use answers::{Answers, SurveyKind};
pub use instrument::{
    DimensionDef, Indicator, Instrument, InstrumentFile, OptionDef, Texts, Thresholds,
};
pub use scoring::{Band, Scores};

#[cfg(test)]
mod tests;
