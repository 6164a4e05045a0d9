//! The numbers behind the dashboards, within the reader's scope and the filters given:
//! returns by year, cases by status, days from arrival to an approved plan, assistance by
//! category against plan and against project budgets, the latest survey's bands and
//! deciles under the current instrument, change from baseline to the latest follow-up,
//! and returns and mean scores by country of return. Counts only, never a name; whether
//! small numbers must be withheld is decided here, with the reader. The counting is the
//! domain's ([`homeward_domain::dashboard::Tally`]) over the facts each server keeps in
//! memory (`dashboard_facts`).

use crate::db::sql::Sql;
use crate::{Store, StoreError};
use diesel::QueryableByName;
use diesel::sql_types::{BigInt, Nullable, Text};
use homeward_domain::access::{Authorized, ReadCases, SeeAggregates};
use homeward_domain::dashboard::{DashboardFilter, Withheld, guard};

pub use homeward_domain::dashboard::{Change, Count, Mean, Sums as Money, Tally};

/// A project's budget and what cases charged to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProjectSpend {
    pub key: String,
    pub title: String,
    pub budget_minor: Option<i64>,
    pub budget_currency: Option<String>,
    pub usd_minor: i64,
    pub n: i64,
}

/// Everything one dashboard shows.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Dashboard {
    /// Counts under five must be withheld: the reader cannot read the cases behind them.
    pub withhold_small: bool,
    /// Every view's counts (its `spend` by project number; `projects` names them).
    pub counts: Tally,
    /// What cases charged to each project, with its title and budget, most first.
    pub projects: Vec<ProjectSpend>,
    /// The instrument the scores are under, `code vN`.
    pub instrument: Option<String>,
    /// The figures not shown (nothing unless small numbers are withheld).
    pub withheld: Withheld,
}

#[derive(QueryableByName)]
struct ProjectRow {
    #[diesel(sql_type = BigInt)]
    id: i64,
    #[diesel(sql_type = Text)]
    title: String,
    #[diesel(sql_type = Nullable<BigInt>)]
    budget_minor: Option<i64>,
    #[diesel(sql_type = Nullable<Text>)]
    budget_currency: Option<String>,
}

impl Store {
    /// The dashboard for `f` within what the reader may count, its figures withheld
    /// where the reader may not read the cases behind them.
    pub fn dashboard(
        &self,
        auth: &Authorized<SeeAggregates>,
        f: &DashboardFilter,
    ) -> Result<Dashboard, StoreError> {
        let withhold = auth.principal().authorize::<ReadCases>().is_err();
        self.dashboard_guarded(auth, f, withhold)
    }

    /// The same, with small numbers withheld whoever reads: for downloads, which travel.
    pub fn dashboard_to_take_away(
        &self,
        auth: &Authorized<SeeAggregates>,
        f: &DashboardFilter,
    ) -> Result<Dashboard, StoreError> {
        self.dashboard_guarded(auth, f, true)
    }

    fn dashboard_guarded(
        &self,
        auth: &Authorized<SeeAggregates>,
        f: &DashboardFilter,
        withhold_small: bool,
    ) -> Result<Dashboard, StoreError> {
        let backend = self.backend();
        let scope = auth.filter();
        self.read(|c| {
            let (t, instrument, withheld) = self.dashboard_facts.with(c, backend, |s| {
                let instrument = s
                    .instrument
                    .as_ref()
                    .map(|x| format!("{} v{}", x.code, x.version));
                let t = s.facts.tally(scope, f);
                // Each filter left out in turn: what the reader could ask for next.
                let withheld = if withhold_small {
                    let without: Vec<Tally> = f
                        .each_left_out()
                        .iter()
                        .map(|g| s.facts.tally(scope, g))
                        .collect();
                    guard(&t, &without)
                } else {
                    Withheld::default()
                };
                (t, instrument, withheld)
            })?;
            let mut titles = std::collections::HashMap::new();
            if !t.spend.is_empty() {
                let ids: Vec<i64> = t.spend.iter().map(|p| p.project).collect();
                let mut q = Sql::new(backend);
                q.push(
                    "SELECT id, title, budget_minor, budget_currency FROM projects WHERE id IN ",
                )
                .int_list(&ids);
                for p in q.load::<ProjectRow>(c)? {
                    titles.insert(p.id, p);
                }
            }
            let projects = t
                .spend
                .iter()
                .filter_map(|s| {
                    let p = titles.remove(&s.project)?;
                    Some(ProjectSpend {
                        key: s.project.to_string(),
                        title: p.title,
                        budget_minor: p.budget_minor,
                        budget_currency: p.budget_currency,
                        usd_minor: s.usd_minor,
                        n: s.n,
                    })
                })
                .collect();
            Ok(Dashboard {
                withhold_small,
                counts: Tally {
                    change: if instrument.is_some() {
                        t.change
                    } else {
                        vec![]
                    },
                    ..t
                },
                projects,
                instrument,
                withheld,
            })
        })
    }

    /// Reads the dashboards' facts now (from those stored in the database and the cases
    /// changed since, or every case), so the first dashboard after start does not wait for
    /// them; returns how many cases they hold and roughly how many bytes.
    pub fn warm_dashboards(&self) -> Result<(usize, usize), StoreError> {
        let backend = self.backend();
        self.read(|c| {
            self.dashboard_facts
                .with(c, backend, |s| (s.facts.len(), s.facts.heap_bytes()))
        })
    }

    /// Stores the facts this server holds for the next server to start from, when they
    /// changed since last stored; returns the bytes written.
    pub fn store_dashboard_facts(&self) -> Result<Option<usize>, StoreError> {
        let backend = self.backend();
        self.write(|c| self.dashboard_facts.store(c, backend))
    }
}

/// What community projects and capacity-building activities charged to one project, in USD
/// minor units (cases' assistance is `Store::project_case_spending`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct LevelSpending {
    pub community_usd_minor: i64,
    pub structural_usd_minor: i64,
}

#[derive(QueryableByName)]
struct Spent {
    #[diesel(sql_type = Text)]
    level: String,
    #[diesel(sql_type = BigInt)]
    usd_minor: i64,
}

impl Store {
    /// The counts anyone may see about a country of return, over every case: the caller
    /// withholds small numbers (the public reads no case).
    pub fn country_counts(
        &self,
        country: homeward_domain::CountryCode,
    ) -> Result<(Dashboard, i64), StoreError> {
        let backend = self.backend();
        let f = DashboardFilter {
            return_country: Some(country),
            ..Default::default()
        };
        self.read(|c| {
            let (t, instrument) = self.dashboard_facts.with(c, backend, |s| {
                let instrument = s
                    .instrument
                    .as_ref()
                    .map(|x| format!("{} v{}", x.code, x.version));
                (
                    s.facts
                        .tally(homeward_domain::access::RecordFilter::All, &f),
                    instrument,
                )
            })?;
            let given = t.given_by_category.iter().map(|m| m.usd_minor).sum();
            Ok((
                Dashboard {
                    withhold_small: true,
                    withheld: guard(&t, &[]),
                    counts: t,
                    projects: vec![],
                    instrument,
                },
                given,
            ))
        })
    }

    /// Money charged to project `id` by the community and structural levels.
    pub fn level_spending(&self, id: i64) -> Result<LevelSpending, StoreError> {
        self.read(|c| {
            let mut q = Sql::new(self.backend());
            q.push(
                "SELECT level, CAST(COALESCE(SUM(usd_minor), 0) AS BIGINT) AS usd_minor \
                 FROM activity_expenses WHERE project_id = ",
            )
            .int(id)
            .push(" GROUP BY level");
            let mut out = LevelSpending::default();
            for r in q.load::<Spent>(c)? {
                match r.level.as_str() {
                    "community" => out.community_usd_minor = r.usd_minor,
                    _ => out.structural_usd_minor = r.usd_minor,
                }
            }
            Ok(out)
        })
    }
}
