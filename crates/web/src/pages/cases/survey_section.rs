//! The surveys section of the case page: the scores over time as a chart and a table, the
//! answers for who may see them, and the form with the current instrument's questions.

use crate::charts::scores::{ScorePoint, scores_over_time};
use crate::i18n::Tr;
use crate::pages::Choice;
use homeward_domain::survey::{Instrument, SurveyKind};
use homeward_store::survey::surveys::SurveyRow;

/// Answer fields are named `a_<indicator>`, apart from the survey's own fields.
/// The prefix of an answer's field in the survey form: `a_` and the indicator's code.
pub(super) const ANSWER: &str = "a_";

/// One question of the form.
pub struct Question {
    pub field: String,
    pub text: String,
    pub dimension: String,
    pub options: Vec<Choice>,
}

/// One survey in the table.
pub struct SurveyLine {
    pub taken_on: String,
    pub kind: String,
    pub taken_with: String,
    pub by: String,
    /// Economic, social, psychosocial, composite, as shown.
    pub scores: [String; 4],
    pub band: String,
    /// (question, answer).
    pub answers: Vec<(String, String)>,
}

/// The surveys part of the case page.
pub struct SurveysPart {
    /// Title and source of the current instrument, and its id for the form.
    pub instrument: Option<(i64, String, String)>,
    pub questions: Vec<Question>,
    pub kinds: Vec<Choice>,
    pub lines: Vec<SurveyLine>,
    pub chart: Option<String>,
    /// The returnee consents to surveys today.
    pub consent: bool,
}

fn shown(v: Option<f64>) -> String {
    v.map(|x| format!("{x:.2}"))
        .unwrap_or_else(|| "–".to_owned())
}

/// Builds the part from the case's surveys and the current instrument.
pub(crate) fn part(
    tr: &Tr,
    rows: &[SurveyRow],
    current: Option<&(i64, Instrument)>,
    consent: bool,
) -> SurveysPart {
    let lang = tr.code;
    let has_baseline = rows.iter().any(|r| r.kind == SurveyKind::Baseline);
    let lines = rows
        .iter()
        .map(|r| SurveyLine {
            taken_on: r.taken_on.clone(),
            kind: tr.t(&format!("survey-kind-{}", r.kind.code())),
            taken_with: r.taken_with.clone(),
            by: r.by.clone(),
            scores: [
                shown(r.scores.economic),
                shown(r.scores.social),
                shown(r.scores.psychosocial),
                shown(r.scores.composite),
            ],
            band: r
                .band
                .as_ref()
                .map(|b| tr.t(&format!("band-{b}")))
                .unwrap_or_else(|| "–".to_owned()),
            answers: r
                .answers
                .iter()
                .map(|(q, o)| match current.and_then(|(_, i)| i.indicator(q)) {
                    Some(ind) => (
                        ind.question(lang).to_owned(),
                        ind.option(o)
                            .map(|x| x.label(lang).to_owned())
                            .unwrap_or_else(|| o.clone()),
                    ),
                    None => (q.clone(), o.clone()),
                })
                .collect(),
        })
        .collect();
    let points: Vec<ScorePoint> = rows
        .iter()
        .filter(|r| r.scores != Default::default())
        .map(|r| ScorePoint {
            label: r.taken_on.clone(),
            values: [
                r.scores.economic,
                r.scores.social,
                r.scores.psychosocial,
                r.scores.composite,
            ],
        })
        .collect();
    let chart = (!points.is_empty()).then(|| {
        let thresholds = current
            .map(|(_, i)| {
                let t = i.thresholds();
                vec![(tr.t("band-medium"), t.medium), (tr.t("band-high"), t.high)]
            })
            .unwrap_or_default();
        scores_over_time(
            &points,
            [
                &tr.t("dimension-economic"),
                &tr.t("dimension-social"),
                &tr.t("dimension-psychosocial"),
                &tr.t("score-composite"),
            ],
            &thresholds,
            &tr.t("survey-chart-title"),
            &tr.t("survey-chart-desc"),
        )
    });
    let questions = current
        .map(|(_, i)| {
            i.indicators()
                .iter()
                .map(|ind| Question {
                    field: format!("{ANSWER}{}", ind.code),
                    text: ind.question(lang).to_owned(),
                    dimension: tr.t(&format!("dimension-{}", ind.dimension.code())),
                    options: ind
                        .options
                        .iter()
                        .map(|o| Choice {
                            value: o.code.clone(),
                            label: o.label(lang).to_owned(),
                            selected: false,
                        })
                        .collect(),
                })
                .collect()
        })
        .unwrap_or_default();
    SurveysPart {
        instrument: current.map(|(id, i)| (*id, i.title(lang).to_owned(), i.source().to_owned())),
        questions,
        kinds: SurveyKind::ALL
            .iter()
            .filter(|k| !(has_baseline && **k == SurveyKind::Baseline))
            .map(|k| Choice {
                value: k.code().to_owned(),
                label: tr.t(&format!("survey-kind-{}", k.code())),
                selected: false,
            })
            .collect(),
        lines,
        chart,
        consent,
    }
}
