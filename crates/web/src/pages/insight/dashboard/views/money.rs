//! Money: assistance by category, planned and given, and against project budgets.

use super::{Ctx, View, col, usd};
use crate::charts::bars::{Bar, bars};
use homeward_domain::disclosure::permille;
use homeward_store::insight::dashboard::Dashboard;

/// Assistance by category, and against project budgets.
pub(crate) fn views(d: &Dashboard, c: &Ctx, out: &mut Vec<View>) {
    let tr = c.tr;
    let t = |k: &str| tr.t(k);
    let categories: std::collections::BTreeSet<&str> = d
        .counts
        .planned_by_category
        .iter()
        .chain(&d.counts.given_by_category)
        .map(|m| m.key.as_str())
        .collect();
    let find = |v: &[homeward_store::insight::dashboard::Money], k: &str| {
        v.iter()
            .find(|m| m.key == k)
            .map_or((0, 0), |m| (m.usd_minor, m.n))
    };
    let mut rows = vec![];
    let mut chart = vec![];
    for k in categories {
        let (p, pn) = find(&d.counts.planned_by_category, k);
        let (g, gn) = find(&d.counts.given_by_category, k);
        let label = tr.t(&format!("category-{k}"));
        rows.push(vec![
            label.clone(),
            c.money("planned", k, pn, p),
            c.count("planned", k, pn),
            c.money("given", k, gn, g),
            c.count("given", k, gn),
        ]);
        chart.push(Bar {
            label,
            value: (!c.hidden("given", k, gn)).then_some(g as f64),
            shown: c.money("given", k, gn, g),
        });
    }
    let title = t("dash-assistance");
    let note = t("dash-assistance-note");
    out.push(View {
        id: "assistance",
        chart: bars(&chart, &title, &note),
        columns: vec![
            col(t("dash-category"), "#sector+category"),
            col(t("dash-planned"), "#value+planned+usd"),
            col(t("dash-cases-planned"), "#affected+num+planned"),
            col(t("dash-given"), "#value+spent+usd"),
            col(t("dash-cases-assisted"), "#affected+num+reached"),
        ],
        rows,
        title,
        note,
    });

    let mut rows = vec![];
    let mut chart = vec![];
    for p in &d.projects {
        let hide = c.hidden("projects", &p.key, p.n);
        let share = match (p.budget_minor, p.budget_currency.as_deref()) {
            (Some(b), Some("USD")) if !hide => permille(p.usd_minor, b)
                .map(|x| format!("{}.{}", x / 10, x % 10))
                .unwrap_or_default(),
            _ => String::new(),
        };
        rows.push(vec![
            p.title.clone(),
            p.budget_minor.map(usd).unwrap_or_default(),
            p.budget_currency.clone().unwrap_or_default(),
            c.money("projects", &p.key, p.n, p.usd_minor),
            share,
            c.count("projects", &p.key, p.n),
        ]);
        chart.push(Bar {
            label: p.title.chars().take(28).collect(),
            value: (!hide).then_some(p.usd_minor as f64),
            shown: c.money("projects", &p.key, p.n, p.usd_minor),
        });
    }
    let title = t("dash-projects");
    let note = t("dash-projects-note");
    out.push(View {
        id: "projects",
        chart: bars(&chart, &title, &note),
        columns: vec![
            col(t("dash-project"), "#activity+project+name"),
            col(t("dash-budget"), "#value+budget"),
            col(t("dash-currency"), "#currency+budget"),
            col(t("dash-given"), "#value+spent+usd"),
            col(t("dash-share-budget"), "#indicator+spent+pct"),
            col(t("dash-cases"), "#affected+num"),
        ],
        rows,
        title,
        note,
    });
}
