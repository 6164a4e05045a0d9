//! The public catalogue's search: full-text match with ranking, combinable filters, counts
//! per facet value, sorting and pages. The database matches and ranks text (SQLite FTS5
//! with BM25, PostgreSQL a weighted tsvector with `ts_rank`); filters, counts and order
//! come from the facet index (see `facets`); the page's rows are read back by id.

use super::{CountryRow, Lists};
use crate::db::sql::Sql;
use crate::{Backend, DbConnection, Store, StoreError};
use diesel::QueryableByName;
use diesel::sql_types::{BigInt, Integer, Nullable, Text};
use homeward_domain::catalogue::{CatalogueQuery, Facet};
use homeward_domain::project::{Coverage, ProjectStatus};
use homeward_domain::{CountryCode, CurrencyCode, Money, PartialDate};
use std::collections::HashMap;

/// One project in a list of results: what a catalogue row shows.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    pub id: i64,
    pub public_id: String,
    pub projects_id: Option<String>,
    pub prima_id: Option<String>,
    pub title: String,
    pub project_type: Option<String>,
    pub idf_region: Option<String>,
    pub budget: Option<Money>,
    pub year: Option<i32>,
    pub start: Option<PartialDate>,
    pub end: Option<PartialDate>,
    pub status: Option<ProjectStatus>,
    pub coverage: Option<Coverage>,
    pub member_states: Vec<CountryCode>,
    pub summary: String,
    pub objective: String,
}

/// How many results one facet value would give.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FacetValue {
    /// The value as it goes into the URL (region name, status code, year, country code).
    pub value: String,
    pub count: i64,
    pub selected: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SearchResult {
    pub total: i64,
    pub hits: Vec<Hit>,
    pub facets: Vec<(Facet, Vec<FacetValue>)>,
}

#[derive(QueryableByName)]
struct HitRow {
    #[diesel(sql_type = BigInt)]
    id: i64,
    #[diesel(sql_type = Nullable<Text>)]
    projects_id: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    prima_id: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    iati_identifier: Option<String>,
    #[diesel(sql_type = Text)]
    title: String,
    #[diesel(sql_type = Nullable<BigInt>)]
    project_type_id: Option<i64>,
    #[diesel(sql_type = Nullable<BigInt>)]
    idf_region_id: Option<i64>,
    #[diesel(sql_type = Nullable<BigInt>)]
    budget_minor: Option<i64>,
    #[diesel(sql_type = Nullable<Text>)]
    budget_currency: Option<String>,
    #[diesel(sql_type = Nullable<Integer>)]
    funding_year: Option<i32>,
    #[diesel(sql_type = Nullable<Text>)]
    start_date: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    end_date: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    status: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    coverage: Option<String>,
    #[diesel(sql_type = Text)]
    summary: String,
    #[diesel(sql_type = Text)]
    objective: String,
}

const HIT_COLUMNS: &str = "p.id, p.projects_id, p.prima_id, p.iati_identifier, p.title, p.project_type_id, \
    p.idf_region_id, p.budget_minor, p.budget_currency, p.funding_year, p.start_date, \
    p.end_date, p.status, p.coverage, p.summary, p.objective";

fn facet_values(facet: Facet, counts: Vec<(String, i64)>, q: &CatalogueQuery) -> Vec<FacetValue> {
    let mut values: Vec<FacetValue> = counts
        .into_iter()
        .map(|(value, count)| {
            let selected = match facet {
                Facet::Region => q.regions.iter().any(|v| v.eq_ignore_ascii_case(&value)),
                Facet::ProjectType => q
                    .project_types
                    .iter()
                    .any(|v| v.eq_ignore_ascii_case(&value)),
                Facet::Status => q.statuses.iter().any(|s| s.code() == value),
                Facet::Year => q.years.iter().any(|y| y.to_string() == value),
                Facet::Coverage => q.coverages.iter().any(|c| c.code() == value),
                Facet::Country => q.countries.iter().any(|c| c.as_str() == value),
            };
            FacetValue {
                value,
                count,
                selected,
            }
        })
        .collect();
    match facet {
        // Years newest first; the others by how many results they give, then by name.
        Facet::Year => values.sort_by(|a, b| b.value.cmp(&a.value)),
        _ => values.sort_by(|a, b| b.count.cmp(&a.count).then(a.value.cmp(&b.value))),
    }
    values
}

fn hit_from_row(r: HitRow, lists: &Lists) -> Hit {
    let currency = r
        .budget_currency
        .as_deref()
        .and_then(|c| c.parse::<CurrencyCode>().ok())
        .unwrap_or(CurrencyCode::USD);
    Hit {
        id: r.id,
        public_id: r
            .projects_id
            .clone()
            .or(r.prima_id.clone())
            .or(r.iati_identifier)
            .unwrap_or_default(),
        projects_id: r.projects_id,
        prima_id: r.prima_id,
        title: r.title,
        project_type: r.project_type_id.and_then(|i| lists.types.get(&i).cloned()),
        idf_region: r.idf_region_id.and_then(|i| lists.regions.get(&i).cloned()),
        budget: r.budget_minor.map(|m| Money::new(m, currency)),
        year: r.funding_year,
        start: r.start_date.and_then(|d| d.parse().ok()),
        end: r.end_date.and_then(|d| d.parse().ok()),
        status: r.status.and_then(|s| s.parse().ok()),
        coverage: r.coverage.and_then(|s| s.parse().ok()),
        member_states: Vec::new(),
        summary: r.summary,
        objective: r.objective,
    }
}

/// The rows of the projects `ids`, in that order, with their countries.
fn hits(
    conn: &mut DbConnection,
    backend: Backend,
    lists: &Lists,
    ids: &[i64],
) -> Result<Vec<Hit>, StoreError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut q = Sql::new(backend);
    q.push(&format!(
        "SELECT {HIT_COLUMNS} FROM projects p WHERE p.id IN "
    ))
    .int_list(ids);
    let mut by_id: HashMap<i64, Hit> = q
        .load::<HitRow>(conn)?
        .into_iter()
        .map(|r| (r.id, hit_from_row(r, lists)))
        .collect();
    let mut cq = Sql::new(backend);
    cq.push("SELECT project_id, country_code FROM project_countries WHERE project_id IN ")
        .int_list(ids)
        .push(" ORDER BY project_id, position");
    for r in cq.load::<CountryRow>(conn)? {
        if let (Some(h), Ok(c)) = (by_id.get_mut(&r.project_id), r.country_code.parse()) {
            h.member_states.push(c);
        }
    }
    Ok(ids.iter().filter_map(|id| by_id.remove(id)).collect())
}

impl Store {
    /// One page of results with counts per facet value (each facet counted as if its own
    /// filter were not set, so other values can be added to it).
    pub fn search(&self, q: &CatalogueQuery) -> Result<SearchResult, StoreError> {
        self.read(|c| {
            let (ix, found) = self.facets.search(c, self.backend(), q)?;
            Ok(SearchResult {
                total: found.total as i64,
                hits: hits(c, self.backend(), &ix.lists, &found.page)?,
                facets: found
                    .facets
                    .into_iter()
                    .map(|(f, counts)| (f, facet_values(f, counts, q)))
                    .collect(),
            })
        })
    }

    /// The ids of every project the query matches, in its order, for exports of the
    /// current search.
    pub fn search_ids(&self, q: &CatalogueQuery) -> Result<Vec<i64>, StoreError> {
        self.read(|c| Ok(self.facets.search(c, self.backend(), q)?.1.all))
    }
}
