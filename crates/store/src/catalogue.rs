//! The public catalogue's search: full-text match with ranking, combinable filters, counts
//! per facet value, sorting and pages. SQLite uses FTS5 with BM25; PostgreSQL a weighted
//! tsvector with `ts_rank`. Everything else is the same SQL on both.

use crate::reference::{Lists, RefList};
use crate::sql::Sql;
use crate::{Backend, DbConnection, Store, StoreError};
use diesel::QueryableByName;
use diesel::sql_types::{BigInt, Integer, Nullable, Text};
use homeward_domain::catalogue::{CatalogueQuery, Facet, Sort};
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

#[derive(QueryableByName)]
struct CountRow {
    #[diesel(sql_type = Nullable<Text>)]
    key: Option<String>,
    #[diesel(sql_type = BigInt)]
    n: i64,
}

#[derive(QueryableByName)]
struct Total {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

#[derive(QueryableByName)]
struct IdRow {
    #[diesel(sql_type = BigInt)]
    id: i64,
}

#[derive(QueryableByName)]
struct CountryRow {
    #[diesel(sql_type = BigInt)]
    project_id: i64,
    #[diesel(sql_type = Text)]
    country_code: String,
}

const HIT_COLUMNS: &str = "p.id, p.projects_id, p.prima_id, p.iati_identifier, p.title, p.project_type_id, \
    p.idf_region_id, p.budget_minor, p.budget_currency, p.funding_year, p.start_date, \
    p.end_date, p.status, p.coverage, p.summary, p.objective";

/// The full-text question in each database's syntax. Terms are letters and digits only
/// (see `search_terms`), so quoting them is safe.
fn fts_query(terms: &[String]) -> String {
    terms
        .iter()
        .map(|t| format!("\"{t}\""))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Appends ` AND ...` for every filter and the text search of `q`.
fn push_conditions(sql: &mut Sql, q: &CatalogueQuery, lists: &Lists, with_text: bool) {
    let none = [-1i64];
    let ids_or_none = |ids: Vec<i64>| if ids.is_empty() { none.to_vec() } else { ids };
    if !q.regions.is_empty() {
        sql.push(" AND p.idf_region_id IN ")
            .int_list(&ids_or_none(lists.ids_of(RefList::IdfRegions, &q.regions)));
    }
    if !q.project_types.is_empty() {
        sql.push(" AND p.project_type_id IN ")
            .int_list(&ids_or_none(
                lists.ids_of(RefList::ProjectTypes, &q.project_types),
            ));
    }
    if !q.statuses.is_empty() {
        let codes: Vec<&str> = q.statuses.iter().map(|s| s.code()).collect();
        sql.push(" AND p.status IN ").text_list(&codes);
    }
    if !q.years.is_empty() {
        let years: Vec<i64> = q.years.iter().map(|y| i64::from(*y)).collect();
        sql.push(" AND p.funding_year IN ").int_list(&years);
    }
    if !q.coverages.is_empty() {
        let codes: Vec<&str> = q.coverages.iter().map(|s| s.code()).collect();
        sql.push(" AND p.coverage IN ").text_list(&codes);
    }
    if !q.countries.is_empty() {
        let codes: Vec<&str> = q.countries.iter().map(|c| c.as_str()).collect();
        sql.push(" AND p.id IN (SELECT project_id FROM project_countries WHERE country_code IN ")
            .text_list(&codes)
            .push(")");
    }
    let terms = q.terms();
    if with_text && !terms.is_empty() {
        match sql.backend() {
            Backend::Sqlite => {
                sql.push(
                    " AND p.id IN (SELECT rowid FROM project_search WHERE project_search MATCH ",
                )
                .text(fts_query(&terms))
                .push(")");
            }
            Backend::Postgres => {
                sql.push(" AND p.search_document @@ plainto_tsquery('english', ")
                    .text(terms.join(" "))
                    .push(")");
            }
        }
    }
}

fn order_by(sort: Sort) -> &'static str {
    match sort {
        // Relevance is handled where the rank is joined; this is its tie-break.
        Sort::Relevance | Sort::Newest => " ORDER BY p.funding_year DESC NULLS LAST, p.id DESC",
        Sort::Oldest => " ORDER BY p.funding_year ASC NULLS LAST, p.id ASC",
        Sort::BudgetDesc => " ORDER BY p.budget_minor DESC NULLS LAST, p.id ASC",
        Sort::BudgetAsc => " ORDER BY p.budget_minor ASC NULLS LAST, p.id ASC",
        Sort::Title => " ORDER BY p.title ASC, p.id ASC",
    }
}

/// The page of hits: ranked by the database's text score when sorting by relevance.
fn page_query(backend: Backend, q: &CatalogueQuery, lists: &Lists) -> Sql {
    let mut sql = Sql::new(backend);
    let terms = q.terms();
    let sort = q.effective_sort();
    if sort == Sort::Relevance {
        match backend {
            Backend::Sqlite => {
                // BM25 weights: title, summary, objective, results framework.
                sql.push(&format!(
                    "SELECT {HIT_COLUMNS} FROM projects p JOIN (SELECT rowid AS sid, \
                     bm25(project_search, 10.0, 4.0, 4.0, 2.0) AS score FROM project_search \
                     WHERE project_search MATCH "
                ))
                .text(fts_query(&terms))
                .push(") s ON s.sid = p.id WHERE 1 = 1");
                push_conditions(&mut sql, q, lists, false);
                sql.push(" ORDER BY s.score ASC, p.id ASC");
            }
            Backend::Postgres => {
                sql.push(&format!("SELECT {HIT_COLUMNS} FROM projects p WHERE 1 = 1"));
                push_conditions(&mut sql, q, lists, true);
                sql.push(" ORDER BY ts_rank(p.search_document, plainto_tsquery('english', ")
                    .text(terms.join(" "))
                    .push(")) DESC, p.id ASC");
            }
        }
    } else {
        sql.push(&format!("SELECT {HIT_COLUMNS} FROM projects p WHERE 1 = 1"));
        push_conditions(&mut sql, q, lists, true);
        sql.push(order_by(sort));
    }
    sql.push(" LIMIT ")
        .int(i64::from(q.per_page))
        .push(" OFFSET ")
        .int(q.offset() as i64);
    sql
}

fn facet_query(backend: Backend, facet: Facet, q: &CatalogueQuery, lists: &Lists) -> Sql {
    let base = q.without(facet);
    let mut sql = Sql::new(backend);
    let key = match facet {
        Facet::Region => "CAST(p.idf_region_id AS TEXT)",
        Facet::ProjectType => "CAST(p.project_type_id AS TEXT)",
        Facet::Status => "p.status",
        Facet::Year => "CAST(p.funding_year AS TEXT)",
        Facet::Coverage => "p.coverage",
        Facet::Country => "pc.country_code",
    };
    if facet == Facet::Country {
        sql.push(
            "SELECT pc.country_code AS key, COUNT(*) AS n FROM project_countries pc \
             JOIN projects p ON p.id = pc.project_id WHERE 1 = 1",
        );
    } else {
        sql.push(&format!(
            "SELECT {key} AS key, COUNT(*) AS n FROM projects p WHERE {key} IS NOT NULL"
        ));
    }
    push_conditions(&mut sql, &base, lists, true);
    sql.push(&format!(" GROUP BY {key}"));
    sql
}

fn facet_values(
    facet: Facet,
    rows: Vec<CountRow>,
    q: &CatalogueQuery,
    lists: &Lists,
) -> Vec<FacetValue> {
    let name_of = |map: &HashMap<i64, String>, key: &str| {
        key.parse::<i64>().ok().and_then(|id| map.get(&id).cloned())
    };
    let mut values: Vec<FacetValue> = rows
        .into_iter()
        .filter_map(|r| {
            let key = r.key?;
            let value = match facet {
                Facet::Region => name_of(&lists.regions, &key)?,
                Facet::ProjectType => name_of(&lists.types, &key)?,
                _ => key,
            };
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
            Some(FacetValue {
                value,
                count: r.n,
                selected,
            })
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

fn search_in(
    conn: &mut DbConnection,
    backend: Backend,
    q: &CatalogueQuery,
    with_facets: bool,
) -> Result<SearchResult, StoreError> {
    let lists = Lists::load(conn, backend)?;
    let mut count = Sql::new(backend);
    count.push("SELECT COUNT(*) AS n FROM projects p WHERE 1 = 1");
    push_conditions(&mut count, q, &lists, true);
    let total = count.load::<Total>(conn)?.first().map_or(0, |t| t.n);

    let mut hits: Vec<Hit> = if total == 0 {
        Vec::new()
    } else {
        page_query(backend, q, &lists)
            .load::<HitRow>(conn)?
            .into_iter()
            .map(|r| hit_from_row(r, &lists))
            .collect()
    };
    if !hits.is_empty() {
        let ids: Vec<i64> = hits.iter().map(|h| h.id).collect();
        let mut cq = Sql::new(backend);
        cq.push("SELECT project_id, country_code FROM project_countries WHERE project_id IN ")
            .int_list(&ids)
            .push(" ORDER BY project_id, position");
        let mut by_project: HashMap<i64, Vec<CountryCode>> = HashMap::new();
        for r in cq.load::<CountryRow>(conn)? {
            if let Ok(c) = r.country_code.parse() {
                by_project.entry(r.project_id).or_default().push(c);
            }
        }
        for h in &mut hits {
            h.member_states = by_project.remove(&h.id).unwrap_or_default();
        }
    }

    let mut facets = Vec::new();
    if with_facets {
        for &facet in Facet::ALL {
            let rows = facet_query(backend, facet, q, &lists).load::<CountRow>(conn)?;
            facets.push((facet, facet_values(facet, rows, q, &lists)));
        }
    }
    Ok(SearchResult {
        total,
        hits,
        facets,
    })
}

impl Store {
    /// One page of results with counts per facet value.
    pub fn search(&self, q: &CatalogueQuery) -> Result<SearchResult, StoreError> {
        self.read(|c| search_in(c, self.backend(), q, true))
    }

    /// One page of results without facet counts (for the API's lighter calls).
    pub fn search_page(&self, q: &CatalogueQuery) -> Result<SearchResult, StoreError> {
        self.read(|c| search_in(c, self.backend(), q, false))
    }

    /// The ids of every project the query matches, in its order, for exports of the
    /// current search.
    pub fn search_ids(&self, q: &CatalogueQuery) -> Result<Vec<i64>, StoreError> {
        self.read(|c| {
            let lists = Lists::load(c, self.backend())?;
            let mut sql = Sql::new(self.backend());
            sql.push("SELECT p.id FROM projects p WHERE 1 = 1");
            push_conditions(&mut sql, q, &lists, true);
            sql.push(order_by(match q.effective_sort() {
                Sort::Relevance => Sort::Newest,
                s => s,
            }));
            Ok(sql.load::<IdRow>(c)?.into_iter().map(|r| r.id).collect())
        })
    }
}
