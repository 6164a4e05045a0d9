//! `GET /dashboard`: reintegration in numbers, within the reader's scope and the filters
//! in the address — returns by year, cases by status, days from arrival to an approved
//! plan, assistance by category against plan and against project budgets, the latest
//! survey's bands, change from baseline to the latest follow-up, returns and mean scores
//! by country of return. Each view is a chart with its table, and downloads as CSV or HXL
//! (`/dashboard/{view}.csv|.hxl`). Counts under five are withheld from readers who cannot
//! read the cases behind them, and in every download.

use crate::auth::Signed;
use crate::i18n::Tr;
use crate::pages::page;
use crate::pages::{Frame, LangLink, Nav, render};
use crate::{AppState, PageError};
use askama::Template;
use axum::extract::{Path, RawQuery, State};
use axum::http::{StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use homeward_domain::access::SeeAggregates;
use homeward_domain::case::{Sex, Vulnerability};
use homeward_domain::dashboard::{AgeGroup, DashboardFilter};
use homeward_interop::aggregate_table::write_table;

mod views;
use homeward_store::insight::dashboard::Dashboard;
use views::{Ctx, View, countries, counts, money, scores};

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
    let views = views(&d, &tr, by_score);
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
    let d = crate::pages::run(move || store.dashboard_to_take_away(&auth, &f)).await?;
    let view = views(&d, &tr, false)
        .into_iter()
        .find(|v| v.id == id)
        .ok_or_else(|| PageError::NotFound(format!("dashboard view {id}")))?;
    // HXL tools expect numbers in number columns: a withheld cell is left empty there.
    let numeric: Vec<bool> = view
        .columns
        .iter()
        .map(|c| c.hxl.contains("+num") || c.hxl.starts_with("#value"))
        .collect();
    let rows: Vec<Vec<String>> = if hxl {
        view.rows
            .iter()
            .map(|r| {
                r.iter()
                    .zip(&numeric)
                    .map(|(c, num)| {
                        if *num && c.parse::<f64>().is_err() {
                            String::new()
                        } else {
                            c.clone()
                        }
                    })
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

/// Every view of the dashboard, its cells withheld where they must be.
fn views(d: &Dashboard, tr: &Tr, by_score: bool) -> Vec<View> {
    let c = Ctx {
        tr,
        withheld: &d.withheld,
    };
    let mut out = vec![];
    counts::views(d, &c, &mut out);
    money::views(d, &c, &mut out);
    scores::views(d, &c, &mut out);
    countries::view(d, &c, by_score, &mut out);
    out
}
