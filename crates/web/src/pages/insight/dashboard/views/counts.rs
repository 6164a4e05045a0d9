//! Counts of cases: returns by year, cases by stage, days from arrival to the plan agreed
//! (in bands, with the median).

use super::{Ctx, DAY_BANDS, View, count};
use homeward_domain::disclosure::may_show;
use homeward_store::insight::dashboard::Dashboard;

/// Returns by year, cases by stage, days to the plan.
pub(crate) fn views(d: &Dashboard, c: &Ctx, out: &mut Vec<View>) {
    let (tr, withhold) = (c.tr, c.withhold);
    let t = |k: &str| tr.t(k);
    out.push(
        c.simple(
            "returns",
            t("dash-returns"),
            t("dash-returns-note"),
            (t("dash-year"), "#date+year"),
            "#affected+returnees+num",
            d.counts
                .returns_by_year
                .iter()
                .map(|c| (c.key.clone(), c.n))
                .collect(),
        ),
    );
    out.push(
        c.simple(
            "status",
            t("dash-status"),
            tr.ta(
                "dash-status-note",
                &[(
                    "total",
                    crate::i18n::FluentArg::Str(count(d.counts.cases, withhold)),
                )],
            ),
            (t("dash-stage"), "#status+name"),
            "#affected+num",
            d.counts
                .by_status
                .iter()
                .map(|c| (tr.t(&format!("stage-{}", c.key)), c.n))
                .collect(),
        ),
    );
    let mut banded: Vec<(String, i64)> = DAY_BANDS
        .iter()
        .map(|(_, _, l)| ((*l).to_owned(), 0))
        .collect();
    let mut days: Vec<(i64, i64)> = d
        .counts
        .plan_days
        .iter()
        .filter_map(|c| Some((c.key.parse::<i64>().ok()?, c.n)))
        .collect();
    days.sort_unstable();
    for (day, n) in &days {
        if let Some(i) = DAY_BANDS
            .iter()
            .position(|(lo, hi, _)| day >= lo && day <= hi)
        {
            banded[i].1 += n;
        }
    }
    let total: i64 = days.iter().map(|(_, n)| n).sum();
    let mut seen = 0;
    let median = days.iter().find(|(_, n)| {
        seen += n;
        seen * 2 >= total
    });
    let note = match median {
        Some((m, _)) if !withhold || may_show(total) => tr.ta(
            "dash-plan-days-median",
            &[("days", crate::i18n::FluentArg::Num(*m))],
        ),
        Some(_) => t("dash-plan-days-withheld"),
        None => t("dash-plan-days-none"),
    };
    out.push(c.simple(
        "plan-days",
        t("dash-plan-days"),
        note,
        (t("dash-days"), "#indicator+days"),
        "#affected+num",
        banded,
    ));
}
