//! Project indicators that count themselves from case data: an indicator of a project's
//! results framework, named by its place (`outcome.output.item`), bound to a measure of
//! the cases the project pays for, so its achieved value is always today's.

use crate::FieldError;

code_enum!(
    /// What a bound indicator counts among the project's cases.
    CaseMeasure {
        ReturneesRegistered = "returnees_registered" / "Returnees whose case the project funds",
        ReturneesAssisted = "returnees_assisted" / "Returnees given assistance charged to the project",
        PlansApproved = "plans_approved" / "Reintegration plans agreed",
        ShareHighComposite = "share_high_composite" / "Share of surveyed returnees in the high band (%)",
    }
);

/// An indicator's place in a results framework: outcome, output and item numbers, as the
/// framework lists them (0 where there is no outcome or no output): `1.0.2` is the second
/// indicator of outcome 1, `1.2.1` the first of output 2 under outcome 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct IndicatorRef {
    pub outcome: u16,
    pub output: u16,
    pub item: u16,
}

impl IndicatorRef {
    pub fn parse(s: &str) -> Result<Self, FieldError> {
        let bad = || {
            FieldError::new(
                "indicator",
                format!("{s:?} is not an indicator's place such as 1.0.2 (outcome.output.item)"),
            )
        };
        let parts: Vec<u16> = s
            .trim()
            .split('.')
            .map(|p| p.parse::<u16>().map_err(|_| bad()))
            .collect::<Result<_, _>>()?;
        match parts.as_slice() {
            [outcome, output, item] if *item > 0 && (*outcome > 0 || *output > 0) => Ok(Self {
                outcome: *outcome,
                output: *output,
                item: *item,
            }),
            _ => Err(bad()),
        }
    }
}

/// Every indicator of a results framework with its place, in the order the framework
/// lists them: an outcome's own indicators (`1.0.1`), then its outputs' (`1.1.1`), then the
/// outputs outside any outcome (`0.1.1`).
pub fn places(
    rf: &crate::project::ResultsFramework,
) -> Vec<(IndicatorRef, &crate::project::Indicator)> {
    let at = |outcome: usize, output: usize, item: usize| IndicatorRef {
        outcome: u16::try_from(outcome).unwrap_or(u16::MAX),
        output: u16::try_from(output).unwrap_or(u16::MAX),
        item: u16::try_from(item).unwrap_or(u16::MAX),
    };
    let mut out = vec![];
    for (i, o) in rf.outcomes.iter().enumerate() {
        out.extend(
            o.indicators
                .iter()
                .enumerate()
                .map(|(k, x)| (at(i + 1, 0, k + 1), x)),
        );
        for (j, p) in o.outputs.iter().enumerate() {
            out.extend(
                p.indicators
                    .iter()
                    .enumerate()
                    .map(|(k, x)| (at(i + 1, j + 1, k + 1), x)),
            );
        }
    }
    for (j, p) in rf.outputs.iter().enumerate() {
        out.extend(
            p.indicators
                .iter()
                .enumerate()
                .map(|(k, x)| (at(0, j + 1, k + 1), x)),
        );
    }
    out
}

impl std::fmt::Display for IndicatorRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}.{}.{}", self.outcome, self.output, self.item)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn places_parse_and_print_alike() {
        let r = IndicatorRef::parse(" 1.0.2 ").expect("valid");
        assert_eq!((r.outcome, r.output, r.item), (1, 0, 2));
        assert_eq!(r.to_string(), "1.0.2");
        for bad in ["1.2", "0.0.1", "1.1.0", "a.b.c", "1.1.1.1", ""] {
            assert!(IndicatorRef::parse(bad).is_err(), "{bad}");
        }
        assert_eq!(
            "share_high_composite".parse::<CaseMeasure>(),
            Ok(CaseMeasure::ShareHighComposite)
        );
    }

    #[test]
    fn every_indicator_has_its_place() {
        use crate::project::{Indicator, Outcome, Output, ResultsFramework};
        let i = |t: &str| Indicator {
            text: t.into(),
            ..Default::default()
        };
        let rf = ResultsFramework {
            outcomes: vec![Outcome {
                text: "o".into(),
                indicators: vec![i("a"), i("b")],
                outputs: vec![Output {
                    text: "p".into(),
                    indicators: vec![i("c")],
                }],
            }],
            outputs: vec![Output {
                text: "q".into(),
                indicators: vec![i("d")],
            }],
            activities: vec![],
        };
        let got: Vec<(String, &str)> = places(&rf)
            .iter()
            .map(|(at, x)| (at.to_string(), x.text.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                ("1.0.1".to_owned(), "a"),
                ("1.0.2".into(), "b"),
                ("1.1.1".into(), "c"),
                ("0.1.1".into(), "d")
            ]
        );
    }
}
