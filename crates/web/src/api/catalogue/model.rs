//! What the API sends: stable JSON shapes, separate from the storage types so either can
//! change without breaking the other.

use homeward_domain::project::{Indicator, Output, Project};
use homeward_store::catalogue::search::{FacetValue, Hit};
use serde::Serialize;
use utoipa::ToSchema;

/// The API address of a project.
fn api_url(public_id: &str) -> String {
    format!("/api/v1/projects/{}", crate::links::path_segment(public_id))
}

/// A project in a list of results.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProjectSummary {
    /// The Projects ID, or the Prima ID when there is none; used in URLs.
    pub id: String,
    pub projects_id: Option<String>,
    pub prima_id: Option<String>,
    pub title: String,
    pub project_type: Option<String>,
    pub idf_region: Option<String>,
    /// Decimal USD amount, e.g. `"200000.00"`.
    pub budget_usd: Option<String>,
    /// Year of funding.
    pub year: Option<i32>,
    /// `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
    pub start_date: Option<String>,
    pub end_date: Option<String>,
    /// pipeline, active, completed, cancelled or suspended.
    pub status: Option<String>,
    /// national, regional or global.
    pub coverage: Option<String>,
    /// ISO 3166-1 alpha-2 codes.
    pub benefiting_member_states: Vec<String>,
    pub url: String,
}

impl From<&Hit> for ProjectSummary {
    fn from(h: &Hit) -> Self {
        ProjectSummary {
            id: h.public_id.clone(),
            projects_id: h.projects_id.clone(),
            prima_id: h.prima_id.clone(),
            title: h.title.clone(),
            project_type: h.project_type.clone(),
            idf_region: h.idf_region.clone(),
            budget_usd: h.budget.map(|b| b.to_decimal_string()),
            year: h.year,
            start_date: h.start.map(|d| d.to_string()),
            end_date: h.end.map(|d| d.to_string()),
            status: h.status.map(|s| s.code().to_owned()),
            coverage: h.coverage.map(|c| c.code().to_owned()),
            benefiting_member_states: h.member_states.iter().map(|c| c.to_string()).collect(),
            url: api_url(&h.public_id),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FacetCount {
    pub value: String,
    pub count: i64,
    pub selected: bool,
}

impl From<&FacetValue> for FacetCount {
    fn from(v: &FacetValue) -> Self {
        FacetCount {
            value: v.value.clone(),
            count: v.count,
            selected: v.selected,
        }
    }
}

/// Counts per value of each filter, for the same search without that filter.
#[derive(Debug, Serialize, ToSchema, Default)]
pub struct Facets {
    pub region: Vec<FacetCount>,
    #[serde(rename = "type")]
    pub project_type: Vec<FacetCount>,
    pub status: Vec<FacetCount>,
    pub year: Vec<FacetCount>,
    pub coverage: Vec<FacetCount>,
    pub country: Vec<FacetCount>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ProjectList {
    pub total: i64,
    pub page: u32,
    pub per_page: u32,
    pub items: Vec<ProjectSummary>,
    pub facets: Facets,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct IndicatorJson {
    pub text: String,
    pub unit: Option<String>,
    pub baseline: Option<f64>,
    pub target: Option<f64>,
    pub achieved: Option<f64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OutputJson {
    pub text: String,
    pub indicators: Vec<IndicatorJson>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OutcomeJson {
    pub text: String,
    pub indicators: Vec<IndicatorJson>,
    pub outputs: Vec<OutputJson>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ResultsJson {
    pub outcomes: Vec<OutcomeJson>,
    /// Outputs not tied to a stated outcome.
    pub outputs: Vec<OutputJson>,
    pub activities: Vec<String>,
}

/// A project with every published field.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProjectDetail {
    #[serde(flatten)]
    pub summary: ProjectSummary,
    /// individual, community, structural.
    pub levels: Vec<String>,
    pub summary_text: String,
    pub objective: String,
    pub results: ResultsJson,
    pub implementing_office: Option<String>,
    pub partners: Vec<String>,
    pub updated_at: String,
}

fn indicator(i: &Indicator) -> IndicatorJson {
    IndicatorJson {
        text: i.text.clone(),
        unit: i.unit.clone(),
        baseline: i.baseline,
        target: i.target,
        achieved: i.achieved,
    }
}

fn output(o: &Output) -> OutputJson {
    OutputJson {
        text: o.text.clone(),
        indicators: o.indicators.iter().map(indicator).collect(),
    }
}

impl ProjectDetail {
    pub fn new(p: &Project, updated_at: String) -> Self {
        let id = p.public_id();
        ProjectDetail {
            summary: ProjectSummary {
                url: api_url(&id),
                id,
                projects_id: p.projects_id.as_ref().map(|i| i.to_string()),
                prima_id: p.prima_id.as_ref().map(|i| i.to_string()),
                title: p.title.clone(),
                project_type: p.project_type.clone(),
                idf_region: p.idf_region.clone(),
                budget_usd: p.budget.map(|b| b.to_decimal_string()),
                year: p.year,
                start_date: p.start.map(|d| d.to_string()),
                end_date: p.end.map(|d| d.to_string()),
                status: p.status.map(|s| s.code().to_owned()),
                coverage: p.coverage.map(|c| c.code().to_owned()),
                benefiting_member_states: p.member_states.iter().map(|c| c.to_string()).collect(),
            },
            levels: p.levels.iter().map(|l| l.code().to_owned()).collect(),
            summary_text: p.summary.clone(),
            objective: p.objective.clone(),
            results: ResultsJson {
                outcomes: p
                    .results
                    .outcomes
                    .iter()
                    .map(|o| OutcomeJson {
                        text: o.text.clone(),
                        indicators: o.indicators.iter().map(indicator).collect(),
                        outputs: o.outputs.iter().map(output).collect(),
                    })
                    .collect(),
                outputs: p.results.outputs.iter().map(output).collect(),
                activities: p.results.activities.clone(),
            },
            implementing_office: p.implementing_office.clone(),
            partners: p.partners.clone(),
            updated_at,
        }
    }
}
