//! `GET /dashboard`: reintegration in numbers, within the reader's scope and the filters
//! in the address — returns by year, cases by status, days from arrival to an approved
//! plan, assistance by category against plan and against project budgets, the latest
//! survey's bands, change from baseline to the latest follow-up, returns and mean scores
//! by country of return. Each view is a chart with its table, and downloads as CSV or HXL
//! (`/dashboard/{view}.csv|.hxl`). Counts under five are withheld from readers who cannot
//! read the cases behind them, and in every download.

use crate::auth::Signed;
use crate::charts::{Bar, Shade, bars, world};
use crate::i18n::Tr;
use crate::pages::{Frame, LangLink, Nav, render};
use crate::{AppState, PageError, page};
use askama::Template;
use axum::extract::{Path, RawQuery, State};
use axum::http::{StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use homeward_domain::access::SeeAggregates;
use homeward_domain::case::{Sex, Vulnerability};
use homeward_domain::dashboard::{AgeGroup, DashboardFilter};
use homeward_domain::disclosure::{may_show, permille};
use homeward_interop::aggregate_table::{Column, write_table};
use homeward_store::dashboard::Dashboard;

/// One view: its chart, its table and its downloads.
pub struct View {
    pub id: &'static str,
    pub title: String,
    pub note: String,
    pub chart: String,
    pub columns: Vec<Column>,
    pub rows: Vec<Vec<String>>,
}

/// A count as it may be shown.
fn count(n: i64, withhold: bool) -> String {
    if withhold && n > 0 && !may_show(n) {
        "<5".to_owned()
    } else {
        n.to_string()
    }
}

/// An amount in minor units as a plain decimal number (the header names the currency),
/// so spreadsheets and HXL tools read it as a number.
fn usd(minor: i64) -> String {
    let sign = if minor < 0 { "-" } else { "" };
    format!("{sign}{}.{:02}", minor.abs() / 100, minor.abs() % 100)
}

fn col(header: String, hxl: &'static str) -> Column {
    Column { header, hxl }
}

fn bar(label: String, n: i64, withhold: bool) -> Bar {
    let shown = count(n, withhold);
    Bar {
        value: (shown != "<5").then_some(n as f64),
        label,
        shown,
    }
}

fn score(v: Option<f64>, n: i64, withhold: bool) -> String {
    match v {
        Some(x) if !withhold || may_show(n) => format!("{x:.2}"),
        Some(_) => "<5".to_owned(),
        None => "–".to_owned(),
    }
}

/// Day counts into the bands a plan's delay is judged by.
const DAY_BANDS: [(i64, i64, &str); 5] = [
    (0, 30, "0–30"),
    (31, 60, "31–60"),
    (61, 90, "61–90"),
    (91, 180, "91–180"),
    (181, i64::MAX, "> 180"),
];

/// The range of composite scores of the `i`th tenth, as the table and chart name it.
fn decile(i: usize) -> String {
    if i == 9 {
        "0.9–1.0".to_owned()
    } else {
        format!("0.{i}–0.{}", i + 1)
    }
}

/// Every view of the dashboard, its cells withheld where they must be.
pub fn views(d: &Dashboard, tr: &Tr, withhold: bool, by_score: bool) -> Vec<View> {
    let t = |k: &str| tr.t(k);
    let mut out = vec![];
    let simple = |id: &'static str,
                  title: String,
                  note: String,
                  head: (String, &'static str),
                  hxl: &'static str,
                  rows: Vec<(String, i64)>| {
        View {
            id,
            chart: bars(
                &rows
                    .iter()
                    .map(|(k, n)| bar(k.clone(), *n, withhold))
                    .collect::<Vec<_>>(),
                &title,
                &note,
            ),
            columns: vec![col(head.0, head.1), col(t("dash-cases"), hxl)],
            rows: rows
                .iter()
                .map(|(k, n)| vec![k.clone(), count(*n, withhold)])
                .collect(),
            title,
            note,
        }
    };
    out.push(simple(
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
    ));
    out.push(simple(
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
    ));
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
    out.push(simple(
        "plan-days",
        t("dash-plan-days"),
        note,
        (t("dash-days"), "#indicator+days"),
        "#affected+num",
        banded,
    ));

    let categories: std::collections::BTreeSet<&str> = d
        .counts
        .planned_by_category
        .iter()
        .chain(&d.counts.given_by_category)
        .map(|m| m.key.as_str())
        .collect();
    let find = |v: &[homeward_store::dashboard::Money], k: &str| {
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
        let hide = |n: i64| withhold && n > 0 && !may_show(n);
        rows.push(vec![
            label.clone(),
            if hide(pn) { "<5".into() } else { usd(p) },
            count(pn, withhold),
            if hide(gn) { "<5".into() } else { usd(g) },
            count(gn, withhold),
        ]);
        chart.push(Bar {
            label,
            value: (!hide(gn)).then_some(g as f64),
            shown: if hide(gn) { "<5".into() } else { usd(g) },
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
        let hide = withhold && !may_show(p.n);
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
            if hide { "<5".into() } else { usd(p.usd_minor) },
            share,
            count(p.n, withhold),
        ]);
        chart.push(Bar {
            label: p.title.chars().take(28).collect(),
            value: (!hide).then_some(p.usd_minor as f64),
            shown: if hide { "<5".into() } else { usd(p.usd_minor) },
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
    out.push(simple(
        "bands",
        t("dash-bands"),
        note,
        (t("survey-band"), "#indicator+band"),
        "#affected+surveyed+num",
        bands,
    ));

    out.push(simple(
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
    ));

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
        rows.push(vec![
            c.key.clone(),
            name.clone(),
            count(c.n, withhold),
            m.map(|m| score(m.mean, m.n, withhold))
                .unwrap_or_else(|| "–".into()),
            count(m.map_or(0, |m| m.n), withhold),
        ]);
        shades.push(if by_score {
            let v = m.and_then(|m| m.mean.filter(|_| !withhold || may_show(m.n)));
            Shade {
                code: c.key.clone(),
                name: name.clone(),
                value: v,
                shown: m
                    .map(|m| score(m.mean, m.n, withhold))
                    .unwrap_or_else(|| "–".into()),
            }
        } else {
            let shown = count(c.n, withhold);
            Shade {
                code: c.key.clone(),
                name: name.clone(),
                value: (shown != "<5").then_some(c.n as f64),
                shown,
            }
        });
        chart.push(bar(name, c.n, withhold));
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
    out
}

/// An option of a filter: value, label, selected.
pub type Opt = (String, String, bool);

/// A filter's select: field name, label, options.
pub type Select = (&'static str, String, Vec<Opt>);

#[derive(Template)]
#[template(path = "dashboard.html")]
pub struct DashboardPage {
    pub tr: Tr,
    pub lang_links: Vec<LangLink>,
    pub nav: Option<Nav>,
    pub title: String,
    pub errors: Vec<String>,
    pub withheld: bool,
    pub query: String,
    pub views: Vec<View>,
    pub selects: Vec<Select>,
    pub year: String,
}

fn filter_of(raw: &Option<String>) -> Result<DashboardFilter, Vec<homeward_domain::FieldError>> {
    let pairs: Vec<(String, String)> =
        form_urlencoded::parse(raw.as_deref().unwrap_or("").as_bytes())
            .into_owned()
            .collect();
    DashboardFilter::parse(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())))
}

pub async fn show(
    State(state): State<AppState>,
    tr: Tr,
    uri: Uri,
    s: Signed,
    RawQuery(raw): RawQuery,
) -> Result<Response, PageError> {
    let auth = s.authorize::<SeeAggregates>()?;
    let (f, errors) = match filter_of(&raw) {
        Ok(f) => (f, vec![]),
        Err(errs) => (
            DashboardFilter::default(),
            errs.iter().map(ToString::to_string).collect(),
        ),
    };
    let store = state.store.clone();
    let fc = f.clone();
    let (d, offices, projects, packages) = crate::pages::run(move || {
        Ok((
            store.dashboard(&auth, &fc)?,
            store.offices()?,
            store.individual_projects()?,
            store.packages()?,
        ))
    })
    .await?;
    let withheld = d.withhold_small;
    let by_score = raw
        .as_deref()
        .is_some_and(|q| q.split('&').any(|p| p == "map=score"));
    let views = views(&d, &tr, withheld, by_score);
    let opt = |v: String, l: String, sel: bool| (v, l, sel);
    let any = |label: String, mut rest: Vec<(String, String, bool)>| {
        let mut v = vec![(String::new(), label, false)];
        v.append(&mut rest);
        v
    };
    let all = tr.t("dash-all");
    let selects = vec![
        (
            "country",
            tr.t("dash-country"),
            any(
                all.clone(),
                homeward_domain::country::COUNTRIES
                    .iter()
                    .filter(|c| !c.withdrawn)
                    .map(|c| {
                        opt(
                            c.code.to_owned(),
                            c.name.to_owned(),
                            f.return_country.is_some_and(|x| x.as_str() == c.code),
                        )
                    })
                    .collect(),
            ),
        ),
        (
            "office",
            tr.t("case-owner"),
            any(
                all.clone(),
                offices
                    .iter()
                    .map(|o| opt(o.id.to_string(), o.name.clone(), f.office == Some(o.id)))
                    .collect(),
            ),
        ),
        (
            "project",
            tr.t("dash-project"),
            any(
                all.clone(),
                projects
                    .iter()
                    .map(|p| opt(p.id.to_string(), p.title.clone(), f.project == Some(p.id)))
                    .collect(),
            ),
        ),
        (
            "package",
            tr.t("dash-package"),
            any(
                all.clone(),
                packages
                    .iter()
                    .map(|p| opt(p.id.to_string(), p.name.clone(), f.package == Some(p.id)))
                    .collect(),
            ),
        ),
        (
            "sex",
            tr.t("field-sex"),
            any(
                all.clone(),
                Sex::ALL
                    .iter()
                    .map(|x| {
                        opt(
                            x.code().into(),
                            tr.t(&format!("sex-{}", x.code())),
                            f.sex == Some(*x),
                        )
                    })
                    .collect(),
            ),
        ),
        (
            "age",
            tr.t("dash-age"),
            any(
                all.clone(),
                AgeGroup::ALL
                    .iter()
                    .map(|x| opt(x.code().into(), x.label().into(), f.age_group == Some(*x)))
                    .collect(),
            ),
        ),
        (
            "vulnerability",
            tr.t("dash-vulnerability"),
            any(
                all,
                Vulnerability::ALL
                    .iter()
                    .map(|x| {
                        opt(
                            x.code().into(),
                            tr.t(&format!("vuln-{}", x.code())),
                            f.vulnerability == Some(*x),
                        )
                    })
                    .collect(),
            ),
        ),
    ];
    let query = f
        .pairs()
        .iter()
        .map(|(k, v)| format!("{k}={}", urlencoding(v)))
        .collect::<Vec<_>>()
        .join("&");
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::BAD_REQUEST
    };
    let title = tr.t("dash-title");
    let p = page!(DashboardPage, Frame::new(tr, &uri, Some(&s)), title, {
        errors,
        withheld,
        query,
        views,
        selects,
        year: f.year.map(|y| y.to_string()).unwrap_or_default(),
    });
    Ok((status, render(&p)?).into_response())
}

fn urlencoding(v: &str) -> String {
    form_urlencoded::byte_serialize(v.as_bytes()).collect()
}

/// `GET /dashboard/{view}.csv` or `.hxl`: one view's table, small numbers always withheld.
pub async fn download(
    State(state): State<AppState>,
    tr: Tr,
    s: Signed,
    Path(file): Path<String>,
    RawQuery(raw): RawQuery,
) -> Result<Response, PageError> {
    let auth = s.authorize::<SeeAggregates>()?;
    let (id, hxl) = match file.rsplit_once('.') {
        Some((id, "csv")) => (id.to_owned(), false),
        Some((id, "hxl")) => (id.to_owned(), true),
        _ => return Err(PageError::NotFound(format!("dashboard download {file}"))),
    };
    let f = filter_of(&raw).map_err(PageError::BadRequest)?;
    let store = state.store.clone();
    let d = crate::pages::run(move || store.dashboard(&auth, &f)).await?;
    let view = views(&d, &tr, true, false)
        .into_iter()
        .find(|v| v.id == id)
        .ok_or_else(|| PageError::NotFound(format!("dashboard view {id}")))?;
    // HXL tools expect numbers in number columns: a withheld cell is left empty there.
    let rows: Vec<Vec<String>> = if hxl {
        view.rows
            .iter()
            .map(|r| {
                r.iter()
                    .map(|c| if c == "<5" { String::new() } else { c.clone() })
                    .collect()
            })
            .collect()
    } else {
        view.rows.clone()
    };
    let bytes =
        write_table(&view.columns, &rows, hxl).map_err(|e| PageError::Internal(e.to_string()))?;
    let name = format!("homeward-{id}{}.csv", if hxl { "-hxl" } else { "" });
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        bytes,
    )
        .into_response())
}
