//! The catalogue's facet index: for every project, the few small values it is filtered,
//! counted and sorted by, held in memory so that counts for every facet value cost one
//! pass over integers instead of a dozen grouped queries.
//!
//! The database stays the source of truth: text matching and its ranking are asked of it,
//! and the index is rebuilt whenever `catalogue_version` (bumped in the same transaction as
//! any change to the portfolio) moves, so several app servers sharing one database agree.

use super::CountryRow;
use super::{Lists, RefList};
use crate::db::sql::Sql;
use crate::{Backend, DbConnection, StoreError};
use diesel::QueryableByName;
use diesel::sql_types::{BigInt, Integer, Nullable, Text};
use homeward_domain::catalogue::{CatalogueQuery, Facet, Sort};
use homeward_domain::project::{Coverage, ProjectStatus};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, RwLock};

#[derive(QueryableByName)]
struct IndexRow {
    #[diesel(sql_type = BigInt)]
    id: i64,
    #[diesel(sql_type = Nullable<BigInt>)]
    idf_region_id: Option<i64>,
    #[diesel(sql_type = Nullable<BigInt>)]
    project_type_id: Option<i64>,
    #[diesel(sql_type = Nullable<Text>)]
    status: Option<String>,
    #[diesel(sql_type = Nullable<Integer>)]
    funding_year: Option<i32>,
    #[diesel(sql_type = Nullable<Text>)]
    coverage: Option<String>,
    #[diesel(sql_type = Nullable<BigInt>)]
    budget_minor: Option<i64>,
    #[diesel(sql_type = Text)]
    title: String,
}

#[derive(QueryableByName)]
struct VersionRow {
    #[diesel(sql_type = BigInt)]
    version: i64,
}

#[derive(QueryableByName)]
struct IdRow {
    #[diesel(sql_type = BigInt)]
    id: i64,
}

/// One project's facet values; strings are interned as small numbers.
#[derive(Debug, Clone)]
struct Entry {
    id: i64,
    region: Option<i64>,
    ptype: Option<i64>,
    status: Option<ProjectStatus>,
    year: Option<i32>,
    coverage: Option<Coverage>,
    budget: Option<i64>,
    /// Position in title order, for sorting by title the same way on both databases.
    title_rank: u32,
    countries: Vec<u16>,
}

/// The index of one version of the portfolio.
#[derive(Debug)]
pub(crate) struct Index {
    version: i64,
    pub lists: Lists,
    entries: Vec<Entry>,
    by_id: HashMap<i64, u32>,
    countries: Vec<String>,
    /// Entry positions in each sort order but relevance, computed once per version.
    orders: Vec<(Sort, Vec<u32>)>,
}

/// The catalogue's orders; missing values sort last whatever the direction, as SQL's
/// NULLS LAST would.
fn compare(sort: Sort, a: &Entry, b: &Entry) -> std::cmp::Ordering {
    let present = |x: bool, y: bool| y.cmp(&x);
    match sort {
        Sort::Relevance | Sort::Newest => present(a.year.is_some(), b.year.is_some())
            .then(b.year.cmp(&a.year))
            .then(b.id.cmp(&a.id)),
        Sort::Oldest => present(a.year.is_some(), b.year.is_some())
            .then(a.year.cmp(&b.year))
            .then(a.id.cmp(&b.id)),
        Sort::BudgetDesc => present(a.budget.is_some(), b.budget.is_some())
            .then(b.budget.cmp(&a.budget))
            .then(a.id.cmp(&b.id)),
        Sort::BudgetAsc => present(a.budget.is_some(), b.budget.is_some())
            .then(a.budget.cmp(&b.budget))
            .then(a.id.cmp(&b.id)),
        Sort::Title => (a.title_rank, a.id).cmp(&(b.title_rank, b.id)),
    }
}

/// What a search found: the ordered ids of one page, the total, and the facet counts.
pub(crate) struct Found {
    pub total: usize,
    pub page: Vec<i64>,
    pub all: Vec<i64>,
    pub facets: Vec<(Facet, Vec<(String, i64)>)>,
}

fn version(conn: &mut DbConnection, backend: Backend) -> Result<i64, StoreError> {
    let mut q = Sql::new(backend);
    q.push("SELECT version FROM catalogue_version WHERE id = 1");
    Ok(q.load::<VersionRow>(conn)?.first().map_or(0, |v| v.version))
}

/// Marks the portfolio changed; called inside every writing transaction.
pub(crate) fn bump(conn: &mut DbConnection, backend: Backend) -> Result<(), StoreError> {
    let mut q = Sql::new(backend);
    q.push("UPDATE catalogue_version SET version = version + 1 WHERE id = 1");
    q.execute(conn)?;
    Ok(())
}

fn build(conn: &mut DbConnection, backend: Backend, version: i64) -> Result<Index, StoreError> {
    let lists = Lists::load(conn, backend)?;
    let mut q = Sql::new(backend);
    q.push(
        "SELECT id, idf_region_id, project_type_id, status, funding_year, coverage, \
         budget_minor, title FROM projects",
    );
    let rows = q.load::<IndexRow>(conn)?;
    let mut order: Vec<(String, i64)> = rows
        .iter()
        .map(|r| (r.title.to_lowercase(), r.id))
        .collect();
    order.sort();
    let title_rank: HashMap<i64, u32> = order
        .iter()
        .enumerate()
        .map(|(i, (_, id))| (*id, i as u32))
        .collect();
    let mut entries: Vec<Entry> = rows
        .into_iter()
        .map(|r| Entry {
            id: r.id,
            region: r.idf_region_id,
            ptype: r.project_type_id,
            status: r.status.and_then(|s| s.parse().ok()),
            year: r.funding_year,
            coverage: r.coverage.and_then(|s| s.parse().ok()),
            budget: r.budget_minor,
            title_rank: title_rank.get(&r.id).copied().unwrap_or(u32::MAX),
            countries: Vec::new(),
        })
        .collect();
    entries.sort_by_key(|e| e.id);
    let by_id: HashMap<i64, u32> = entries
        .iter()
        .enumerate()
        .map(|(i, e)| (e.id, i as u32))
        .collect();
    let mut cq = Sql::new(backend);
    cq.push("SELECT project_id, country_code FROM project_countries ORDER BY project_id, position");
    let mut countries: Vec<String> = Vec::new();
    let mut code_no: HashMap<String, u16> = HashMap::new();
    for r in cq.load::<CountryRow>(conn)? {
        let n = *code_no.entry(r.country_code.clone()).or_insert_with(|| {
            countries.push(r.country_code);
            (countries.len() - 1) as u16
        });
        if let Some(&i) = by_id.get(&r.project_id) {
            entries[i as usize].countries.push(n);
        }
    }
    let orders = Sort::ALL
        .iter()
        .filter(|s| **s != Sort::Relevance)
        .map(|&sort| {
            let mut positions: Vec<u32> = (0..entries.len() as u32).collect();
            positions.sort_by(|&a, &b| compare(sort, &entries[a as usize], &entries[b as usize]));
            (sort, positions)
        })
        .collect();
    Ok(Index {
        version,
        lists,
        entries,
        by_id,
        countries,
        orders,
    })
}

/// The words as an FTS5 query: each quoted, all required. Words are letters and digits
/// only (`search_terms`), so quoting is safe.
fn fts_query(terms: &[String]) -> String {
    terms
        .iter()
        .map(|t| format!("\"{t}\""))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Every project the text matches: best first as the database ranks them when `ranked`,
/// else in no particular order, which is cheap even when most projects match.
fn text_match_ids(
    conn: &mut DbConnection,
    backend: Backend,
    terms: &[String],
    ranked: bool,
) -> Result<Vec<i64>, StoreError> {
    let mut q = Sql::new(backend);
    match backend {
        Backend::Sqlite => {
            q.push("SELECT rowid AS id FROM project_search WHERE project_search MATCH ")
                .text(fts_query(terms));
            if ranked {
                // BM25 weights: title, summary, objective, results framework.
                q.push(" ORDER BY bm25(project_search, 10.0, 4.0, 4.0, 2.0), rowid");
            }
        }
        Backend::Postgres => {
            q.push("SELECT id FROM projects WHERE search_document @@ plainto_tsquery('english', ")
                .text(terms.join(" "))
                .push(")");
            if ranked {
                q.push(" ORDER BY ts_rank(search_document, plainto_tsquery('english', ")
                    .text(terms.join(" "))
                    .push(")) DESC, id");
            }
        }
    }
    Ok(q.load::<IdRow>(conn)?.into_iter().map(|r| r.id).collect())
}

/// At most this many matches are ranked on their own; more take the whole ranking.
const RANK_SUBSET_MAX: usize = 5_000;

/// `ids` (all matching the text) best first, ranking only them.
fn rank_subset(
    conn: &mut DbConnection,
    backend: Backend,
    terms: &[String],
    ids: &[i64],
) -> Result<Vec<i64>, StoreError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut q = Sql::new(backend);
    match backend {
        Backend::Sqlite => {
            let fts = fts_query(terms);
            q.push("SELECT rowid AS id FROM project_search WHERE project_search MATCH ")
                .text(fts)
                // `+rowid` keeps the list away from FTS5, which would run the match once
                // per listed id.
                .push(" AND +rowid IN ")
                .int_list(ids)
                .push(" ORDER BY bm25(project_search, 10.0, 4.0, 4.0, 2.0), rowid");
        }
        Backend::Postgres => {
            q.push("SELECT id FROM projects WHERE id IN ")
                .int_list(ids)
                .push(" ORDER BY ts_rank(search_document, plainto_tsquery('english', ")
                .text(terms.join(" "))
                .push(")) DESC, id");
        }
    }
    Ok(q.load::<IdRow>(conn)?.into_iter().map(|r| r.id).collect())
}

/// The filters of a query, resolved against the index's interned values.
struct Filters {
    regions: Option<Vec<i64>>,
    types: Option<Vec<i64>>,
    statuses: Option<Vec<ProjectStatus>>,
    years: Option<Vec<i32>>,
    coverages: Option<Vec<Coverage>>,
    countries: Option<Vec<u16>>,
}

fn nonempty<T>(v: Vec<T>, asked: bool) -> Option<Vec<T>> {
    asked.then_some(v)
}

impl Filters {
    fn of(q: &CatalogueQuery, ix: &Index) -> Filters {
        let codes: Vec<u16> = q
            .countries
            .iter()
            .filter_map(|c| {
                ix.countries
                    .iter()
                    .position(|k| k == c.as_str())
                    .map(|p| p as u16)
            })
            .collect();
        Filters {
            regions: nonempty(
                ix.lists.ids_of(RefList::IdfRegions, &q.regions),
                !q.regions.is_empty(),
            ),
            types: nonempty(
                ix.lists.ids_of(RefList::ProjectTypes, &q.project_types),
                !q.project_types.is_empty(),
            ),
            statuses: nonempty(q.statuses.clone(), !q.statuses.is_empty()),
            years: nonempty(q.years.clone(), !q.years.is_empty()),
            coverages: nonempty(q.coverages.clone(), !q.coverages.is_empty()),
            countries: nonempty(codes, !q.countries.is_empty()),
        }
    }

    /// Which facets' filters the entry passes, in `Facet::ALL` order.
    fn passes(&self, e: &Entry) -> [bool; 6] {
        fn ok<T: PartialEq>(f: &Option<Vec<T>>, v: Option<T>) -> bool {
            match f {
                None => true,
                Some(list) => v.is_some_and(|v| list.contains(&v)),
            }
        }
        [
            ok(&self.regions, e.region),
            ok(&self.types, e.ptype),
            ok(&self.statuses, e.status),
            ok(&self.years, e.year),
            ok(&self.coverages, e.coverage),
            match &self.countries {
                None => true,
                Some(list) => e.countries.iter().any(|c| list.contains(c)),
            },
        ]
    }
}

/// Counts per facet value, keyed by the index's own small values; turned into names once.
#[derive(Default)]
struct Counts {
    regions: HashMap<i64, i64>,
    types: HashMap<i64, i64>,
    statuses: [i64; 5],
    years: HashMap<i32, i64>,
    coverages: [i64; 3],
    countries: Vec<i64>,
}

fn position<T: PartialEq>(all: &[T], v: &T) -> usize {
    all.iter().position(|x| x == v).unwrap_or(0)
}

impl Counts {
    fn add(&mut self, facet: usize, e: &Entry) {
        match facet {
            0 => {
                if let Some(r) = e.region {
                    *self.regions.entry(r).or_insert(0) += 1;
                }
            }
            1 => {
                if let Some(t) = e.ptype {
                    *self.types.entry(t).or_insert(0) += 1;
                }
            }
            2 => {
                if let Some(s) = e.status {
                    self.statuses[position(ProjectStatus::ALL, &s)] += 1;
                }
            }
            3 => {
                if let Some(y) = e.year {
                    *self.years.entry(y).or_insert(0) += 1;
                }
            }
            4 => {
                if let Some(c) = e.coverage {
                    self.coverages[position(Coverage::ALL, &c)] += 1;
                }
            }
            _ => {
                for c in &e.countries {
                    self.countries[*c as usize] += 1;
                }
            }
        }
    }

    fn named(self, ix: &Index) -> Vec<(Facet, Vec<(String, i64)>)> {
        let by_name = |counts: HashMap<i64, i64>, names: &HashMap<i64, String>| {
            counts
                .into_iter()
                .filter_map(|(id, n)| names.get(&id).map(|name| (name.clone(), n)))
                .collect::<Vec<_>>()
        };
        let nonzero = |pairs: Vec<(String, i64)>| {
            pairs
                .into_iter()
                .filter(|(_, n)| *n > 0)
                .collect::<Vec<_>>()
        };
        vec![
            (Facet::Region, by_name(self.regions, &ix.lists.regions)),
            (Facet::ProjectType, by_name(self.types, &ix.lists.types)),
            (
                Facet::Status,
                nonzero(
                    ProjectStatus::ALL
                        .iter()
                        .zip(self.statuses)
                        .map(|(s, n)| (s.code().to_owned(), n))
                        .collect(),
                ),
            ),
            (
                Facet::Year,
                self.years
                    .into_iter()
                    .map(|(y, n)| (y.to_string(), n))
                    .collect(),
            ),
            (
                Facet::Coverage,
                nonzero(
                    Coverage::ALL
                        .iter()
                        .zip(self.coverages)
                        .map(|(c, n)| (c.code().to_owned(), n))
                        .collect(),
                ),
            ),
            (
                Facet::Country,
                nonzero(ix.countries.iter().cloned().zip(self.countries).collect()),
            ),
        ]
    }
}

impl Index {
    /// Entry positions of the given project ids, in their order.
    fn positions(&self, ids: &[i64]) -> Vec<u32> {
        ids.iter()
            .filter_map(|id| self.by_id.get(id).copied())
            .collect()
    }

    /// The positions passing every filter (in candidate order) and the facet counts.
    fn select(&self, q: &CatalogueQuery, candidates: Option<&[u32]>) -> (Vec<u32>, Counts) {
        let filters = Filters::of(q, self);
        let mut counts = Counts {
            countries: vec![0; self.countries.len()],
            ..Default::default()
        };
        let mut matched: Vec<u32> = Vec::new();
        // Entries are visited in memory order (or the text ranking's); ordering comes after.
        let candidates: Box<dyn Iterator<Item = u32>> = match candidates {
            Some(positions) => Box::new(positions.iter().copied()),
            None => Box::new(0..self.entries.len() as u32),
        };
        for pos in candidates {
            let e = &self.entries[pos as usize];
            let pass = filters.passes(e);
            let failed = pass.iter().filter(|p| !**p).count();
            match failed {
                // A facet counts the entries that pass every other facet's filter.
                0 => {
                    matched.push(pos);
                    for f in 0..6 {
                        counts.add(f, e);
                    }
                }
                1 => {
                    if let Some(f) = pass.iter().position(|p| !*p) {
                        counts.add(f, e);
                    }
                }
                _ => {}
            }
        }
        (matched, counts)
    }

    /// `matched` in the order of `sort` (not relevance, which the database gives).
    fn order(&self, sort: Sort, mut matched: Vec<u32>) -> Vec<u32> {
        let precomputed = self.orders.iter().find(|(s, _)| *s == sort).map(|(_, o)| o);
        match precomputed {
            // Many matches: walk the precomputed order and keep the matched ones.
            Some(order) if matched.len() > self.entries.len() / 8 => {
                let hit = self.bitset(&matched);
                order.iter().copied().filter(|&i| hit[i as usize]).collect()
            }
            Some(_) => {
                matched.sort_by(|&a, &b| {
                    compare(sort, &self.entries[a as usize], &self.entries[b as usize])
                });
                matched
            }
            None => matched,
        }
    }

    fn bitset(&self, positions: &[u32]) -> Vec<bool> {
        let mut hit = vec![false; self.entries.len()];
        for &i in positions {
            hit[i as usize] = true;
        }
        hit
    }

    fn ids(&self, positions: &[u32]) -> Vec<i64> {
        positions
            .iter()
            .map(|&i| self.entries[i as usize].id)
            .collect()
    }

    fn finish(&self, q: &CatalogueQuery, ordered: Vec<u32>, counts: Counts) -> Found {
        let all = self.ids(&ordered);
        let start = (q.offset() as usize).min(all.len());
        let end = (start + q.per_page as usize).min(all.len());
        Found {
            total: all.len(),
            page: all[start..end].to_vec(),
            facets: counts.named(self),
            all,
        }
    }
}

/// How many text searches' matches and rankings are kept per version of the portfolio.
const RANKINGS_KEPT: usize = 256;

/// Ranked ids of recent text searches, by portfolio version and search terms.
type Rankings = HashMap<(i64, Vec<String>, bool), Arc<Vec<u32>>>;

/// The shared, versioned index and the rankings of recent text searches.
#[derive(Default, Clone)]
pub(crate) struct FacetCache {
    index: Arc<RwLock<Option<Arc<Index>>>>,
    rebuilding: Arc<Mutex<()>>,
    rankings: Arc<Mutex<Rankings>>,
}

impl std::fmt::Debug for FacetCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("FacetCache")
    }
}

impl FacetCache {
    /// The index for the database's current version, rebuilt if it moved.
    pub(crate) fn current(
        &self,
        conn: &mut DbConnection,
        backend: Backend,
    ) -> Result<Arc<Index>, StoreError> {
        let v = version(conn, backend)?;
        if let Ok(guard) = self.index.read()
            && let Some(ix) = guard.as_ref()
            && ix.version == v
        {
            return Ok(ix.clone());
        }
        // One rebuild at a time; whoever waited finds it done.
        let _one = self.rebuilding.lock().unwrap_or_else(|p| p.into_inner());
        // A newer index than the version read is as good: it was built after it.
        if let Ok(guard) = self.index.read()
            && let Some(ix) = guard.as_ref()
            && ix.version >= v
        {
            return Ok(ix.clone());
        }
        let ix = Arc::new(build(conn, backend, v)?);
        if let Ok(mut guard) = self.index.write() {
            *guard = Some(ix.clone());
        }
        Ok(ix)
    }

    /// Matches of `terms` as index positions: ranked best first when `ranked`, else in no
    /// particular order; kept for the portfolio's version.
    fn text_matches(
        &self,
        conn: &mut DbConnection,
        backend: Backend,
        ix: &Index,
        terms: &[String],
        ranked: bool,
    ) -> Result<Arc<Vec<u32>>, StoreError> {
        let key = (ix.version, terms.to_vec(), ranked);
        if let Some(r) = self.rankings.lock().ok().and_then(|m| m.get(&key).cloned()) {
            return Ok(r);
        }
        let ids = text_match_ids(conn, backend, terms, ranked)?;
        let positions = Arc::new(ix.positions(&ids));
        self.keep(key, positions.clone());
        Ok(positions)
    }

    fn keep(&self, key: (i64, Vec<String>, bool), positions: Arc<Vec<u32>>) {
        if let Ok(mut m) = self.rankings.lock() {
            m.retain(|(v, _, _), _| *v == key.0);
            if m.len() >= RANKINGS_KEPT {
                m.clear();
            }
            m.insert(key, positions);
        }
    }

    pub(crate) fn search(
        &self,
        conn: &mut DbConnection,
        backend: Backend,
        q: &CatalogueQuery,
    ) -> Result<(Arc<Index>, Found), StoreError> {
        let ix = self.current(conn, backend)?;
        let terms = q.terms();
        let sort = q.effective_sort();
        if terms.is_empty() {
            let (matched, counts) = ix.select(q, None);
            let found = ix.finish(q, ix.order(sort, matched), counts);
            return Ok((ix, found));
        }
        let matches = self.text_matches(conn, backend, &ix, &terms, false)?;
        let (matched, counts) = ix.select(q, Some(&matches));
        let ordered = if sort != Sort::Relevance {
            ix.order(sort, matched)
        } else if matched.len() <= RANK_SUBSET_MAX {
            // Filters left few: rank just those, without ranking every match. Kept under
            // the terms plus the filters (a key no plain term list can equal).
            let mut subset_terms = terms.clone();
            subset_terms.push(format!("\u{1}{:?}", q.without_text_and_paging()));
            let key = (ix.version, subset_terms, true);
            let kept = self.rankings.lock().ok().and_then(|m| m.get(&key).cloned());
            match kept {
                Some(order) => order.to_vec(),
                None => {
                    let order = Arc::new(ix.positions(&rank_subset(
                        conn,
                        backend,
                        &terms,
                        &ix.ids(&matched),
                    )?));
                    self.keep(key, order.clone());
                    order.to_vec()
                }
            }
        } else {
            let ranking = self.text_matches(conn, backend, &ix, &terms, true)?;
            let hit = ix.bitset(&matched);
            ranking
                .iter()
                .copied()
                .filter(|&i| hit[i as usize])
                .collect()
        };
        let found = ix.finish(q, ordered, counts);
        Ok((ix, found))
    }
}
