//! Survey scores: the latest survey's bands, the composite in tenths, and change from
//! baseline to the latest follow-up.

use super::{Ctx, View, col, count, decile, score};
use crate::charts::bars::{Bar, bars};
use homeward_domain::disclosure::{may_show, permille};
use homeward_store::insight::dashboard::Dashboard;

/// Bands, tenths and change.
pub(crate) fn views(d: &Dashboard, c: &Ctx, out: &mut Vec<View>) {
    let (tr, withhold) = (c.tr, c.withhold);
    let t = |k: &str| tr.t(k);
    let surveyed: i64 = d.counts.bands.iter().map(|c| c.n).sum();
    let high = d
        .counts
        .bands
        .iter()
        .find(|c| c.key == "high")
        .map_or(0, |c| c.n);
    let note = match (d.instrument.as_ref(), permille(high, surveyed)) {
        (Some(i), Some(pm)) if !withhold || may_show(surveyed) => tr.ta(
            "dash-bands-note",
            &[
                (
                    "share",
                    crate::i18n::FluentArg::Str(format!("{}.{}", pm / 10, pm % 10)),
                ),
                ("instrument", crate::i18n::FluentArg::Str(i.clone())),
            ],
        ),
        _ if surveyed > 0 => t("dash-bands-withheld"),
        _ => t("dash-bands-none"),
    };
    let order = ["low", "medium", "high", "none"];
    let bands: Vec<(String, i64)> = order
        .iter()
        .filter_map(|b| {
            d.counts
                .bands
                .iter()
                .find(|c| c.key == *b)
                .map(|c| (tr.t(&format!("band-{b}")), c.n))
        })
        .collect();
    out.push(c.simple(
        "bands",
        t("dash-bands"),
        note,
        (t("survey-band"), "#indicator+band"),
        "#affected+surveyed+num",
        bands,
    ));

    out.push(
        c.simple(
            "distribution",
            t("dash-distribution"),
            t("dash-distribution-note"),
            (t("dash-score-range"), "#indicator+composite+range"),
            "#affected+surveyed+num",
            d.counts
                .deciles
                .iter()
                .enumerate()
                .map(|(i, n)| (decile(i), *n))
                .collect(),
        ),
    );

    let mut rows = vec![];
    let mut chart = vec![];
    for c in &d.counts.change {
        let name = if c.key == "composite" {
            t("score-composite")
        } else {
            tr.t(&format!("dimension-{}", c.key))
        };
        rows.push(vec![
            name.clone(),
            score(c.baseline, c.n, withhold),
            score(c.latest, c.n, withhold),
            count(c.n, withhold),
        ]);
        let shown = score(c.latest, c.n, withhold);
        chart.push(Bar {
            label: name,
            value: c.latest.filter(|_| shown != "<5"),
            shown: format!("{} → {}", score(c.baseline, c.n, withhold), shown),
        });
    }
    let title = t("dash-change");
    let note = t("dash-change-note");
    out.push(View {
        id: "change",
        chart: bars(&chart, &title, &note),
        columns: vec![
            col(t("dash-score"), "#indicator+name"),
            col(t("dash-baseline"), "#indicator+baseline+num"),
            col(t("dash-latest"), "#indicator+endline+num"),
            col(t("dash-cases"), "#affected+num"),
        ],
        rows,
        title,
        note,
    });
}
