//! Returns and mean composite scores by country of return, as bars and on the world map.

use super::{Ctx, View, col};
use crate::charts::bars::bars;
use crate::charts::map::{Shade, world};
use homeward_store::insight::dashboard::Dashboard;

/// Countries of return, on the map by returns or by mean score.
pub(crate) fn view(d: &Dashboard, cx: &Ctx, by_score: bool, out: &mut Vec<View>) {
    let tr = cx.tr;
    let t = |k: &str| tr.t(k);
    let mut rows = vec![];
    let mut chart = vec![];
    let mut shades = vec![];
    for c in &d.counts.returns_by_country {
        let name = c
            .key
            .parse::<homeward_domain::CountryCode>()
            .map(|x| x.name().to_owned())
            .unwrap_or_else(|_| c.key.clone());
        let m = d.counts.score_by_country.iter().find(|m| m.key == c.key);
        let mean = m
            .map(|m| cx.score("scores", &m.key, m.n, m.mean))
            .unwrap_or_else(|| "–".into());
        rows.push(vec![
            c.key.clone(),
            name.clone(),
            cx.count("countries", &c.key, c.n),
            mean.clone(),
            m.map_or_else(|| "0".into(), |m| cx.count("scores", &m.key, m.n)),
        ]);
        shades.push(if by_score {
            Shade {
                code: c.key.clone(),
                name: name.clone(),
                value: m.and_then(|m| m.mean.filter(|_| !cx.hidden("scores", &m.key, m.n))),
                shown: mean,
            }
        } else {
            Shade {
                code: c.key.clone(),
                name: name.clone(),
                value: (!cx.hidden("countries", &c.key, c.n)).then_some(c.n as f64),
                shown: cx.count("countries", &c.key, c.n),
            }
        });
        chart.push(cx.bar("countries", &c.key, name, c.n));
    }
    let title = t("dash-countries");
    let note = t("dash-countries-note");
    let map_title = t(if by_score {
        "dash-map-score"
    } else {
        "dash-map-returns"
    });
    let map = if by_score {
        world(
            &shades,
            Some(1.0),
            |v| format!("{v:.1}"),
            &map_title,
            &note,
            &t("dash-map-withheld"),
        )
    } else {
        world(
            &shades,
            None,
            |v| format!("{v:.0}"),
            &map_title,
            &note,
            &t("dash-map-withheld"),
        )
    };
    out.push(View {
        id: "countries",
        chart: format!("{map}{}", bars(&chart, &title, &note)),
        columns: vec![
            col(t("dash-country-code"), "#country+code"),
            col(t("dash-country"), "#country+name"),
            col(t("dash-returns-col"), "#affected+returnees+num"),
            col(t("dash-mean-composite"), "#indicator+composite+num"),
            col(t("dash-surveyed"), "#affected+surveyed+num"),
        ],
        rows,
        title,
        note,
    });
}
