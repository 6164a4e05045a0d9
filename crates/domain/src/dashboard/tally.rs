//! The counting behind every dashboard view, in one pass over the cases in the reader's
//! scope that match the filters: returns by year, cases by stage, days from arrival to the
//! plan, money planned and given by category and charged to projects, the latest survey's
//! bands and deciles, change from baseline to the latest follow-up, returns and mean
//! scores by country of return. Counts only: whether a small one may be shown is the
//! caller's to decide ([`crate::disclosure`]).

use super::facts::{Amount, CaseFact, Facts, Key, Scores4, vulnerability_bit};
use super::filter::DashboardFilter;
use crate::access::RecordFilter;
use crate::indicator_binding::CaseMeasure;
use crate::reintegration::stage::Stage;
use crate::survey::Band;
use std::collections::{BTreeMap, HashMap};

/// A number of cases under a key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Count {
    pub key: String,
    pub n: i64,
}

/// A mean with the number of values it stands for.
#[derive(Debug, Clone, PartialEq)]
pub struct Mean {
    pub key: String,
    pub mean: Option<f64>,
    pub n: i64,
}

/// Money under a key (USD minor units) with the cases it stands for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sums {
    pub key: String,
    pub usd_minor: i64,
    pub n: i64,
}

/// What cases charged to one project.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spend {
    pub project: i64,
    pub usd_minor: i64,
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

/// Everything the dashboard views count.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Tally {
    pub cases: i64,
    pub returns_by_year: Vec<Count>,
    /// In the order of the stages.
    pub by_status: Vec<Count>,
    /// Cases per number of days from arrival to the plan agreed, fewest days first.
    pub plan_days: Vec<Count>,
    pub planned_by_category: Vec<Sums>,
    pub given_by_category: Vec<Sums>,
    /// Most money first.
    pub spend: Vec<Spend>,
    /// Latest survey per case by band (`low`, `medium`, `high`, `none` without a composite).
    pub bands: Vec<Count>,
    /// Latest composite scores in tenths: [0, 0.1), [0.1, 0.2) ... [0.9, 1].
    pub deciles: [i64; 10],
    pub change: Vec<Change>,
    pub returns_by_country: Vec<Count>,
    pub score_by_country: Vec<Mean>,
}

const DIMENSIONS: [&str; 4] = ["economic", "social", "psychosocial", "composite"];

/// Days counted one by one in an array; rarer ones (negative, over ten years) in a map.
const DAY_SLOTS: usize = 3_661;

/// The filters as keys of these facts; `None` when a filter names a text no case has.
struct Wanted {
    country: Option<Key>,
    sex: Option<Key>,
    vulnerability: u16,
    age: Option<(i32, i32)>,
}

impl Wanted {
    fn of(facts: &Facts, f: &DashboardFilter) -> Option<Wanted> {
        let key = |t: Option<&str>| match t {
            None => Some(None),
            Some(t) => facts.find(t).map(Some),
        };
        Some(Wanted {
            country: key(f.return_country.as_ref().map(|c| c.as_str()))?,
            sex: key(f.sex.map(|s| s.code()))?,
            vulnerability: f.vulnerability.map_or(0, vulnerability_bit),
            age: f.age_group.map(|a| a.years()),
        })
    }

    fn matches(&self, c: &CaseFact, f: &DashboardFilter) -> bool {
        self.country.is_none_or(|k| c.return_country == k)
            && self.sex.is_none_or(|k| c.sex == k)
            && f.office.is_none_or(|o| c.owning_office == o)
            && f.project.is_none_or(|p| c.project == p)
            && f.package.is_none_or(|p| c.package == p)
            && f.year
                .is_none_or(|y| c.arrived_year.map(i32::from) == Some(y))
            && (self.vulnerability == 0 || c.vulnerabilities & self.vulnerability != 0)
            && self.age.is_none_or(|(lo, hi)| {
                c.age_at_return
                    .is_some_and(|a| (lo..=hi).contains(&i32::from(a)))
            })
    }
}

/// Whether the reader's scope covers the case, as the store's SQL scope does.
pub fn in_scope(scope: RecordFilter, c: &CaseFact) -> bool {
    match scope {
        RecordFilter::All => true,
        RecordFilter::Own { user_id } => c.assigned_user == user_id,
        RecordFilter::Office { user_id, office_id } => {
            c.assigned_user == user_id || c.owning_office == office_id
        }
        RecordFilter::Shared { user_id, office_id } => {
            c.assigned_user == user_id
                || c.owning_office == office_id
                || c.shared_with.contains(&office_id)
        }
    }
}

/// Running sums, indexed by key where the key is one of the facts' texts.
struct Acc {
    cases: i64,
    years: BTreeMap<i16, i64>,
    status: Vec<i64>,
    days: Vec<i64>,
    rare_days: BTreeMap<i32, i64>,
    planned: Vec<(i64, i64)>,
    given: Vec<(i64, i64)>,
    spend: HashMap<i64, (i64, i64)>,
    bands: [i64; 4],
    deciles: [i64; 10],
    pairs: i64,
    change_sum: [f64; 8],
    change_n: [i64; 8],
    country: Vec<i64>,
    country_scored: Vec<(bool, f64, i64)>,
}

impl Acc {
    fn new(keys: usize) -> Acc {
        Acc {
            cases: 0,
            years: BTreeMap::new(),
            status: vec![0; keys],
            days: vec![0; DAY_SLOTS],
            rare_days: BTreeMap::new(),
            planned: vec![(0, 0); keys],
            given: vec![(0, 0); keys],
            spend: HashMap::new(),
            bands: [0; 4],
            deciles: [0; 10],
            pairs: 0,
            change_sum: [0.0; 8],
            change_n: [0; 8],
            country: vec![0; keys],
            country_scored: vec![(false, 0.0, 0); keys],
        }
    }

    fn add(&mut self, c: &CaseFact) {
        self.cases += 1;
        if let Some(y) = c.arrived_year {
            *self.years.entry(y).or_default() += 1;
        }
        self.status[usize::from(c.status)] += 1;
        self.country[usize::from(c.return_country)] += 1;
        if let Some(d) = c.plan_days {
            match usize::try_from(d) {
                Ok(i) if i < DAY_SLOTS => self.days[i] += 1,
                _ => *self.rare_days.entry(d).or_default() += 1,
            }
        }
        for a in c.amounts.iter() {
            match *a {
                Amount::Planned {
                    category,
                    usd_minor,
                } => {
                    let s = &mut self.planned[usize::from(category)];
                    s.0 += usd_minor;
                    s.1 += 1;
                }
                Amount::Given {
                    category,
                    usd_minor,
                } => {
                    let s = &mut self.given[usize::from(category)];
                    s.0 += usd_minor;
                    s.1 += 1;
                }
                Amount::Spent { project, usd_minor } => {
                    let s = self.spend.entry(project).or_default();
                    s.0 += usd_minor;
                    s.1 += 1;
                }
            }
        }
        if let Some(l) = c.latest {
            let slot = match l.band {
                Some(Band::Low) => 0,
                Some(Band::Medium) => 1,
                Some(Band::High) => 2,
                None => 3,
            };
            self.bands[slot] += 1;
            let s = &mut self.country_scored[usize::from(c.return_country)];
            s.0 = true;
            if let Some(x) = l.composite {
                let x = x.get();
                self.deciles[((x * 10.0) as usize).min(9)] += 1;
                s.1 += x;
                s.2 += 1;
            }
        }
        if let Some(p) = c.pair {
            self.pairs += 1;
            let both: [Scores4; 2] = [p.baseline, p.latest];
            for (i, v) in both.iter().flatten().enumerate() {
                if let Some(x) = v {
                    self.change_sum[i] += x.get();
                    self.change_n[i] += 1;
                }
            }
        }
    }

    fn finish(self, facts: &Facts) -> Tally {
        let keyed = |v: &[i64]| -> Vec<Count> {
            let mut out: Vec<Count> = v
                .iter()
                .enumerate()
                .filter(|(_, n)| **n > 0)
                .map(|(k, n)| Count {
                    key: facts.name(k as Key).to_owned(),
                    n: *n,
                })
                .collect();
            out.sort_by(|a, b| a.key.cmp(&b.key));
            out
        };
        let sums = |v: &[(i64, i64)]| -> Vec<Sums> {
            let mut out: Vec<Sums> = v
                .iter()
                .enumerate()
                .filter(|(_, (_, n))| *n > 0)
                .map(|(k, (usd, n))| Sums {
                    key: facts.name(k as Key).to_owned(),
                    usd_minor: *usd,
                    n: *n,
                })
                .collect();
            out.sort_by(|a, b| a.key.cmp(&b.key));
            out
        };
        let mut by_status = keyed(&self.status);
        let stage_order = |key: &str| {
            key.parse::<Stage>()
                .ok()
                .and_then(|s| Stage::ALL.iter().position(|x| *x == s))
                .unwrap_or(usize::MAX)
        };
        by_status.sort_by_key(|c| stage_order(&c.key));
        let mut days: Vec<(i32, i64)> = self.rare_days.into_iter().collect();
        days.extend(
            self.days
                .iter()
                .enumerate()
                .filter(|(_, n)| **n > 0)
                .map(|(d, n)| (d as i32, *n)),
        );
        days.sort_unstable();
        let mut spend: Vec<Spend> = self
            .spend
            .into_iter()
            .map(|(project, (usd_minor, n))| Spend {
                project,
                usd_minor,
                n,
            })
            .collect();
        spend.sort_by(|a, b| {
            b.usd_minor
                .cmp(&a.usd_minor)
                .then(a.project.cmp(&b.project))
        });
        let mean = |sum: f64, n: i64| (n > 0).then(|| sum / n as f64);
        let change = DIMENSIONS
            .iter()
            .enumerate()
            .map(|(i, key)| Change {
                key,
                baseline: mean(self.change_sum[i], self.change_n[i]),
                latest: mean(self.change_sum[i + 4], self.change_n[i + 4]),
                n: self.pairs,
            })
            .collect();
        let bands = ["low", "medium", "high", "none"]
            .iter()
            .zip(self.bands)
            .filter(|(_, n)| *n > 0)
            .map(|(k, n)| Count {
                key: (*k).to_owned(),
                n,
            })
            .collect();
        let mut score_by_country: Vec<Mean> = self
            .country_scored
            .iter()
            .enumerate()
            .filter(|(_, (any, _, _))| *any)
            .map(|(k, (_, sum, n))| Mean {
                key: facts.name(k as Key).to_owned(),
                mean: mean(*sum, *n),
                n: *n,
            })
            .collect();
        score_by_country.sort_by(|a, b| a.key.cmp(&b.key));
        Tally {
            cases: self.cases,
            returns_by_year: self
                .years
                .into_iter()
                .map(|(y, n)| Count {
                    key: format!("{y:04}"),
                    n,
                })
                .collect(),
            by_status,
            plan_days: days
                .into_iter()
                .map(|(d, n)| Count {
                    key: d.to_string(),
                    n,
                })
                .collect(),
            planned_by_category: sums(&self.planned),
            given_by_category: sums(&self.given),
            spend,
            bands,
            deciles: self.deciles,
            change,
            returns_by_country: keyed(&self.country),
            score_by_country,
        }
    }
}

impl Facts {
    /// Counts the cases within `scope` that match `f`.
    pub fn tally(&self, scope: RecordFilter, f: &DashboardFilter) -> Tally {
        let mut acc = Acc::new(self.key_count().max(1));
        if let Some(w) = Wanted::of(self, f) {
            for c in self.cases() {
                if in_scope(scope, c) && w.matches(c, f) {
                    acc.add(c);
                }
            }
        }
        acc.finish(self)
    }

    /// Today's value of a measure over project `project`'s cases, with the cases it stands
    /// for (for a share: those surveyed with a composite score).
    pub fn project_measure(&self, project: i64, m: CaseMeasure) -> (f64, i64) {
        let theirs = self.cases().iter().filter(|c| c.project == project);
        let n = match m {
            CaseMeasure::ReturneesRegistered => theirs.count(),
            CaseMeasure::PlansApproved => theirs.filter(|c| c.plan_agreed).count(),
            CaseMeasure::ReturneesAssisted => {
                // Charged to the project, whichever project funds the case itself.
                let n = self
                    .cases()
                    .iter()
                    .filter(|c| {
                        c.amounts
                            .iter()
                            .any(|a| matches!(a, Amount::Spent { project: p, .. } if *p == project))
                    })
                    .count();
                return (n as f64, n as i64);
            }
            CaseMeasure::ShareHighComposite => {
                let (mut all, mut high) = (0i64, 0i64);
                for l in theirs.filter_map(|c| c.latest) {
                    if l.composite.is_some() {
                        all += 1;
                        high += i64::from(l.band == Some(Band::High));
                    }
                }
                let share = if all > 0 {
                    high as f64 * 100.0 / all as f64
                } else {
                    0.0
                };
                return (share, all);
            }
        };
        (n as f64, n as i64)
    }
}

#[cfg(test)]
mod tests;
