//! Survey scores: the latest survey's bands, the composite in tenths, and change from
//! baseline to the latest follow-up.

use super::{Ctx, View, col, decile};
use crate::charts::bars::{Bar, bars};
use homeward_domain::disclosure::permille;
use homeward_store::insight::dashboard::Dashboard;

/// Bands, tenths and change.
pub(crate) fn views(d: &Dashboard, c: &Ctx, out: &mut Vec<View>) {
    let tr = c.tr;
    let t = |k: &str| tr.t(k);
    let surveyed: i64 = d.counts.bands.iter().map(|c| c.n).sum();
    let high = d
        .counts
        .bands
        .iter()
        .find(|c| c.key == "high")
        .map_or(0, |c| c.n);
    let note = match (d.instrument.as_ref(), permille(high, surveyed)) {
        // A share of a withheld count would give the count back.
        (Some(i), Some(pm))
            if !d
                .counts
                .bands
                .iter()
                .any(|b| c.hidden("bands", &b.key, b.n)) =>
        {
            tr.ta(
                "dash-bands-note",
                &[
                    (
                        "share",
                        crate::i18n::FluentArg::Str(format!("{}.{}", pm / 10, pm % 10)),
                    ),
                    ("instrument", crate::i18n::FluentArg::Str(i.clone())),
                ],
            )
        }
        _ if surveyed > 0 => t("dash-bands-withheld"),
        _ => t("dash-bands-none"),
    };
    let order = ["low", "medium", "high", "none"];
    let bands: Vec<(String, String, i64)> = order
        .iter()
        .filter_map(|b| {
            d.counts
                .bands
                .iter()
                .find(|x| x.key == *b)
                .map(|x| (x.key.clone(), tr.t(&format!("band-{b}")), x.n))
        })
        .collect();
    out.push(c.simple(
        "bands",
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
            "deciles",
            t("dash-distribution"),
            t("dash-distribution-note"),
            (t("dash-score-range"), "#indicator+composite+range"),
            "#affected+surveyed+num",
            d.counts
                .deciles
                .iter()
                .enumerate()
                .map(|(i, n)| (i.to_string(), decile(i), *n))
                .collect(),
        ),
    );

    let mut rows = vec![];
    let mut chart = vec![];
    for x in &d.counts.change {
        let name = if x.key == "composite" {
            t("score-composite")
        } else {
            tr.t(&format!("dimension-{}", x.key))
        };
        let score = |v: Option<f64>| c.score("change", x.key, x.n, v);
        rows.push(vec![
            name.clone(),
            score(x.baseline),
            score(x.latest),
            c.count("change", x.key, x.n),
        ]);
        chart.push(Bar {
            label: name,
            value: x.latest.filter(|_| !c.hidden("change", x.key, x.n)),
            shown: format!("{} → {}", score(x.baseline), score(x.latest)),
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
