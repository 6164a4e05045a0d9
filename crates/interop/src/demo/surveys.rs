//! Well-being surveys for synthetic cases: a baseline soon after arrival and follow-ups at
//! 3, 6 and 12 months once assistance has begun, as far as today and the closure allow.
//! Answers follow a person's level, which mostly rises after assistance and for some
//! stays where it was; a few questions are declined.

use homeward_domain::date::Ymd;
use homeward_domain::reintegration::tasks::add_months;
use homeward_domain::survey::{Instrument, SurveyKind};
use homeward_store::bulk::surveys::BulkSurvey;
use rand::Rng;
use rand::rngs::StdRng;
use std::collections::BTreeMap;

fn after(rng: &mut StdRng, d: Ymd, lo: i64, hi: i64) -> Ymd {
    Ymd::from_days(d.to_days() + rng.random_range(lo..=hi))
}

/// Answers for someone at `level` (0 to 1) on every indicator.
fn answers(rng: &mut StdRng, i: &Instrument, level: f64) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for ind in i.indicators() {
        let declined: Vec<&str> = ind
            .options
            .iter()
            .filter(|o| o.score.is_none())
            .map(|o| o.code.as_str())
            .collect();
        if !declined.is_empty() && rng.random_range(0..100) < 4 {
            out.insert(ind.code.clone(), declined[0].to_owned());
            continue;
        }
        let target = (level + rng.random_range(-0.3..0.3)).clamp(0.0, 1.0);
        let best = ind
            .options
            .iter()
            .filter_map(|o| Some((o, (o.score? - target).abs())))
            .min_by(|a, b| a.1.total_cmp(&b.1))
            .map(|(o, _)| o.code.clone());
        if let Some(code) = best {
            out.insert(ind.code.clone(), code);
        }
    }
    out
}

/// The surveys of one case: `until` is the closure or today; follow-ups only when
/// assistance began (`assisted`).
pub(super) fn surveys_for(
    rng: &mut StdRng,
    i: &Instrument,
    arrived: Ymd,
    assisted: bool,
    until: Ymd,
) -> Vec<BulkSurvey> {
    let mut out = vec![];
    let baseline = after(rng, arrived, 3, 15);
    if baseline > until {
        return out;
    }
    let mut level = rng.random_range(0.15..0.55);
    out.push(BulkSurvey {
        kind: SurveyKind::Baseline,
        taken_on: baseline,
        answers: answers(rng, i, level),
    });
    if !assisted {
        return out;
    }
    let rises = rng.random_range(0..100) < 80;
    for months in [3, 6, 12] {
        let on = after(rng, add_months(arrived, months), -10, 20);
        if on > until {
            break;
        }
        if rises {
            level = (level + rng.random_range(0.05..0.2)).min(0.95);
        }
        out.push(BulkSurvey {
            kind: SurveyKind::FollowUp,
            taken_on: on,
            answers: answers(rng, i, level),
        });
    }
    out
}
