//! Counts of cases: returns by year, cases by stage, days from arrival to the plan agreed
//! (in bands, with the median).

use super::{Ctx, View};
use homeward_domain::dashboard::plan_day_bands;
use homeward_store::insight::dashboard::Dashboard;

/// Returns by year, cases by stage, days to the plan.
pub(crate) fn views(d: &Dashboard, c: &Ctx, out: &mut Vec<View>) {
    let tr = c.tr;
    let t = |k: &str| tr.t(k);
    out.push(
        c.simple(
            "returns",
            "returns",
            t("dash-returns"),
            t("dash-returns-note"),
            (t("dash-year"), "#date+year"),
            "#affected+returnees+num",
            d.counts
                .returns_by_year
                .iter()
                .map(|x| (x.key.clone(), x.key.clone(), x.n))
                .collect(),
        ),
    );
    out.push(
        c.simple(
            "status",
            "status",
            t("dash-status"),
            tr.ta(
                "dash-status-note",
                &[(
                    "total",
                    crate::i18n::FluentArg::Str(c.count("cases", "", d.counts.cases)),
                )],
            ),
            (t("dash-stage"), "#status+name"),
            "#affected+num",
            d.counts
                .by_status
                .iter()
                .map(|x| (x.key.clone(), tr.t(&format!("stage-{}", x.key)), x.n))
                .collect(),
        ),
    );
    let mut days: Vec<(i64, i64)> = d
        .counts
        .plan_days
        .iter()
        .filter_map(|x| Some((x.key.parse::<i64>().ok()?, x.n)))
        .collect();
    days.sort_unstable();
    let total: i64 = days.iter().map(|(_, n)| n).sum();
    let mut seen = 0;
    let median = days.iter().find(|(_, n)| {
        seen += n;
        seen * 2 >= total
    });
    // The median of a few plans, or of a breakdown with anything withheld, could tell
    // one person's days.
    let banded = plan_day_bands(&d.counts.plan_days);
    let any_hidden = banded.iter().any(|(k, n)| c.hidden("plan-days", k, *n));
    let note = match median {
        Some((m, _)) if !any_hidden => tr.ta(
            "dash-plan-days-median",
            &[("days", crate::i18n::FluentArg::Num(*m))],
        ),
        Some(_) => t("dash-plan-days-withheld"),
        None => t("dash-plan-days-none"),
    };
    out.push(c.simple(
        "plan-days",
        "plan-days",
        t("dash-plan-days"),
        note,
        (t("dash-days"), "#indicator+days"),
        "#affected+num",
        banded.into_iter().map(|(k, n)| (k.clone(), k, n)).collect(),
    ));
}
