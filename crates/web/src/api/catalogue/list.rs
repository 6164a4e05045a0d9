//! `GET /api/v1/projects`: the catalogue search as JSON.

use super::model::{FacetCount, Facets, ProjectList, ProjectSummary};
use crate::{ApiError, AppState, blocking};
use axum::Json;
use axum::extract::State;
use axum::http::Uri;
use homeward_domain::catalogue::Facet;

/// Search the project portfolio.
///
/// Values of one filter are alternatives; different filters all apply.
#[utoipa::path(
    get,
    path = "/api/v1/projects",
    tag = "projects",
    params(
        ("q" = Option<String>, Query, description = "Words to find in title, summary, objective or outcomes"),
        ("region" = Option<Vec<String>>, Query, description = "IDF region name; repeat for several"),
        ("type" = Option<Vec<String>>, Query, description = "Project type name; repeat for several"),
        ("status" = Option<Vec<String>>, Query, description = "pipeline, active, completed, cancelled or suspended"),
        ("year" = Option<Vec<i32>>, Query, description = "Year of funding"),
        ("coverage" = Option<Vec<String>>, Query, description = "national, regional or global"),
        ("country" = Option<Vec<String>>, Query, description = "Benefiting member state, ISO 3166-1 alpha-2"),
        ("sort" = Option<String>, Query, description = "relevance, newest, oldest, budget_desc, budget_asc or title"),
        ("page" = Option<u32>, Query, description = "From 1"),
        ("per_page" = Option<u32>, Query, description = "1 to 100, default 20"),
    ),
    responses(
        (status = 200, description = "A page of projects with counts per filter value", body = ProjectList),
        (status = 400, description = "A parameter was not understood", body = crate::error::ErrorBody),
    )
)]
pub async fn list(State(state): State<AppState>, uri: Uri) -> Result<Json<ProjectList>, ApiError> {
    let q = crate::links::parse_search(uri.query().unwrap_or("")).map_err(ApiError::BadRequest)?;
    let store = state.store.clone();
    let query = q.clone();
    let result = blocking(move || store.search(&query)).await??;
    let mut facets = Facets::default();
    for (f, values) in &result.facets {
        let counts: Vec<FacetCount> = values.iter().map(FacetCount::from).collect();
        match f {
            Facet::Region => facets.region = counts,
            Facet::ProjectType => facets.project_type = counts,
            Facet::Status => facets.status = counts,
            Facet::Year => facets.year = counts,
            Facet::Coverage => facets.coverage = counts,
            Facet::Country => facets.country = counts,
        }
    }
    Ok(Json(ProjectList {
        total: result.total,
        page: q.page,
        per_page: q.per_page,
        items: result.hits.iter().map(ProjectSummary::from).collect(),
        facets,
    }))
}
