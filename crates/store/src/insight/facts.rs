//! The dashboards' facts about every case, held in memory by each app server and kept up
//! to date from the database: read whole on first use (or when the current survey
//! instrument changes, or after a bulk load), then case by case from `case_changes`,
//! which triggers fill whatever code writes. A dashboard then counts a million cases in
//! memory in milliseconds instead of grouping them in SQL in seconds; every server still
//! answers from the database's state, so any number of them can share one database.

use crate::db::sql::Sql;
use crate::survey::Current;
use crate::{Backend, DbConnection, StoreError};
use diesel::QueryableByName;
use diesel::connection::SimpleConnection;
use diesel::sql_types::{BigInt, Double, Nullable, Text};
use homeward_domain::case::Vulnerability;
use homeward_domain::dashboard::{
    Amount, CaseFact, Facts, Latest, Pair, Score, Scores4, vulnerability_bit,
};
use homeward_domain::date::Ymd;
use homeward_domain::survey::Band;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, RwLock};

/// The facts with where they were read up to.
#[derive(Default)]
pub(crate) struct Snapshot {
    pub facts: Facts,
    /// The instrument the scores are under.
    pub instrument: Option<Current>,
    /// SQLite: the last change number seen. PostgreSQL: the xmin of the snapshot read.
    mark: i64,
    /// False until the first whole read.
    loaded: bool,
    /// When the facts were last brought up to date with the database.
    refreshed: Option<std::time::Instant>,
    /// The mark of the facts stored in the database by this server (or read from there),
    /// so that facts nothing changed are not stored again.
    stored: Option<i64>,
    /// The facts started from those stored in the database, not from every case.
    from_stored: bool,
}

/// One per store, shared by its clones.
#[derive(Default, Clone)]
pub(crate) struct FactsCache {
    snapshot: Arc<RwLock<Snapshot>>,
    refreshing: Arc<Mutex<()>>,
}

impl std::fmt::Debug for FactsCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("FactsCache")
    }
}

/// Case numbers per `IN (...)` list when re-reading changed cases.
const BATCH: usize = 500;

/// Beyond this many changed cases (or a twentieth of all), everything is read again: one
/// pass over the tables costs less than thousands of small reads.
const MAX_PIECEMEAL: usize = 5_000;

impl FactsCache {
    /// Stores the facts held in the database for the next server to start from, unless
    /// they are already stored as they are; returns the bytes written.
    pub(crate) fn store(
        &self,
        c: &mut DbConnection,
        backend: Backend,
    ) -> Result<Option<usize>, StoreError> {
        let (iid, mark, cases, data) = {
            let s = self.snapshot.read().unwrap_or_else(|p| p.into_inner());
            if !s.loaded || s.stored == Some(s.mark) {
                return Ok(None);
            }
            let iid = s.instrument.as_ref().map(|i| i.id);
            (
                iid,
                s.mark,
                s.facts.len(),
                super::snapshot::encode(&s.facts)?,
            )
        };
        let bytes = data.len();
        super::snapshot::save(c, backend, iid, mark, cases, data)?;
        let mut s = self.snapshot.write().unwrap_or_else(|p| p.into_inner());
        if s.mark == mark {
            s.stored = Some(mark);
        }
        Ok(Some(bytes))
    }

    /// How old and how big the facts held are, without reading the database; none before
    /// the first read.
    pub(crate) fn state(&self) -> Option<crate::db::stats::FactsState> {
        let s = self.snapshot.read().unwrap_or_else(|p| p.into_inner());
        let at = s.refreshed?;
        Some(crate::db::stats::FactsState {
            age_seconds: at.elapsed().as_secs_f64(),
            cases: s.facts.len(),
            bytes: s.facts.heap_bytes(),
            from_stored: s.from_stored,
        })
    }

    /// Brings the facts up to date with the database, then runs `f` on them.
    pub(crate) fn with<T>(
        &self,
        c: &mut DbConnection,
        backend: Backend,
        f: impl FnOnce(&Snapshot) -> T,
    ) -> Result<T, StoreError> {
        {
            // One refresh at a time; whoever waited finds little or nothing left to read.
            let _one = self.refreshing.lock().unwrap_or_else(|p| p.into_inner());
            consistent_read(c, backend, |c| self.refresh(c, backend))?;
        }
        let guard = self.snapshot.read().unwrap_or_else(|p| p.into_inner());
        Ok(f(&guard))
    }

    fn refresh(&self, c: &mut DbConnection, backend: Backend) -> Result<(), StoreError> {
        let mark = mark(c, backend)?;
        let instrument = crate::survey::current(c, backend)?;
        let iid = instrument.as_ref().map(|i| i.id);
        let loaded = self
            .snapshot
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .loaded;
        if !loaded && let Some((facts, at)) = super::snapshot::load(c, backend, iid)? {
            // The stored facts, then (below) the cases changed since they were stored.
            *self.snapshot.write().unwrap_or_else(|p| p.into_inner()) = Snapshot {
                facts,
                instrument: instrument.clone(),
                mark: at,
                loaded: true,
                refreshed: None,
                stored: Some(at),
                from_stored: true,
            };
        }
        let (prev, cases) = {
            let s = self.snapshot.read().unwrap_or_else(|p| p.into_inner());
            let same = s.loaded && s.instrument.as_ref().map(|i| i.id) == iid;
            (same.then_some(s.mark), s.facts.len())
        };
        let limit = MAX_PIECEMEAL.max(cases / 20);
        let changed = match prev {
            Some(prev) => changed_since(c, backend, prev, limit)?,
            None => None,
        };
        match changed {
            Some(ids) => {
                let mut s = self.snapshot.write().unwrap_or_else(|p| p.into_inner());
                for chunk in ids.chunks(BATCH) {
                    let mut read = read_facts(c, backend, &mut s.facts, iid, Some(chunk))?;
                    for id in chunk {
                        match read.remove(id) {
                            Some(fact) => s.facts.put(fact),
                            None => s.facts.remove(*id),
                        }
                    }
                }
                s.mark = mark;
                s.refreshed = Some(std::time::Instant::now());
            }
            None => {
                let mut facts = Facts::default();
                let read = read_facts(c, backend, &mut facts, iid, None)?;
                let mut all: Vec<CaseFact> = read.into_values().collect();
                all.sort_unstable_by_key(|f| f.case_id);
                for fact in all {
                    facts.put(fact);
                }
                facts.shrink();
                let mut s = self.snapshot.write().unwrap_or_else(|p| p.into_inner());
                *s = Snapshot {
                    facts,
                    instrument,
                    mark,
                    loaded: true,
                    refreshed: Some(std::time::Instant::now()),
                    stored: None,
                    from_stored: false,
                };
            }
        }
        Ok(())
    }
}

/// Runs `f` on one snapshot of the database: every query in it sees the same state (a
/// read transaction on SQLite, REPEATABLE READ on PostgreSQL).
fn consistent_read<T>(
    c: &mut DbConnection,
    backend: Backend,
    f: impl FnOnce(&mut DbConnection) -> Result<T, StoreError>,
) -> Result<T, StoreError> {
    c.batch_execute(match backend {
        Backend::Sqlite => "BEGIN",
        Backend::Postgres => "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY",
    })?;
    match f(c) {
        Ok(v) => {
            c.batch_execute("COMMIT")?;
            Ok(v)
        }
        Err(e) => {
            let _ = c.batch_execute("ROLLBACK");
            Err(e)
        }
    }
}

#[derive(QueryableByName)]
struct N {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

/// Where this read stands: changes after it are read next time.
fn mark(c: &mut DbConnection, backend: Backend) -> Result<i64, StoreError> {
    let q = match backend {
        Backend::Sqlite => "SELECT CAST(COALESCE(MAX(seq), 0) AS BIGINT) AS n FROM case_changes",
        Backend::Postgres => "SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint AS n",
    };
    let mut s = Sql::new(backend);
    s.push(q);
    Ok(s.load::<N>(c)?.first().map_or(0, |r| r.n))
}

/// The cases changed since `prev`, or `None` when there are more than `limit`.
fn changed_since(
    c: &mut DbConnection,
    backend: Backend,
    prev: i64,
    limit: usize,
) -> Result<Option<Vec<i64>>, StoreError> {
    let mut q = Sql::new(backend);
    match backend {
        // A transaction still open at the last look may commit changes numbered below
        // what was seen then, never below its xmin.
        Backend::Sqlite => q.push("SELECT case_id AS n FROM case_changes WHERE seq > "),
        Backend::Postgres => q.push("SELECT case_id AS n FROM case_changes WHERE xid >= "),
    };
    q.int(prev)
        .push(" LIMIT ")
        .int(i64::try_from(limit).unwrap_or(i64::MAX) + 1);
    let ids: Vec<i64> = q.load::<N>(c)?.into_iter().map(|r| r.n).collect();
    Ok((ids.len() <= limit).then_some(ids))
}

#[derive(QueryableByName)]
struct CaseRow {
    #[diesel(sql_type = BigInt)]
    id: i64,
    #[diesel(sql_type = BigInt)]
    returnee_id: i64,
    #[diesel(sql_type = BigInt)]
    owning_office_id: i64,
    #[diesel(sql_type = BigInt)]
    assigned: i64,
    #[diesel(sql_type = BigInt)]
    project: i64,
    #[diesel(sql_type = BigInt)]
    package: i64,
    #[diesel(sql_type = Text)]
    status: String,
    #[diesel(sql_type = Nullable<Text>)]
    arrived_on: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    plan_agreed_on: Option<String>,
    #[diesel(sql_type = Text)]
    created_at: String,
    #[diesel(sql_type = Text)]
    sex: String,
    #[diesel(sql_type = Nullable<Text>)]
    birth_date: Option<String>,
    #[diesel(sql_type = Text)]
    return_country: String,
}

#[derive(QueryableByName)]
struct IdCode {
    #[diesel(sql_type = BigInt)]
    id: i64,
    #[diesel(sql_type = Text)]
    code: String,
}

#[derive(QueryableByName)]
struct IdPair {
    #[diesel(sql_type = BigInt)]
    id: i64,
    #[diesel(sql_type = BigInt)]
    other: i64,
}

#[derive(QueryableByName)]
struct KeyedSum {
    #[diesel(sql_type = BigInt)]
    id: i64,
    #[diesel(sql_type = Text)]
    key: String,
    #[diesel(sql_type = BigInt)]
    usd_minor: i64,
}

#[derive(QueryableByName)]
struct Spent {
    #[diesel(sql_type = BigInt)]
    id: i64,
    #[diesel(sql_type = BigInt)]
    project: i64,
    #[diesel(sql_type = BigInt)]
    usd_minor: i64,
}

#[derive(QueryableByName)]
struct LatestRow {
    #[diesel(sql_type = BigInt)]
    id: i64,
    #[diesel(sql_type = Nullable<Text>)]
    band: Option<String>,
    #[diesel(sql_type = Nullable<Double>)]
    composite: Option<f64>,
}

#[derive(QueryableByName)]
struct PairRow {
    #[diesel(sql_type = BigInt)]
    id: i64,
    #[diesel(sql_type = Nullable<Double>)]
    be: Option<f64>,
    #[diesel(sql_type = Nullable<Double>)]
    bs: Option<f64>,
    #[diesel(sql_type = Nullable<Double>)]
    bp: Option<f64>,
    #[diesel(sql_type = Nullable<Double>)]
    bc: Option<f64>,
    #[diesel(sql_type = Nullable<Double>)]
    le: Option<f64>,
    #[diesel(sql_type = Nullable<Double>)]
    ls: Option<f64>,
    #[diesel(sql_type = Nullable<Double>)]
    lp: Option<f64>,
    #[diesel(sql_type = Nullable<Double>)]
    lc: Option<f64>,
}

/// `sql` with ` AND <column> IN (...)` when only some cases are read.
fn query(backend: Backend, sql: &str, column: &str, ids: Option<&[i64]>, tail: &str) -> Sql {
    let mut q = Sql::new(backend);
    q.push(sql);
    if let Some(ids) = ids {
        q.push(" AND ").push(column).push(" IN ").int_list(ids);
    }
    q.push(tail);
    q
}

fn year(date: &str) -> Option<i16> {
    date.get(..4)?.parse().ok()
}

fn days(date: &str) -> Option<i64> {
    date.get(..10)?.parse::<Ymd>().ok().map(|d| d.to_days())
}

fn scores(v: [Option<f64>; 4]) -> Scores4 {
    v.map(|x| x.and_then(Score::new))
}

/// The facts of every case (`ids: None`) or of the cases named, by case number; a case
/// named that no longer exists is simply absent.
fn read_facts(
    c: &mut DbConnection,
    backend: Backend,
    facts: &mut Facts,
    instrument: Option<i64>,
    ids: Option<&[i64]>,
) -> Result<HashMap<i64, CaseFact>, StoreError> {
    if ids.is_some_and(<[i64]>::is_empty) {
        return Ok(HashMap::new());
    }
    let rows: Vec<CaseRow> = query(
        backend,
        "SELECT c.id, c.returnee_id, c.owning_office_id, COALESCE(c.assigned_user_id, 0) AS assigned, \
         COALESCE(c.project_id, 0) AS project, COALESCE(c.package_id, 0) AS package, c.status, \
         c.arrived_on, c.plan_agreed_on, c.created_at, r.sex, r.birth_date, r.return_country \
         FROM cases c JOIN returnees r ON r.id = c.returnee_id WHERE 1 = 1",
        "c.id",
        ids,
        "",
    )
    .load(c)?;

    let mut vulnerable: HashMap<i64, u16> = HashMap::new();
    let bits: HashMap<&str, u16> = Vulnerability::ALL
        .iter()
        .map(|v| (v.code(), vulnerability_bit(*v)))
        .collect();
    let vq = match ids {
        None => query(
            backend,
            "SELECT returnee_id AS id, code FROM returnee_vulnerabilities",
            "",
            None,
            "",
        ),
        Some(ids) => query(
            backend,
            "SELECT v.returnee_id AS id, v.code FROM returnee_vulnerabilities v \
             JOIN cases c ON c.returnee_id = v.returnee_id WHERE 1 = 1",
            "c.id",
            Some(ids),
            "",
        ),
    };
    for r in vq.load::<IdCode>(c)? {
        if let Some(b) = bits.get(r.code.as_str()) {
            *vulnerable.entry(r.id).or_default() |= b;
        }
    }

    let mut shares: HashMap<i64, Vec<i64>> = HashMap::new();
    for r in query(
        backend,
        "SELECT case_id AS id, office_id AS other FROM case_shares WHERE 1 = 1",
        "case_id",
        ids,
        "",
    )
    .load::<IdPair>(c)?
    {
        shares.entry(r.id).or_default().push(r.other);
    }

    let mut amounts: HashMap<i64, Vec<Amount>> = HashMap::new();
    for r in query(
        backend,
        "SELECT case_id AS id, category AS key, CAST(SUM(cost_usd_minor) AS BIGINT) AS usd_minor \
         FROM plan_items WHERE 1 = 1",
        "case_id",
        ids,
        " GROUP BY case_id, category",
    )
    .load::<KeyedSum>(c)?
    {
        let category = facts.key(&r.key);
        amounts.entry(r.id).or_default().push(Amount::Planned {
            category,
            usd_minor: r.usd_minor,
        });
    }
    for r in query(
        backend,
        "SELECT d.case_id AS id, pi.category AS key, CAST(SUM(d.usd_minor) AS BIGINT) AS usd_minor \
         FROM disbursements d JOIN plan_items pi ON pi.id = d.plan_item_id WHERE 1 = 1",
        "d.case_id",
        ids,
        " GROUP BY d.case_id, pi.category",
    )
    .load::<KeyedSum>(c)?
    {
        let category = facts.key(&r.key);
        amounts.entry(r.id).or_default().push(Amount::Given {
            category,
            usd_minor: r.usd_minor,
        });
    }
    for r in query(
        backend,
        "SELECT case_id AS id, project_id AS project, CAST(SUM(usd_minor) AS BIGINT) AS usd_minor \
         FROM disbursements WHERE project_id IS NOT NULL",
        "case_id",
        ids,
        " GROUP BY case_id, project_id",
    )
    .load::<Spent>(c)?
    {
        amounts.entry(r.id).or_default().push(Amount::Spent {
            project: r.project,
            usd_minor: r.usd_minor,
        });
    }

    let mut latest: HashMap<i64, Latest> = HashMap::new();
    let mut pairs: HashMap<i64, Pair> = HashMap::new();
    if let Some(iid) = instrument {
        for r in query(
            backend,
            &format!(
                "SELECT s.case_id AS id, sc.band, sc.composite FROM surveys s \
                 JOIN survey_scores sc ON sc.survey_id = s.id AND sc.instrument_id = {iid} \
                 WHERE s.latest"
            ),
            "s.case_id",
            ids,
            "",
        )
        .load::<LatestRow>(c)?
        {
            latest.insert(
                r.id,
                Latest {
                    band: r.band.and_then(|b| b.parse::<Band>().ok()),
                    composite: r.composite.and_then(Score::new),
                },
            );
        }
        for r in query(
            backend,
            &format!(
                "SELECT sb.case_id AS id, b.economic AS be, b.social AS bs, b.psychosocial AS bp, \
                 b.composite AS bc, l.economic AS le, l.social AS ls, l.psychosocial AS lp, \
                 l.composite AS lc \
                 FROM surveys sb JOIN survey_scores b ON b.survey_id = sb.id AND b.instrument_id = {iid} \
                 JOIN surveys sl ON sl.case_id = sb.case_id AND sl.latest AND sl.kind = 'follow_up' \
                 JOIN survey_scores l ON l.survey_id = sl.id AND l.instrument_id = {iid} \
                 WHERE sb.kind = 'baseline'"
            ),
            "sb.case_id",
            ids,
            "",
        )
        .load::<PairRow>(c)?
        {
            pairs.insert(
                r.id,
                Pair {
                    baseline: scores([r.be, r.bs, r.bp, r.bc]),
                    latest: scores([r.le, r.ls, r.lp, r.lc]),
                },
            );
        }
    }

    let mut out = HashMap::with_capacity(rows.len());
    for r in rows {
        let arrived_days = r.arrived_on.as_deref().and_then(days);
        let plan_days = match (arrived_days, r.plan_agreed_on.as_deref().and_then(days)) {
            (Some(a), Some(p)) => i32::try_from(p - a).ok(),
            _ => None,
        };
        let at_return = year(r.arrived_on.as_deref().unwrap_or(&r.created_at));
        let age_at_return = match (at_return, r.birth_date.as_deref().and_then(year)) {
            (Some(a), Some(b)) => Some(a - b),
            _ => None,
        };
        let fact = CaseFact {
            case_id: r.id,
            owning_office: r.owning_office_id,
            assigned_user: r.assigned,
            project: r.project,
            package: r.package,
            shared_with: shares.remove(&r.id).unwrap_or_default().into_boxed_slice(),
            status: facts.key(&r.status),
            return_country: facts.key(&r.return_country),
            sex: facts.key(&r.sex),
            vulnerabilities: vulnerable.get(&r.returnee_id).copied().unwrap_or(0),
            arrived_year: r.arrived_on.as_deref().and_then(year),
            age_at_return,
            plan_days,
            plan_agreed: r.plan_agreed_on.is_some(),
            amounts: amounts.remove(&r.id).unwrap_or_default().into_boxed_slice(),
            latest: latest.remove(&r.id),
            pair: pairs.remove(&r.id),
        };
        out.insert(r.id, fact);
    }
    Ok(out)
}
