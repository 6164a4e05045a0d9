//! Which figures of a dashboard are withheld from a reader who may not read the cases
//! behind them, decided once for the page, its downloads and the API alike: every count
//! of fewer than five cases; every figure whose difference from the same figure with one
//! of the reader's filters left out counts fewer than five (the filter left out would
//! tell it); and in each breakdown shown beside its total, as many more as keep a
//! withheld count from being worked out from the total and the rest
//! ([`crate::disclosure::withhold_breakdown_from`]). Money and means are withheld with
//! the count of cases they stand for.

use super::tally::{Count, Tally};
use crate::disclosure::{differs_by_few, may_show, withhold_breakdown_from};
use std::collections::{BTreeSet, HashMap};

/// Days from arrival to the plan agreed, in the bands the dashboard shows them in.
pub const DAY_BANDS: [(i64, i64, &str); 5] = [
    (0, 30, "0–30"),
    (31, 60, "31–60"),
    (61, 90, "61–90"),
    (91, 180, "91–180"),
    (181, i64::MAX, "> 180"),
];

/// Cases per band of days to the plan, every band listed.
pub fn plan_day_bands(plan_days: &[Count]) -> Vec<(String, i64)> {
    let mut banded: Vec<(String, i64)> = DAY_BANDS
        .iter()
        .map(|(_, _, l)| ((*l).to_owned(), 0))
        .collect();
    for c in plan_days {
        if let Ok(day) = c.key.parse::<i64>()
            && let Some(i) = DAY_BANDS
                .iter()
                .position(|(lo, hi, _)| day >= *lo && day <= *hi)
        {
            banded[i].1 += c.n;
        }
    }
    banded
}

/// The figures withheld: whole views, or cells by view and key.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Withheld {
    whole: BTreeSet<&'static str>,
    cells: BTreeSet<(&'static str, String)>,
}

impl Withheld {
    /// Whether the figure of `key` in `view` is withheld.
    pub fn is(&self, view: &str, key: &str) -> bool {
        self.whole.contains(view) || self.cells.contains(&(view, key.to_owned()))
    }

    /// Whether all of `view` is withheld (its breakdown could not be protected cell by
    /// cell).
    pub fn whole(&self, view: &str) -> bool {
        self.whole.contains(view)
    }

    pub fn is_empty(&self) -> bool {
        self.whole.is_empty() && self.cells.is_empty()
    }

    /// One view's cells; with `beside_total`, protected as a breakdown of its total.
    fn view(
        &mut self,
        view: &'static str,
        cells: &[(String, i64)],
        without: &[Vec<(String, i64)>],
        beside_total: bool,
    ) {
        let others: Vec<HashMap<&str, i64>> = without
            .iter()
            .map(|o| o.iter().map(|(k, n)| (k.as_str(), *n)).collect())
            .collect();
        // Zeros name nobody; only the cells that count someone take part.
        let listed: Vec<&(String, i64)> = cells.iter().filter(|(_, n)| *n > 0).collect();
        let counts: Vec<i64> = listed.iter().map(|(_, n)| *n).collect();
        let first: Vec<bool> = listed
            .iter()
            .map(|(k, n)| {
                !may_show(*n)
                    || differs_by_few(
                        *n,
                        others
                            .iter()
                            .map(|o| o.get(k.as_str()).copied().unwrap_or(0)),
                    )
            })
            .collect();
        let mask = if beside_total {
            withhold_breakdown_from(&counts, first)
        } else {
            Some(first)
        };
        match mask {
            None => {
                self.whole.insert(view);
            }
            Some(mask) => {
                for ((k, _), w) in listed.iter().zip(mask) {
                    if w {
                        self.cells.insert((view, k.clone()));
                    }
                }
            }
        }
    }
}

/// One view's figures: its name, its cells (key, cases), and whether they are a
/// breakdown shown beside their total.
type ViewCells = (&'static str, Vec<(String, i64)>, bool);

fn pairs(v: &[Count]) -> Vec<(String, i64)> {
    v.iter().map(|c| (c.key.clone(), c.n)).collect()
}

/// Each view's cells, by the name the dashboard gives the view, and whether they are a
/// breakdown shown beside their total.
fn views(t: &Tally) -> Vec<ViewCells> {
    vec![
        ("cases", vec![(String::new(), t.cases)], false),
        ("returns", pairs(&t.returns_by_year), true),
        ("status", pairs(&t.by_status), true),
        ("plan-days", plan_day_bands(&t.plan_days), true),
        ("bands", pairs(&t.bands), true),
        (
            "deciles",
            t.deciles
                .iter()
                .enumerate()
                .map(|(i, n)| (i.to_string(), *n))
                .collect(),
            true,
        ),
        ("countries", pairs(&t.returns_by_country), true),
        (
            "planned",
            t.planned_by_category
                .iter()
                .map(|m| (m.key.clone(), m.n))
                .collect(),
            false,
        ),
        (
            "given",
            t.given_by_category
                .iter()
                .map(|m| (m.key.clone(), m.n))
                .collect(),
            false,
        ),
        (
            "projects",
            t.spend
                .iter()
                .map(|s| (s.project.to_string(), s.n))
                .collect(),
            false,
        ),
        (
            "change",
            t.change.iter().map(|c| (c.key.to_owned(), c.n)).collect(),
            false,
        ),
        (
            "scores",
            t.score_by_country
                .iter()
                .map(|m| (m.key.clone(), m.n))
                .collect(),
            false,
        ),
    ]
}

/// What to withhold from `t`, given the same dashboard with each of the reader's filters
/// left out in turn (`without`, empty without filters).
pub fn guard(t: &Tally, without: &[Tally]) -> Withheld {
    let mut w = Withheld::default();
    let others: Vec<Vec<ViewCells>> = without.iter().map(views).collect();
    for (i, (view, cells, beside_total)) in views(t).into_iter().enumerate() {
        let without: Vec<Vec<(String, i64)>> = others.iter().map(|o| o[i].1.clone()).collect();
        w.view(view, &cells, &without, beside_total);
    }
    w
}

#[cfg(test)]
mod tests {
    use super::*;

    fn count(key: &str, n: i64) -> Count {
        Count { key: key.into(), n }
    }

    #[test]
    fn a_small_count_and_its_partner_are_withheld_beside_their_total() {
        let t = Tally {
            cases: 27,
            by_status: vec![
                count("arrived", 3),
                count("closed", 12),
                count("registered", 12),
            ],
            ..Default::default()
        };
        let w = guard(&t, &[]);
        assert!(w.is("status", "arrived"));
        assert!(
            w.is("status", "closed") && w.is("status", "registered"),
            "equal counts go together, or the withheld 3 is the total less the rest"
        );
        assert!(!w.is("cases", ""));
    }

    #[test]
    fn a_filter_left_out_would_tell_a_difference_of_fewer_than_five() {
        // 40 women arrived; with the filter on sex left out, 42 people: 2 men.
        let with = Tally {
            cases: 40,
            returns_by_year: vec![count("2023", 20), count("2024", 20)],
            ..Default::default()
        };
        let without = Tally {
            cases: 42,
            returns_by_year: vec![count("2023", 22), count("2024", 20)],
            ..Default::default()
        };
        let w = guard(&with, &[without]);
        assert!(w.is("cases", ""), "42 less 40 is 2 men");
        assert!(w.is("returns", "2023"), "22 less 20 in 2023 is 2 men");
        assert!(
            w.is("returns", "2024"),
            "and its partner, or the total would give it back"
        );
        let unchanged = guard(&with, std::slice::from_ref(&with));
        assert!(unchanged.is_empty(), "no difference, nothing to hide");
    }

    #[test]
    fn plan_days_fall_in_their_bands() {
        let b = plan_day_bands(&[
            count("12", 3),
            count("30", 1),
            count("31", 4),
            count("400", 2),
        ]);
        assert_eq!(b[0], ("0–30".to_owned(), 4));
        assert_eq!(b[1].1, 4);
        assert_eq!(b[4], ("> 180".to_owned(), 2));
    }

    /// Random small populations (sex, year of return, stage), and every dashboard a
    /// reader may ask for over them (no filter, a sex, a year, both). For each, someone who
    /// collects every figure that page shows (its downloads show the same) and every
    /// figure of the same page with one of its filters left out (a count shown is a
    /// count; a stage or year not listed is none), and adds and subtracts them (a total
    /// is its breakdown; all is men and women; all years are each year), never learns a
    /// withheld count of one to four people of the page.
    #[test]
    fn no_withheld_count_can_be_worked_out_from_the_page_and_its_filters_left_out() {
        use crate::access::RecordFilter;
        use crate::case::Sex;
        use crate::dashboard::{CaseFact, DashboardFilter, Facts};
        use std::collections::HashMap;

        const YEARS: [i32; 3] = [2021, 2022, 2023];
        const SEXES: [Sex; 2] = [Sex::Male, Sex::Female];
        const STAGES: [&str; 3] = ["arrived", "closed", "registered"];
        /// A count by sex, year and stage, each or all.
        type Q = (Option<usize>, Option<usize>, Option<usize>);

        let mut seed: u64 = 0xD15C_105E;
        let mut rand = |below: u64| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % below) as usize
        };
        // What a page with filters (sex, year) shows, as counts it names.
        fn shown(facts: &Facts, x: Option<usize>, y: Option<usize>) -> (Vec<(Q, i64)>, Vec<Q>) {
            let f = DashboardFilter {
                sex: x.map(|i| SEXES[i]),
                year: y.map(|i| YEARS[i]),
                ..Default::default()
            };
            let t = facts.tally(RecordFilter::All, &f);
            let without: Vec<Tally> = f
                .each_left_out()
                .iter()
                .map(|g| facts.tally(RecordFilter::All, g))
                .collect();
            let w = guard(&t, &without);
            let (mut seen, mut hidden) = (vec![], vec![]);
            let mut put = |q: Q, n: i64, withheld: bool| {
                if n > 0 && withheld {
                    hidden.push(q);
                } else {
                    seen.push((q, n));
                }
            };
            put((x, y, None), t.cases, w.is("cases", ""));
            for (i, year) in YEARS.iter().enumerate() {
                if y.is_none_or(|v| v == i) {
                    let key = year.to_string();
                    let n = t
                        .returns_by_year
                        .iter()
                        .find(|c| c.key == key)
                        .map_or(0, |c| c.n);
                    put((x, Some(i), None), n, w.is("returns", &key));
                }
            }
            for (i, stage) in STAGES.iter().enumerate() {
                let n = t
                    .by_status
                    .iter()
                    .find(|c| c.key == *stage)
                    .map_or(0, |c| c.n);
                put((x, y, Some(i)), n, w.is("status", stage));
            }
            (seen, hidden)
        }

        let xs = [None, Some(0), Some(1)];
        let ys = [None, Some(0), Some(1), Some(2)];
        // What adds up: a whole is the sum of its parts along any one dimension.
        let mut relations: Vec<(Q, Vec<Q>)> = vec![];
        for &x in &xs {
            for &y in &ys {
                for &s in &ys {
                    if x.is_none() {
                        relations.push(((x, y, s), vec![(Some(0), y, s), (Some(1), y, s)]));
                    }
                    if y.is_none() {
                        relations.push(((x, y, s), (0..3).map(|i| (x, Some(i), s)).collect()));
                    }
                    if s.is_none() {
                        relations.push(((x, y, s), (0..3).map(|i| (x, y, Some(i))).collect()));
                    }
                }
            }
        }
        let mut pages_withholding = 0;
        for _ in 0..400 {
            let mut facts = Facts::default();
            let mut people = vec![];
            for id in 0..rand(40) {
                let (x, y, s) = (rand(2), rand(3), rand(3));
                people.push((x, y, s));
                let fact = CaseFact {
                    case_id: id as i64 + 1,
                    owning_office: 1,
                    assigned_user: 0,
                    project: 0,
                    package: 0,
                    shared_with: Box::new([]),
                    status: facts.key(STAGES[s]),
                    return_country: facts.key("AL"),
                    sex: facts.key(SEXES[x].code()),
                    vulnerabilities: 0,
                    arrived_year: Some(YEARS[y] as i16),
                    age_at_return: None,
                    plan_days: None,
                    plan_agreed: false,
                    amounts: Box::new([]),
                    latest: None,
                    pair: None,
                };
                facts.put(fact);
            }
            let truth = |q: Q| -> i64 {
                people
                    .iter()
                    .filter(|(x, y, s)| {
                        q.0.is_none_or(|v| v == *x)
                            && q.1.is_none_or(|v| v == *y)
                            && q.2.is_none_or(|v| v == *s)
                    })
                    .count() as i64
            };
            for &x in &xs {
                for &y in &ys {
                    let (seen, hidden) = shown(&facts, x, y);
                    let mut known: HashMap<Q, i64> = seen.into_iter().collect();
                    // The same page with each of its filters left out.
                    for (lx, ly) in [(None, y), (x, None)] {
                        if (lx, ly) != (x, y) {
                            known.extend(shown(&facts, lx, ly).0);
                        }
                    }
                    loop {
                        let mut learnt = false;
                        for (whole, parts) in &relations {
                            let unknown: Vec<&Q> = std::iter::once(whole)
                                .chain(parts)
                                .filter(|q| !known.contains_key(*q))
                                .collect();
                            if unknown.len() == 1 {
                                known.insert(*unknown[0], truth(*unknown[0]));
                                learnt = true;
                            }
                        }
                        if !learnt {
                            break;
                        }
                    }
                    pages_withholding += usize::from(!hidden.is_empty());
                    for q in hidden {
                        let v = truth(q);
                        assert!(
                            !(1..=4).contains(&v) || !known.contains_key(&q),
                            "{q:?} = {v}, withheld on the page ({x:?}, {y:?}), was worked out, over {people:?}"
                        );
                    }
                }
            }
        }
        assert!(
            pages_withholding > 1_000,
            "small populations withhold: {pages_withholding}"
        );
    }
}
