//! Hand-counted examples of the dashboard tally: every view, each scope, each filter.

use super::*;
use crate::case::{Sex, Vulnerability};
use crate::dashboard::facts::{Latest, Pair, Score};

fn s(v: f64) -> Option<Score> {
    Score::new(v)
}

/// Three cases: two in Albania (one a closed story with a plan, payments and surveys), one
/// in Georgia still registered.
fn facts() -> Facts {
    let mut f = Facts::default();
    let (al, ge) = (f.key("AL"), f.key("GE"));
    let (closed, registered, monitoring) =
        (f.key("closed"), f.key("registered"), f.key("monitoring"));
    let (male, female) = (f.key("male"), f.key("female"));
    let (training, business) = (f.key("vocational_training"), f.key("business_start_up"));
    let base = CaseFact {
        case_id: 0,
        owning_office: 10,
        assigned_user: 0,
        project: 0,
        package: 0,
        shared_with: Box::new([]),
        status: registered,
        return_country: ge,
        sex: female,
        vulnerabilities: 0,
        arrived_year: None,
        age_at_return: Some(40),
        plan_days: None,
        plan_agreed: false,
        amounts: Box::new([]),
        latest: None,
        pair: None,
    };
    f.put(CaseFact {
        case_id: 1,
        owning_office: 20,
        assigned_user: 7,
        project: 5,
        package: 3,
        shared_with: Box::new([10]),
        status: closed,
        return_country: al,
        sex: male,
        vulnerabilities: vulnerability_bit(Vulnerability::HealthNeeds),
        arrived_year: Some(2013),
        age_at_return: Some(30),
        plan_days: Some(45),
        plan_agreed: true,
        amounts: Box::new([
            Amount::Planned {
                category: training,
                usd_minor: 129_600,
            },
            Amount::Planned {
                category: business,
                usd_minor: 630_000,
            },
            Amount::Given {
                category: training,
                usd_minor: 129_000,
            },
            Amount::Spent {
                project: 5,
                usd_minor: 129_000,
            },
        ]),
        latest: Some(Latest {
            band: Some(Band::High),
            composite: s(0.8),
        }),
        pair: Some(Pair {
            baseline: [s(0.2), s(0.4), s(0.5), s(0.4)],
            latest: [s(0.9), s(0.7), None, s(0.8)],
        }),
    });
    f.put(CaseFact {
        case_id: 2,
        owning_office: 20,
        project: 5,
        status: monitoring,
        return_country: al,
        arrived_year: Some(2014),
        age_at_return: Some(17),
        plan_days: Some(4_000),
        plan_agreed: true,
        amounts: Box::new([
            Amount::Planned {
                category: business,
                usd_minor: 100_000,
            },
            Amount::Spent {
                project: 6,
                usd_minor: 50_000,
            },
        ]),
        latest: Some(Latest {
            band: None,
            composite: None,
        }),
        ..base.clone()
    });
    f.put(CaseFact { case_id: 3, ..base });
    f
}

#[test]
fn every_view_counts_by_hand() {
    let f = facts();
    let t = f.tally(RecordFilter::All, &DashboardFilter::default());
    assert_eq!(t.cases, 3);
    let pairs = |v: &[Count]| v.iter().map(|c| (c.key.clone(), c.n)).collect::<Vec<_>>();
    assert_eq!(
        pairs(&t.returns_by_year),
        [("2013".into(), 1), ("2014".into(), 1)]
    );
    assert_eq!(
        pairs(&t.by_status),
        [
            ("registered".into(), 1),
            ("monitoring".into(), 1),
            ("closed".into(), 1)
        ],
        "in the order of the stages, not of the alphabet"
    );
    assert_eq!(pairs(&t.plan_days), [("45".into(), 1), ("4000".into(), 1)]);
    let sums = |v: &[Sums]| {
        v.iter()
            .map(|c| (c.key.clone(), c.usd_minor, c.n))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        sums(&t.planned_by_category),
        [
            ("business_start_up".into(), 730_000, 2),
            ("vocational_training".into(), 129_600, 1)
        ]
    );
    assert_eq!(
        sums(&t.given_by_category),
        [("vocational_training".into(), 129_000, 1)]
    );
    assert_eq!(
        t.spend,
        [
            Spend {
                project: 5,
                usd_minor: 129_000,
                n: 1
            },
            Spend {
                project: 6,
                usd_minor: 50_000,
                n: 1
            }
        ],
        "most money first"
    );
    assert_eq!(pairs(&t.bands), [("high".into(), 1), ("none".into(), 1)]);
    assert_eq!(t.deciles, [0, 0, 0, 0, 0, 0, 0, 0, 1, 0]);
    let change: Vec<(&str, Option<f64>, Option<f64>, i64)> = t
        .change
        .iter()
        .map(|c| (c.key, c.baseline, c.latest, c.n))
        .collect();
    assert_eq!(
        change,
        [
            ("economic", Some(0.2), Some(0.9), 1),
            ("social", Some(0.4), Some(0.7), 1),
            ("psychosocial", Some(0.5), None, 1),
            ("composite", Some(0.4), Some(0.8), 1),
        ]
    );
    assert_eq!(
        pairs(&t.returns_by_country),
        [("AL".into(), 2), ("GE".into(), 1)]
    );
    assert_eq!(
        t.score_by_country,
        [Mean {
            key: "AL".into(),
            mean: Some(0.8),
            n: 1
        }],
        "a latest survey without a composite names its country, with no value"
    );
}

#[test]
fn scopes_count_what_the_reader_may_read() {
    let f = facts();
    let all = DashboardFilter::default();
    let n = |scope| f.tally(scope, &all).cases;
    assert_eq!(n(RecordFilter::Own { user_id: 7 }), 1);
    assert_eq!(
        n(RecordFilter::Office {
            user_id: 99,
            office_id: 20
        }),
        2
    );
    assert_eq!(
        n(RecordFilter::Office {
            user_id: 7,
            office_id: 10
        }),
        2,
        "office 10 owns case 3; user 7 holds case 1"
    );
    assert_eq!(
        n(RecordFilter::Office {
            user_id: 99,
            office_id: 10
        }),
        1
    );
    assert_eq!(
        n(RecordFilter::Shared {
            user_id: 99,
            office_id: 10
        }),
        2,
        "case 1 is shared with office 10"
    );
}

#[test]
fn each_filter_narrows_alone_and_together() {
    let f = facts();
    let n = |pairs: &[(&str, &str)]| {
        let filter = DashboardFilter::parse(pairs.iter().copied()).expect("filter");
        f.tally(RecordFilter::All, &filter).cases
    };
    assert_eq!(n(&[("country", "AL")]), 2);
    assert_eq!(n(&[("country", "WS")]), 0, "a country no case has");
    assert_eq!(n(&[("sex", Sex::Male.code())]), 1);
    assert_eq!(n(&[("sex", "other")]), 0, "a sex no case has");
    assert_eq!(n(&[("office", "20")]), 2);
    assert_eq!(n(&[("project", "5")]), 2);
    assert_eq!(n(&[("package", "3")]), 1);
    assert_eq!(n(&[("year", "2014")]), 1);
    assert_eq!(n(&[("age", "0_17")]), 1);
    assert_eq!(n(&[("age", "35_59")]), 1);
    assert_eq!(n(&[("vulnerability", "health_needs")]), 1);
    assert_eq!(n(&[("vulnerability", "trafficking")]), 0);
    assert_eq!(
        n(&[("country", "AL"), ("year", "2013"), ("age", "18_34")]),
        1
    );
    assert_eq!(n(&[("country", "GE"), ("year", "2013")]), 0);
    let none = f.tally(
        RecordFilter::All,
        &DashboardFilter::parse([("country", "WS")]).expect("f"),
    );
    assert_eq!(
        none.change.len(),
        4,
        "the change view names its rows even with no case"
    );
    assert!(none.change.iter().all(|c| c.n == 0 && c.baseline.is_none()));
}

#[test]
fn project_measures_count_the_projects_cases() {
    let f = facts();
    assert_eq!(
        f.project_measure(5, CaseMeasure::ReturneesRegistered),
        (2.0, 2)
    );
    assert_eq!(f.project_measure(5, CaseMeasure::PlansApproved), (2.0, 2));
    assert_eq!(
        f.project_measure(6, CaseMeasure::ReturneesAssisted),
        (1.0, 1),
        "charged to 6, funded by 5"
    );
    assert_eq!(
        f.project_measure(5, CaseMeasure::ShareHighComposite),
        (100.0, 1),
        "the survey without a composite is not counted"
    );
    assert_eq!(
        f.project_measure(9, CaseMeasure::ShareHighComposite),
        (0.0, 0)
    );
}
