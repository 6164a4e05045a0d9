//! The numbers behind the dashboards, within the reader's scope and the filters given:
//! returns by year, cases by status, days from arrival to an approved plan, assistance by
//! category against plan and against project budgets, the latest survey's bands under the
//! current instrument, change from baseline to the latest follow-up, and returns and mean
//! scores by country of return. Counts only, never a name; whether small numbers must be
//! withheld is decided here, with the reader.

use crate::sql::Sql;
use crate::{Backend, DbConnection, Store, StoreError};
use diesel::QueryableByName;
use diesel::sql_types::{BigInt, Double, Nullable, Text};
use homeward_domain::access::{Authorized, ReadCases, RecordFilter, SeeAggregates};
use homeward_domain::dashboard::DashboardFilter;

pub use crate::cases::Count;

/// A mean with the number of cases it stands for.
#[derive(Debug, Clone, PartialEq, QueryableByName)]
pub struct Mean {
    #[diesel(sql_type = Text)]
    pub key: String,
    #[diesel(sql_type = Nullable<Double>)]
    pub mean: Option<f64>,
    #[diesel(sql_type = BigInt)]
    pub n: i64,
}

/// Money by a key (USD minor units) with the cases it stands for.
#[derive(Debug, Clone, PartialEq, Eq, QueryableByName)]
pub struct Money {
    #[diesel(sql_type = Text)]
    pub key: String,
    #[diesel(sql_type = BigInt)]
    pub usd_minor: i64,
    #[diesel(sql_type = BigInt)]
    pub n: i64,
}

/// A project's budget and what cases charged to it.
#[derive(Debug, Clone, PartialEq, Eq, QueryableByName)]
pub struct ProjectSpend {
    #[diesel(sql_type = Text)]
    pub key: String,
    #[diesel(sql_type = Text)]
    pub title: String,
    #[diesel(sql_type = Nullable<BigInt>)]
    pub budget_minor: Option<i64>,
    #[diesel(sql_type = Nullable<Text>)]
    pub budget_currency: Option<String>,
    #[diesel(sql_type = BigInt)]
    pub usd_minor: i64,
    #[diesel(sql_type = BigInt)]
    pub n: i64,
}

/// Mean scores at baseline and at the latest follow-up, for cases that have both.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    /// economic, social, psychosocial, composite
    pub key: &'static str,
    pub baseline: Option<f64>,
    pub latest: Option<f64>,
    pub n: i64,
}

/// Everything one dashboard shows.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Dashboard {
    /// Counts under five must be withheld: the reader cannot read the cases behind them.
    pub withhold_small: bool,
    pub cases: i64,
    pub returns_by_year: Vec<Count>,
    pub by_status: Vec<Count>,
    /// Days from arrival to the plan agreed, per day count.
    pub plan_days: Vec<Count>,
    pub planned_by_category: Vec<Money>,
    pub given_by_category: Vec<Money>,
    pub projects: Vec<ProjectSpend>,
    /// Latest survey per case by band (`low`, `medium`, `high`, `none` without a composite).
    pub bands: Vec<Count>,
    pub change: Vec<Change>,
    pub returns_by_country: Vec<Count>,
    pub score_by_country: Vec<Mean>,
    /// The instrument the scores are under, `code vN`.
    pub instrument: Option<String>,
}

/// `FROM cases c JOIN returnees r ... WHERE <scope> AND <filters>`, after `head` (which
/// may join more tables before the cases).
fn push_cases(q: &mut Sql, scope: RecordFilter, f: &DashboardFilter) {
    q.push(" JOIN returnees r ON r.id = c.returnee_id WHERE ");
    crate::cases::push_scope(q, scope);
    if let Some(cc) = &f.return_country {
        q.push(" AND r.return_country = ").text(cc.as_str());
    }
    if let Some(o) = f.office {
        q.push(" AND c.owning_office_id = ").int(o);
    }
    if let Some(p) = f.project {
        q.push(" AND c.project_id = ").int(p);
    }
    if let Some(p) = f.package {
        q.push(" AND c.package_id = ").int(p);
    }
    if let Some(y) = f.year {
        q.push(" AND c.arrived_on >= ")
            .text(format!("{y:04}-01-01"))
            .push(" AND c.arrived_on < ")
            .text(format!("{:04}-01-01", y + 1));
    }
    if let Some(s) = f.sex {
        q.push(" AND r.sex = ").text(s.code());
    }
    if let Some(a) = f.age_group {
        let (lo, hi) = a.years();
        q.push(
            " AND r.birth_date IS NOT NULL AND CAST(SUBSTR(COALESCE(c.arrived_on, c.created_at), 1, 4) AS INTEGER) \
             - CAST(SUBSTR(r.birth_date, 1, 4) AS INTEGER) BETWEEN ",
        )
        .int(lo.into())
        .push(" AND ")
        .int(hi.into());
    }
    if let Some(v) = f.vulnerability {
        q.push(
            " AND EXISTS (SELECT 1 FROM returnee_vulnerabilities v WHERE v.returnee_id = r.id \
             AND v.code = ",
        )
        .text(v.code())
        .push(")");
    }
}

/// What every query of one dashboard shares: the backend, the reader's scope, the filters.
#[derive(Clone, Copy)]
struct Ctx<'a> {
    backend: Backend,
    scope: RecordFilter,
    f: &'a DashboardFilter,
}

impl Ctx<'_> {
    /// `select FROM from <cases and filters> extra GROUP BY group`, ordered by key.
    fn counts(
        &self,
        c: &mut DbConnection,
        select: &str,
        from: &str,
        extra: &str,
        group: &str,
    ) -> Result<Vec<Count>, StoreError> {
        let mut q = Sql::new(self.backend);
        q.push(select).push(" FROM ").push(from);
        push_cases(&mut q, self.scope, self.f);
        q.push(extra)
            .push(" GROUP BY ")
            .push(group)
            .push(" ORDER BY 1");
        Ok(q.load(c)?)
    }
}

#[derive(QueryableByName)]
struct Means {
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
    #[diesel(sql_type = BigInt)]
    n: i64,
}

impl Store {
    /// The dashboard for `f` within what the reader may count; read as a dashboard
    /// (parallel workers allowed on PostgreSQL).
    pub fn dashboard(
        &self,
        auth: &Authorized<SeeAggregates>,
        f: &DashboardFilter,
    ) -> Result<Dashboard, StoreError> {
        let backend = self.backend();
        let scope = auth.filter();
        let withhold_small = auth.principal().authorize::<ReadCases>().is_err();
        let ctx = Ctx { backend, scope, f };
        self.read(|c| {
            let by_status = ctx.counts(c, "SELECT c.status AS key, COUNT(*) AS n", "cases c", "", "c.status")?;
            let days = match backend {
                Backend::Sqlite => "CAST(julianday(c.plan_agreed_on) - julianday(c.arrived_on) AS INTEGER)",
                Backend::Postgres => "(CAST(c.plan_agreed_on AS DATE) - CAST(c.arrived_on AS DATE))",
            };
            let plan_days = ctx.counts(c, &format!("SELECT CAST({days} AS TEXT) AS key, COUNT(*) AS n"),
                "cases c",
                " AND c.arrived_on IS NOT NULL AND c.plan_agreed_on IS NOT NULL",
                days)?;
            let money = |c: &mut DbConnection, select: &str, from: &str| -> Result<Vec<Money>, StoreError> {
                let mut q = Sql::new(backend);
                q.push(select).push(" FROM ").push(from);
                push_cases(&mut q, scope, f);
                q.push(" GROUP BY pi.category ORDER BY 1");
                Ok(q.load(c)?)
            };
            let planned_by_category = money(
                c,
                "SELECT pi.category AS key, CAST(SUM(pi.cost_usd_minor) AS BIGINT) AS usd_minor, COUNT(DISTINCT c.id) AS n",
                "plan_items pi JOIN cases c ON c.id = pi.case_id",
            )?;
            let given_by_category = money(
                c,
                "SELECT pi.category AS key, CAST(SUM(d.usd_minor) AS BIGINT) AS usd_minor, COUNT(DISTINCT c.id) AS n",
                "disbursements d JOIN plan_items pi ON pi.id = d.plan_item_id JOIN cases c ON c.id = d.case_id",
            )?;
            let mut q = Sql::new(backend);
            q.push(
                "SELECT CAST(p.id AS TEXT) AS key, p.title, p.budget_minor, p.budget_currency, \
                 CAST(SUM(d.usd_minor) AS BIGINT) AS usd_minor, COUNT(DISTINCT c.id) AS n \
                 FROM disbursements d JOIN projects p ON p.id = d.project_id JOIN cases c ON c.id = d.case_id",
            );
            push_cases(&mut q, scope, f);
            q.push(" GROUP BY p.id, p.title, p.budget_minor, p.budget_currency ORDER BY 5 DESC");
            let projects: Vec<ProjectSpend> = q.load(c)?;
            let current = crate::instruments::current(c, backend)?;
            let (bands, change, score_by_country) = match &current {
                None => (vec![], vec![], vec![]),
                Some(cur) => {
                    let iid = cur.id;
                    let from = format!(
                        "surveys s JOIN survey_scores sc ON sc.survey_id = s.id AND sc.instrument_id = {iid} \
                         JOIN cases c ON c.id = s.case_id"
                    );
                    let bands = ctx.counts(c, "SELECT COALESCE(sc.band, 'none') AS key, COUNT(*) AS n",
                        &from,
                        " AND s.latest",
                        "COALESCE(sc.band, 'none')")?;
                    let mut q = Sql::new(backend);
                    q.push(&format!(
                        "SELECT r.return_country AS key, AVG(sc.composite) AS mean, COUNT(sc.composite) AS n FROM {from}"
                    ));
                    push_cases(&mut q, scope, f);
                    q.push(" AND s.latest GROUP BY r.return_country ORDER BY 1");
                    let by_country: Vec<Mean> = q.load(c)?;
                    let mut q = Sql::new(backend);
                    q.push(&format!(
                        "SELECT AVG(b.economic) AS be, AVG(b.social) AS bs, AVG(b.psychosocial) AS bp, \
                         AVG(b.composite) AS bc, AVG(l.economic) AS le, AVG(l.social) AS ls, \
                         AVG(l.psychosocial) AS lp, AVG(l.composite) AS lc, COUNT(*) AS n \
                         FROM surveys sb JOIN survey_scores b ON b.survey_id = sb.id AND b.instrument_id = {iid} \
                         JOIN surveys sl ON sl.case_id = sb.case_id AND sl.latest AND sl.kind = 'follow_up' \
                         JOIN survey_scores l ON l.survey_id = sl.id AND l.instrument_id = {iid} \
                         JOIN cases c ON c.id = sb.case_id"
                    ));
                    push_cases(&mut q, scope, f);
                    q.push(" AND sb.kind = 'baseline'");
                    let m = q.load::<Means>(c)?.into_iter().next();
                    let change = match m {
                        Some(m) => vec![
                            Change { key: "economic", baseline: m.be, latest: m.le, n: m.n },
                            Change { key: "social", baseline: m.bs, latest: m.ls, n: m.n },
                            Change { key: "psychosocial", baseline: m.bp, latest: m.lp, n: m.n },
                            Change { key: "composite", baseline: m.bc, latest: m.lc, n: m.n },
                        ],
                        None => vec![],
                    };
                    (bands, change, by_country)
                }
            };
            Ok(Dashboard {
                withhold_small,
                cases: by_status.iter().map(|k| k.n).sum(),
                returns_by_year: ctx.counts(c, "SELECT SUBSTR(c.arrived_on, 1, 4) AS key, COUNT(*) AS n",
                    "cases c",
                    " AND c.arrived_on IS NOT NULL",
                    "SUBSTR(c.arrived_on, 1, 4)")?,
                by_status,
                plan_days,
                planned_by_category,
                given_by_category,
                projects,
                bands,
                change,
                returns_by_country: ctx.counts(c, "SELECT r.return_country AS key, COUNT(*) AS n", "cases c", "", "r.return_country")?,
                score_by_country,
                instrument: current.map(|x| format!("{} v{}", x.code, x.version)),
            })
        })
    }
}
