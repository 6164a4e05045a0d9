//! The portfolio repository: saving projects (insert or update by Projects ID or Prima ID),
//! loading them whole, and keeping the search index in step.

use super::reference::ensure_entry;
use super::{Lists, RefList};
use crate::db::schema::{project_countries, project_results, projects};
use crate::db::sql::Sql;
use crate::{Backend, DbConnection, Store, StoreError, utc_now};
use diesel::prelude::*;
use homeward_domain::project::{
    Coverage, Indicator, Level, Outcome, Output, Project, ProjectStatus, ResultsFramework,
};
use homeward_domain::{CountryCode, CurrencyCode, Money, PartialDate};

/// A project as stored, with its database id and timestamps.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredProject {
    pub id: i64,
    pub project: Project,
    pub created_at: String,
    pub updated_at: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Saved {
    Created(i64),
    Updated(i64),
}

impl Saved {
    pub fn id(&self) -> i64 {
        match self {
            Saved::Created(i) | Saved::Updated(i) => *i,
        }
    }
}

/// How many projects a batch created and updated.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SaveCounts {
    pub created: usize,
    pub updated: usize,
}

#[derive(Insertable, AsChangeset)]
#[diesel(table_name = projects, treat_none_as_null = true)]
struct ProjectRow<'a> {
    projects_id: Option<&'a str>,
    prima_id: Option<&'a str>,
    iati_identifier: Option<&'a str>,
    title: &'a str,
    project_type_id: Option<i64>,
    idf_region_id: Option<i64>,
    budget_minor: Option<i64>,
    budget_currency: Option<&'a str>,
    funding_year: Option<i32>,
    start_date: Option<String>,
    end_date: Option<String>,
    status: Option<&'a str>,
    coverage: Option<&'a str>,
    level_individual: bool,
    level_community: bool,
    level_structural: bool,
    summary: &'a str,
    objective: &'a str,
    implementing_office: Option<&'a str>,
    partners: String,
    updated_at: &'a str,
}

#[derive(Queryable)]
struct LoadedRow {
    id: i64,
    projects_id: Option<String>,
    prima_id: Option<String>,
    iati_identifier: Option<String>,
    title: String,
    project_type_id: Option<i64>,
    idf_region_id: Option<i64>,
    budget_minor: Option<i64>,
    budget_currency: Option<String>,
    funding_year: Option<i32>,
    start_date: Option<String>,
    end_date: Option<String>,
    status: Option<String>,
    coverage: Option<String>,
    level_individual: bool,
    level_community: bool,
    level_structural: bool,
    summary: String,
    objective: String,
    implementing_office: Option<String>,
    partners: String,
    created_at: String,
    updated_at: String,
}

#[derive(Insertable, Queryable)]
#[diesel(table_name = project_results)]
struct ResultRow {
    project_id: i64,
    kind: String,
    outcome_no: i32,
    output_no: i32,
    item_no: i32,
    text: String,
    unit: Option<String>,
    baseline: Option<f64>,
    target: Option<f64>,
    achieved: Option<f64>,
}

fn result_rows(project_id: i64, r: &ResultsFramework) -> Vec<ResultRow> {
    let row = |kind: &str, o: usize, out: usize, item: usize, text: &str| ResultRow {
        project_id,
        kind: kind.to_owned(),
        outcome_no: o as i32,
        output_no: out as i32,
        item_no: item as i32,
        text: text.to_owned(),
        unit: None,
        baseline: None,
        target: None,
        achieved: None,
    };
    let indicator = |o: usize, out: usize, k: usize, ind: &Indicator| ResultRow {
        unit: ind.unit.clone(),
        baseline: ind.baseline,
        target: ind.target,
        achieved: ind.achieved,
        ..row("indicator", o, out, k, &ind.text)
    };
    let mut rows = Vec::new();
    let outputs = |rows: &mut Vec<ResultRow>, o: usize, list: &[Output]| {
        for (j, output) in list.iter().enumerate() {
            rows.push(row("output", o, j + 1, 0, &output.text));
            for (k, ind) in output.indicators.iter().enumerate() {
                rows.push(indicator(o, j + 1, k + 1, ind));
            }
        }
    };
    for (i, outcome) in r.outcomes.iter().enumerate() {
        rows.push(row("outcome", i + 1, 0, 0, &outcome.text));
        for (k, ind) in outcome.indicators.iter().enumerate() {
            rows.push(indicator(i + 1, 0, k + 1, ind));
        }
        outputs(&mut rows, i + 1, &outcome.outputs);
    }
    outputs(&mut rows, 0, &r.outputs);
    for (k, a) in r.activities.iter().enumerate() {
        rows.push(row("activity", 0, 0, k + 1, a));
    }
    rows
}

fn framework_from_rows(rows: Vec<ResultRow>) -> ResultsFramework {
    let mut r = ResultsFramework::default();
    // Rows come ordered by outcome, output, item; parents therefore precede children.
    for row in rows {
        let (o, out, item) = (row.outcome_no as usize, row.output_no as usize, row.item_no);
        match row.kind.as_str() {
            "activity" => r.activities.push(row.text),
            "outcome" => r.outcomes.push(Outcome {
                text: row.text,
                ..Default::default()
            }),
            "output" => {
                let output = Output {
                    text: row.text,
                    indicators: vec![],
                };
                match (o > 0).then(|| r.outcomes.get_mut(o - 1)).flatten() {
                    Some(outcome) => outcome.outputs.push(output),
                    None => r.outputs.push(output),
                }
            }
            "indicator" if item > 0 => {
                let ind = Indicator {
                    text: row.text,
                    unit: row.unit,
                    baseline: row.baseline,
                    target: row.target,
                    achieved: row.achieved,
                };
                let outcome = (o > 0).then(|| r.outcomes.get_mut(o - 1)).flatten();
                match (outcome, out) {
                    (Some(oc), 0) => oc.indicators.push(ind),
                    (Some(oc), j) => {
                        if let Some(op) = oc.outputs.get_mut(j - 1) {
                            op.indicators.push(ind)
                        }
                    }
                    (None, j) if j > 0 => {
                        if let Some(op) = r.outputs.get_mut(j - 1) {
                            op.indicators.push(ind)
                        }
                    }
                    _ => {}
                }
            }
            _ => {}
        }
    }
    r
}

/// The search document's parts: title, summary, objective, and the results framework's
/// outcomes (with outputs and activities, weighted lowest).
fn results_text(r: &ResultsFramework) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for o in &r.outcomes {
        parts.push(&o.text);
        parts.extend(o.outputs.iter().map(|x| x.text.as_str()));
    }
    parts.extend(r.outputs.iter().map(|x| x.text.as_str()));
    parts.extend(r.activities.iter().map(String::as_str));
    parts.join("\n")
}

pub(crate) fn index_for_search(
    conn: &mut DbConnection,
    backend: Backend,
    id: i64,
    p: &Project,
) -> Result<(), StoreError> {
    let results = results_text(&p.results);
    match backend {
        Backend::Sqlite => {
            let mut del = Sql::new(backend);
            del.push("DELETE FROM project_search WHERE rowid = ")
                .int(id);
            del.execute(conn)?;
            let mut ins = Sql::new(backend);
            ins.push(
                "INSERT INTO project_search (rowid, title, summary, objective, outcomes) VALUES (",
            )
            .int(id)
            .push(", ")
            .text(p.title.clone())
            .push(", ")
            .text(p.summary.clone())
            .push(", ")
            .text(p.objective.clone())
            .push(", ")
            .text(results)
            .push(")");
            ins.execute(conn)?;
        }
        Backend::Postgres => {
            let mut up = Sql::new(backend);
            up.push("UPDATE projects SET search_document = setweight(to_tsvector('english', ")
                .text(p.title.clone())
                .push("), 'A') || setweight(to_tsvector('english', ")
                .text(p.summary.clone())
                .push("), 'B') || setweight(to_tsvector('english', ")
                .text(p.objective.clone())
                .push("), 'B') || setweight(to_tsvector('english', ")
                .text(results)
                .push("), 'C') WHERE id = ")
                .int(id);
            up.execute(conn)?;
        }
    }
    Ok(())
}

/// Ids of stored projects sharing the project's Projects ID, Prima ID or IATI identifier.
fn matching_ids(conn: &mut DbConnection, p: &Project) -> Result<Vec<i64>, StoreError> {
    // An empty string never matches: stored identifiers are NULL or non-empty.
    let pid = p.projects_id.as_ref().map(|i| i.as_str().to_owned());
    let prima = p.prima_id.as_ref().map(|i| i.as_str().to_owned());
    let iati = p.iati_identifier.clone();
    let mut ids: Vec<i64> = projects::table
        .filter(
            projects::projects_id
                .eq(pid.unwrap_or_default())
                .or(projects::prima_id.eq(prima.unwrap_or_default()))
                .or(projects::iati_identifier.eq(iati.unwrap_or_default())),
        )
        .select(projects::id)
        .load(conn)?;
    ids.sort_unstable();
    ids.dedup();
    Ok(ids)
}

/// Inserts the project, or updates the one with the same Projects ID or Prima ID.
pub(crate) fn save_in(
    conn: &mut DbConnection,
    backend: Backend,
    p: &Project,
) -> Result<Saved, StoreError> {
    let existing = matching_ids(conn, p)?;
    if existing.len() > 1 {
        return Err(StoreError::conflict(
            "prima_id",
            format!(
                "Projects ID {}, Prima ID {} and IATI identifier {} belong to different stored projects",
                p.projects_id.as_ref().map(|i| i.as_str()).unwrap_or("-"),
                p.prima_id.as_ref().map(|i| i.as_str()).unwrap_or("-"),
                p.iati_identifier.as_deref().unwrap_or("-"),
            ),
        ));
    }
    let region = match &p.idf_region {
        Some(name) => Some(ensure_entry(conn, backend, RefList::IdfRegions, name)?),
        None => None,
    };
    let ptype = match &p.project_type {
        Some(name) => Some(ensure_entry(conn, backend, RefList::ProjectTypes, name)?),
        None => None,
    };
    let now = utc_now();
    let row = ProjectRow {
        projects_id: p.projects_id.as_ref().map(|i| i.as_str()),
        prima_id: p.prima_id.as_ref().map(|i| i.as_str()),
        iati_identifier: p.iati_identifier.as_deref(),
        title: &p.title,
        project_type_id: ptype,
        idf_region_id: region,
        budget_minor: p.budget.map(|m| m.minor),
        budget_currency: p.budget.as_ref().map(|m| m.currency.as_str()),
        funding_year: p.year,
        start_date: p.start.map(|d| d.to_string()),
        end_date: p.end.map(|d| d.to_string()),
        status: p.status.map(|s| s.code()),
        coverage: p.coverage.map(|c| c.code()),
        level_individual: p.levels.contains(&Level::Individual),
        level_community: p.levels.contains(&Level::Community),
        level_structural: p.levels.contains(&Level::Structural),
        summary: &p.summary,
        objective: &p.objective,
        implementing_office: p.implementing_office.as_deref(),
        partners: p.partners.join("; "),
        updated_at: &now,
    };
    let saved = match existing.first() {
        Some(&id) => {
            diesel::update(projects::table.find(id))
                .set(&row)
                .execute(conn)?;
            diesel::delete(project_countries::table.filter(project_countries::project_id.eq(id)))
                .execute(conn)?;
            diesel::delete(project_results::table.filter(project_results::project_id.eq(id)))
                .execute(conn)?;
            Saved::Updated(id)
        }
        None => {
            diesel::insert_into(projects::table)
                .values((&row, projects::created_at.eq(&now)))
                .execute(conn)?;
            let id = matching_ids(conn, p)?
                .first()
                .copied()
                .ok_or_else(|| StoreError::NotFound(p.public_id()))?;
            Saved::Created(id)
        }
    };
    let id = saved.id();
    let countries: Vec<_> = p
        .member_states
        .iter()
        .enumerate()
        .map(|(i, c)| {
            (
                project_countries::project_id.eq(id),
                project_countries::country_code.eq(c.as_str()),
                project_countries::position.eq(i as i32),
            )
        })
        .collect();
    let results = result_rows(id, &p.results);
    match conn {
        // One statement for many rows saves PostgreSQL a round trip each. Diesel's
        // MultiBackend has no batch form, and on SQLite (in-process, no round trips) its
        // batch insert opens a transaction of its own inside ours.
        DbConnection::Postgres(c) => {
            if !countries.is_empty() {
                diesel::insert_into(project_countries::table)
                    .values(&countries)
                    .execute(c)?;
            }
            if !results.is_empty() {
                diesel::insert_into(project_results::table)
                    .values(&results)
                    .execute(c)?;
            }
        }
        DbConnection::Sqlite(c) => {
            for row in countries {
                diesel::insert_into(project_countries::table)
                    .values(row)
                    .execute(c)?;
            }
            for row in &results {
                diesel::insert_into(project_results::table)
                    .values(row)
                    .execute(c)?;
            }
        }
    }
    index_for_search(conn, backend, id, p)?;
    Ok(saved)
}

fn parse_or<T: std::str::FromStr>(v: Option<String>) -> Option<T> {
    v.and_then(|s| s.parse().ok())
}

/// Loads projects whole, in the order of `ids`.
pub(crate) fn load_many(
    conn: &mut DbConnection,
    lists: &Lists,
    ids: &[i64],
) -> Result<Vec<StoredProject>, StoreError> {
    let mut out = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(500) {
        let rows: Vec<LoadedRow> = projects::table
            .filter(projects::id.eq_any(chunk))
            .select((
                projects::id,
                projects::projects_id,
                projects::prima_id,
                projects::iati_identifier,
                projects::title,
                projects::project_type_id,
                projects::idf_region_id,
                projects::budget_minor,
                projects::budget_currency,
                projects::funding_year,
                projects::start_date,
                projects::end_date,
                projects::status,
                projects::coverage,
                projects::level_individual,
                projects::level_community,
                projects::level_structural,
                projects::summary,
                projects::objective,
                projects::implementing_office,
                projects::partners,
                projects::created_at,
                projects::updated_at,
            ))
            .load(conn)?;
        let countries: Vec<(i64, String)> = project_countries::table
            .filter(project_countries::project_id.eq_any(chunk))
            .order((project_countries::project_id, project_countries::position))
            .select((
                project_countries::project_id,
                project_countries::country_code,
            ))
            .load(conn)?;
        let results: Vec<ResultRow> = project_results::table
            .filter(project_results::project_id.eq_any(chunk))
            .order((
                project_results::project_id,
                project_results::outcome_no,
                project_results::output_no,
                project_results::item_no,
            ))
            .select((
                project_results::project_id,
                project_results::kind,
                project_results::outcome_no,
                project_results::output_no,
                project_results::item_no,
                project_results::text,
                project_results::unit,
                project_results::baseline,
                project_results::target,
                project_results::achieved,
            ))
            .load(conn)?;
        let mut by_id: std::collections::HashMap<i64, StoredProject> = rows
            .into_iter()
            .map(|r| (r.id, from_row(r, lists)))
            .collect();
        for (pid, code) in countries {
            if let (Some(sp), Ok(c)) = (by_id.get_mut(&pid), code.parse::<CountryCode>()) {
                sp.project.member_states.push(c);
            }
        }
        let mut grouped: std::collections::HashMap<i64, Vec<ResultRow>> = Default::default();
        for r in results {
            grouped.entry(r.project_id).or_default().push(r);
        }
        for (pid, rows) in grouped {
            if let Some(sp) = by_id.get_mut(&pid) {
                sp.project.results = framework_from_rows(rows);
            }
        }
        out.extend(chunk.iter().filter_map(|id| by_id.remove(id)));
    }
    Ok(out)
}

fn from_row(r: LoadedRow, lists: &Lists) -> StoredProject {
    let currency = r
        .budget_currency
        .as_deref()
        .and_then(|c| c.parse::<CurrencyCode>().ok())
        .unwrap_or(CurrencyCode::USD);
    let mut levels = Vec::new();
    for (on, level) in [
        (r.level_individual, Level::Individual),
        (r.level_community, Level::Community),
        (r.level_structural, Level::Structural),
    ] {
        if on {
            levels.push(level);
        }
    }
    StoredProject {
        id: r.id,
        project: Project {
            projects_id: parse_or(r.projects_id),
            prima_id: parse_or(r.prima_id),
            iati_identifier: r.iati_identifier,
            title: r.title,
            project_type: r.project_type_id.and_then(|i| lists.types.get(&i).cloned()),
            idf_region: r.idf_region_id.and_then(|i| lists.regions.get(&i).cloned()),
            budget: r.budget_minor.map(|m| Money::new(m, currency)),
            year: r.funding_year,
            start: parse_or::<PartialDate>(r.start_date),
            end: parse_or::<PartialDate>(r.end_date),
            status: parse_or::<ProjectStatus>(r.status),
            coverage: parse_or::<Coverage>(r.coverage),
            member_states: Vec::new(),
            levels,
            summary: r.summary,
            objective: r.objective,
            results: ResultsFramework::default(),
            implementing_office: r.implementing_office,
            partners: r
                .partners
                .split(';')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect(),
        },
        created_at: r.created_at,
        updated_at: r.updated_at,
    }
}

impl Store {
    /// Saves one project: created if new, updated if a project with its Projects ID or
    /// Prima ID is stored.
    pub fn save_project(&self, p: &Project) -> Result<Saved, StoreError> {
        self.write(|c| {
            let saved = save_in(c, self.backend(), p)?;
            // Once per transaction: PostgreSQL keeps every version of a row updated in one
            // transaction, so a bump per project would make a batch quadratic.
            crate::catalogue::facets::bump(c, self.backend())?;
            Ok(saved)
        })
    }

    /// Saves all the projects in one transaction: if one fails, none is kept, and the
    /// error says which (0-based position in `ps`).
    pub fn save_projects(&self, ps: &[Project]) -> Result<SaveCounts, (usize, StoreError)> {
        let mut failed_at = 0;
        self.write(|c| {
            let mut counts = SaveCounts::default();
            for (i, p) in ps.iter().enumerate() {
                failed_at = i;
                match save_in(c, self.backend(), p)? {
                    Saved::Created(_) => counts.created += 1,
                    Saved::Updated(_) => counts.updated += 1,
                }
            }
            crate::catalogue::facets::bump(c, self.backend())?;
            Ok(counts)
        })
        .map_err(|e| (failed_at, e))
    }

    /// The project with this Projects ID, Prima ID or IATI identifier.
    pub fn project(&self, public_id: &str) -> Result<Option<StoredProject>, StoreError> {
        // Projects and Prima IDs in any case; IATI identifiers exactly as published.
        let exact = public_id.trim();
        let key = exact.to_ascii_uppercase();
        self.read(|c| {
            let ids: Vec<i64> = projects::table
                .filter(
                    projects::projects_id
                        .eq(&key)
                        .or(projects::prima_id.eq(&key))
                        .or(projects::iati_identifier.eq(exact)),
                )
                .select(projects::id)
                .load(c)?;
            let lists = Lists::load(c, self.backend())?;
            Ok(load_many(c, &lists, &ids)?.into_iter().next())
        })
    }

    /// Projects by database id, in that order.
    pub fn projects_by_ids(&self, ids: &[i64]) -> Result<Vec<StoredProject>, StoreError> {
        self.read(|c| {
            let lists = Lists::load(c, self.backend())?;
            load_many(c, &lists, ids)
        })
    }

    pub fn project_count(&self) -> Result<i64, StoreError> {
        self.read(|c| Ok(projects::table.count().get_result(c)?))
    }
}

#[derive(QueryableByName)]
struct Name {
    #[diesel(sql_type = diesel::sql_types::Text)]
    name: String,
}

/// The title of project `id`, or a refusal that names the field when there is none.
pub(crate) fn project_exists(
    c: &mut DbConnection,
    backend: Backend,
    id: i64,
) -> Result<String, StoreError> {
    let mut q = Sql::new(backend);
    q.push("SELECT title AS name FROM projects WHERE id = ")
        .int(id);
    q.load::<Name>(c)?
        .into_iter()
        .next()
        .map(|n| n.name)
        .ok_or_else(|| StoreError::conflict("project_id", "choose an existing project"))
}
