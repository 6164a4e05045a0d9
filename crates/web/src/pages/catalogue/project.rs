//! `GET /projects/{projects id or prima id}`: one project, laid out as the IDF pages are:
//! the published facts, then summary, objective and results framework.

use crate::i18n::{FluentArg, Tr};
use crate::pages::{LangLink, lang_links};
use crate::{AppState, PageError, blocking};
use askama::Template;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, Uri, header};
use axum::response::Html;
use homeward_domain::disclosure;
use homeward_domain::indicator_binding::{CaseMeasure, IndicatorRef};
use homeward_domain::project::{Indicator, Output, Project};
use homeward_store::cases::packages::CaseSpending;
use homeward_store::catalogue::bindings::Measured;
use homeward_store::community::capacity::CapacityLine;
use homeward_store::community::projects::CommunityLine;

pub struct IndicatorView {
    pub text: String,
    pub baseline: String,
    pub target: String,
    pub achieved: String,
    /// Today's value from the project's cases, when the indicator is bound to them.
    pub live: String,
}

/// Bound indicators' values, and how to word them.
struct Live<'a> {
    tr: &'a Tr,
    measured: &'a [Measured],
}

impl Live<'_> {
    fn of(&self, at: IndicatorRef) -> String {
        let Some(m) = self.measured.iter().find(|m| m.at == at) else {
            return String::new();
        };
        if !disclosure::may_show(m.cases) {
            return self.tr.t("indicator-live-withheld");
        }
        let value = match m.measure {
            CaseMeasure::ShareHighComposite => format!("{:.0}%", m.value),
            _ => format!("{:.0}", m.value),
        };
        self.tr
            .ta("indicator-live", &[("value", FluentArg::Str(value))])
    }
}

pub struct OutputView {
    pub text: String,
    pub indicators: Vec<IndicatorView>,
}

pub struct OutcomeView {
    pub text: String,
    pub indicators: Vec<IndicatorView>,
    pub outputs: Vec<OutputView>,
}

#[derive(Template)]
#[template(path = "project.html")]
pub struct ProjectPage {
    pub nav: Option<crate::pages::Nav>,
    pub tr: Tr,
    pub title: String,
    pub lang_links: Vec<LangLink>,
    pub back_href: String,
    pub facts: Vec<(String, String)>,
    pub summary: String,
    pub objective: String,
    pub has_results: bool,
    pub outcomes: Vec<OutcomeView>,
    pub outputs: Vec<OutputView>,
    pub activities: Vec<String>,
    pub levels: Option<LevelsView>,
}

/// The project's work at the community and structural levels and what all three levels
/// spent of its budget.
pub struct LevelsView {
    pub community: Vec<(String, String, String)>,
    pub capacity: Vec<(String, String, String)>,
    /// (level, amount shown)
    pub spending: Vec<(String, String)>,
    pub total: String,
    pub share: String,
}

fn levels(
    tr: &Tr,
    p: &Project,
    cases: &CaseSpending,
    spent: homeward_store::insight::dashboard::LevelSpending,
    community: &[homeward_store::community::projects::CommunityLine],
    capacity: &[homeward_store::community::capacity::CapacityLine],
) -> Option<LevelsView> {
    let usd = crate::pages::community::usd;
    if community.is_empty() && capacity.is_empty() && cases.cases == 0 {
        return None;
    }
    // The individual level stands for cases: under five it is withheld, and so is the total.
    let shown = disclosure::may_show(cases.cases) || cases.cases == 0;
    let individual = if shown {
        usd(cases.total.minor)
    } else {
        tr.t("country-withheld")
    };
    let counted = if shown { cases.total.minor } else { 0 };
    let total = counted + spent.community_usd_minor + spent.structural_usd_minor;
    let share = p
        .budget
        .filter(|b| b.currency.as_str() == "USD")
        .and_then(|b| disclosure::permille(total, b.minor))
        .map(|pm| format!("{}.{}", pm / 10, pm % 10))
        .unwrap_or_default();
    Some(LevelsView {
        community: community
            .iter()
            .map(|c| {
                (
                    format!("/community/{}", c.head.id),
                    c.name.clone(),
                    usd(c.head.spent_usd_minor),
                )
            })
            .collect(),
        capacity: capacity
            .iter()
            .map(|a| {
                (
                    format!("/capacity/{}", a.head.id),
                    a.title.clone(),
                    usd(a.head.spent_usd_minor),
                )
            })
            .collect(),
        spending: vec![
            (tr.t("level-individual"), individual),
            (tr.t("level-community"), usd(spent.community_usd_minor)),
            (tr.t("level-structural"), usd(spent.structural_usd_minor)),
        ],
        total: if shown {
            usd(total)
        } else {
            format!("{} + {}", usd(total), tr.t("country-withheld"))
        },
        share,
    })
}

/// A number as people write it: no trailing `.0`.
fn number(v: Option<f64>, unit: &Option<String>) -> String {
    match v {
        None => "–".to_owned(),
        Some(x) => {
            let n = if x.fract() == 0.0 {
                format!("{x:.0}")
            } else {
                format!("{x}")
            };
            match unit.as_deref() {
                Some("%") => format!("{n}%"),
                _ => n,
            }
        }
    }
}

fn indicators(
    list: &[Indicator],
    live: &Live,
    outcome: usize,
    output: usize,
) -> Vec<IndicatorView> {
    list.iter()
        .enumerate()
        .map(|(k, i)| IndicatorView {
            text: i.text.clone(),
            baseline: number(i.baseline, &i.unit),
            target: number(i.target, &i.unit),
            achieved: number(i.achieved, &i.unit),
            live: live.of(IndicatorRef {
                outcome: outcome as u16,
                output: output as u16,
                item: k as u16 + 1,
            }),
        })
        .collect()
}

fn outputs(list: &[Output], live: &Live, outcome: usize) -> Vec<OutputView> {
    list.iter()
        .enumerate()
        .map(|(j, o)| OutputView {
            text: o.text.clone(),
            indicators: indicators(&o.indicators, live, outcome, j + 1),
        })
        .collect()
}

/// The published facts in the order and wording of the IDF pages.
pub fn facts(tr: &Tr, p: &Project) -> Vec<(String, String)> {
    let missing = || tr.t("not-published");
    let or_missing = |v: Option<String>| v.unwrap_or_else(missing);
    let mut facts = vec![
        (
            tr.t("field-start-date"),
            or_missing(p.start.map(|d| d.to_string())),
        ),
        (
            tr.t("field-end-date"),
            or_missing(p.end.map(|d| d.to_string())),
        ),
        (
            tr.t("field-status"),
            or_missing(p.status.map(|s| tr.t(&format!("status-{}", s.code())))),
        ),
        (tr.t("field-type"), or_missing(p.project_type.clone())),
        (
            tr.t("field-budget"),
            or_missing(p.budget.map(|b| b.to_grouped_string())),
        ),
        (
            tr.t("field-coverage"),
            or_missing(p.coverage.map(|c| tr.t(&format!("coverage-{}", c.code())))),
        ),
        (
            tr.t("field-year"),
            or_missing(p.year.map(|y| y.to_string())),
        ),
        (tr.t("field-region"), or_missing(p.idf_region.clone())),
        (
            tr.t("field-prima-id"),
            or_missing(p.prima_id.as_ref().map(|i| i.to_string())),
        ),
        (
            tr.t("field-projects-id"),
            or_missing(p.projects_id.as_ref().map(|i| i.to_string())),
        ),
        (
            tr.t("field-member-states"),
            or_missing((!p.member_states.is_empty()).then(|| {
                p.member_states
                    .iter()
                    .map(|c| c.name())
                    .collect::<Vec<_>>()
                    .join(", ")
            })),
        ),
    ];
    if !p.levels.is_empty() {
        let levels = p
            .levels
            .iter()
            .map(|l| tr.t(&format!("level-{}", l.code())));
        facts.push((tr.t("field-levels"), levels.collect::<Vec<_>>().join(", ")));
    }
    if let Some(office) = &p.implementing_office {
        facts.push((tr.t("field-office"), office.clone()));
    }
    if !p.partners.is_empty() {
        facts.push((tr.t("field-partners"), p.partners.join("; ")));
    }
    facts
}

/// Individual assistance charged to the project against its budget; withheld while it
/// stands for fewer than five cases, since this page is public.
fn case_spending(tr: &Tr, p: &Project, spent: CaseSpending) -> String {
    if !disclosure::may_show(spent.cases) {
        return tr.ta(
            "case-spending-withheld",
            &[("min", FluentArg::Num(disclosure::MIN_CASES))],
        );
    }
    let share = p
        .budget
        .and_then(|b| disclosure::permille(spent.total.minor, b.minor))
        .map(|pm| format!("{}.{}", pm / 10, pm % 10))
        .unwrap_or_else(|| "–".to_owned());
    tr.ta(
        "case-spending",
        &[
            ("amount", FluentArg::Str(spent.total.to_grouped_string())),
            ("cases", FluentArg::Num(spent.cases)),
            ("share", FluentArg::Str(share)),
        ],
    )
}

/// Back to the search the reader came from, when they came from the catalogue.
fn back_href(headers: &HeaderMap) -> String {
    headers
        .get(header::REFERER)
        .and_then(|v| v.to_str().ok())
        .and_then(|r| r.find("/projects?").map(|i| r[i..].to_owned()))
        .filter(|r| !r.contains(['<', '>', '"']))
        .unwrap_or_else(|| "/projects".to_owned())
}

pub async fn show(
    State(state): State<AppState>,
    Path(id): Path<String>,
    tr: Tr,
    uri: Uri,
    headers: HeaderMap,
) -> Result<Html<String>, PageError> {
    let store = state.store.clone();
    let key = id.clone();
    let stored = blocking(move || store.project(&key))
        .await??
        .ok_or_else(|| PageError::NotFound(format!("The project {id:?}")))?;
    let store = state.store.clone();
    let sid = stored.id;
    let spent = blocking(move || store.project_case_spending(sid)).await??;
    let store = state.store.clone();
    let measured = blocking(move || store.project_measures(sid)).await??;
    let store = state.store.clone();
    let (by_level, community, capacity) =
        blocking(move || -> Result<_, homeward_store::StoreError> {
            Ok((
                store.level_spending(sid)?,
                store.activities::<CommunityLine>(
                    &homeward_store::community::activity::ActivityFilter {
                        country: None,
                        project_id: Some(sid),
                    },
                )?,
                store.activities::<CapacityLine>(
                    &homeward_store::community::activity::ActivityFilter {
                        country: None,
                        project_id: Some(sid),
                    },
                )?,
            ))
        })
        .await??;
    let live = Live {
        tr: &tr,
        measured: &measured,
    };
    let p = stored.project;
    let mut facts = facts(&tr, &p);
    if spent.cases > 0 {
        facts.push((tr.t("field-case-spending"), case_spending(&tr, &p, spent)));
    }
    let page = ProjectPage {
        nav: None,
        title: p.title.clone(),
        lang_links: lang_links(&tr, &uri),
        back_href: back_href(&headers),
        facts,
        summary: p.summary.clone(),
        objective: p.objective.clone(),
        has_results: !p.results.is_empty(),
        outcomes: p
            .results
            .outcomes
            .iter()
            .enumerate()
            .map(|(i, o)| OutcomeView {
                text: o.text.clone(),
                indicators: indicators(&o.indicators, &live, i + 1, 0),
                outputs: outputs(&o.outputs, &live, i + 1),
            })
            .collect(),
        outputs: outputs(&p.results.outputs, &live, 0),
        activities: p.results.activities.clone(),
        levels: levels(&tr, &p, &spent, by_level, &community, &capacity),
        tr,
    };
    Ok(Html(
        page.render()
            .map_err(|e| PageError::Internal(e.to_string()))?,
    ))
}
