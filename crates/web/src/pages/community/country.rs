//! `GET /countries/{code}`: everything Homeward knows about reintegration in one country,
//! across projects and levels — the projects that benefit it, returns to it by year and
//! how returnees fare (counts under five withheld: the public reads no case), assistance
//! given, and its community projects and capacity-building activities with what they
//! spent.

use super::{country_name, returnees, usd, when};
use crate::i18n::{FluentArg, Tr};
use crate::pages::page;
use crate::pages::{Frame, LangLink, Nav, render};
use crate::{AppState, PageError};
use askama::Template;
use axum::extract::{Path, State};
use axum::http::Uri;
use axum::response::Html;
use homeward_domain::CountryCode;
use homeward_domain::catalogue::CatalogueQuery;
use homeward_domain::disclosure::{may_show, permille};
use homeward_store::community::activity::ActivityFilter;
use homeward_store::community::capacity::CapacityLine;
use homeward_store::community::projects::CommunityLine;

pub struct ProjectRow {
    pub code: String,
    pub title: String,
    pub status: String,
    pub budget: String,
}

pub struct ActivityRow {
    pub href: String,
    pub name: String,
    pub detail: String,
    pub spent: String,
}

#[derive(Template)]
#[template(path = "community/country.html")]
pub struct CountryPage {
    pub tr: Tr,
    pub lang_links: Vec<LangLink>,
    pub nav: Option<Nav>,
    pub title: String,
    pub code: String,
    pub projects: Vec<ProjectRow>,
    pub projects_total: i64,
    pub returns: String,
    pub by_year: Vec<(String, String)>,
    pub high_share: String,
    pub assistance: String,
    pub community: Vec<ActivityRow>,
    pub capacity: Vec<ActivityRow>,
    pub community_spent: String,
    pub capacity_spent: String,
}

pub async fn show(
    State(state): State<AppState>,
    tr: Tr,
    uri: Uri,
    Path(code): Path<String>,
) -> Result<Html<String>, PageError> {
    let country: CountryCode = code
        .parse()
        .map_err(|_| PageError::NotFound(format!("the country {code:?}")))?;
    let cc = country.as_str().to_owned();
    let q = CatalogueQuery::from_pairs([
        ("country", cc.as_str()),
        ("per_page", "100"),
        ("sort", "newest"),
    ])
    .map_err(PageError::BadRequest)?;
    let store = state.store.clone();
    let filter_c = cc.clone();
    let (found, (dash, given), community, capacity) = crate::pages::run(move || {
        Ok((
            store.search(&q)?,
            store.country_counts(country)?,
            store.activities::<CommunityLine>(&ActivityFilter {
                country: Some(filter_c.clone()),
                project_id: None,
            })?,
            store.activities::<CapacityLine>(&ActivityFilter {
                country: Some(filter_c),
                project_id: None,
            })?,
        ))
    })
    .await?;
    let t = &dash.counts;
    // Returns by year beside their total, withheld as the dashboard withholds them.
    let shown = |key: &str, n: i64| {
        if n > 0 && dash.withheld.is("returns", key) {
            crate::pages::insight::withheld_words(&tr, n)
        } else {
            n.to_string()
        }
    };
    let bands_hidden = t
        .bands
        .iter()
        .any(|b| b.n > 0 && dash.withheld.is("bands", &b.key));
    let surveyed: i64 = t.bands.iter().map(|c| c.n).sum();
    let high = t.bands.iter().find(|c| c.key == "high").map_or(0, |c| c.n);
    let high_share = match permille(high, surveyed) {
        Some(pm) if may_show(surveyed) && !bands_hidden => tr.ta(
            "country-high-share",
            &[
                ("share", FluentArg::Str(format!("{}.{}", pm / 10, pm % 10))),
                ("surveyed", FluentArg::Num(surveyed)),
            ],
        ),
        _ if surveyed > 0 => tr.t("dash-bands-withheld"),
        _ => tr.t("dash-bands-none"),
    };
    let assisted: i64 = t.given_by_category.iter().map(|m| m.n).max().unwrap_or(0);
    let name = country_name(&cc);
    let title = tr.ta("country-title", &[("country", FluentArg::Str(name))]);
    let p = page!(CountryPage, Frame::new(tr.clone(), &uri, None), title, {
        code: cc.clone(),
        projects: found.hits.iter().map(|h| ProjectRow {
            code: h.public_id.clone(),
            title: h.title.clone(),
            status: h.status.map(|s| tr.t(&format!("status-{}", s.code()))).unwrap_or_default(),
            budget: h.budget.map(|b| b.to_string()).unwrap_or_default(),
        }).collect(),
        projects_total: found.total,
        returns: returnees(&tr, t.cases),
        by_year: t.returns_by_year.iter().map(|c| (c.key.clone(), shown(&c.key, c.n))).collect(),
        high_share,
        assistance: if may_show(assisted) || assisted == 0 { usd(given) } else { tr.t("country-withheld") },
        community: community.iter().map(|c| ActivityRow {
            href: format!("/community/{}", c.head.id),
            name: c.name.clone(),
            detail: format!("{} · {} · {}", c.partner, c.head.project_code, when(&tr, &c.head.start_on, &c.head.end_on)),
            spent: usd(c.head.spent_usd_minor),
        }).collect(),
        capacity: capacity.iter().map(|a| ActivityRow {
            href: format!("/capacity/{}", a.head.id),
            name: a.title.clone(),
            detail: format!("{} · {} · {}", a.institution, a.head.project_code, when(&tr, &a.head.start_on, &a.head.end_on)),
            spent: usd(a.head.spent_usd_minor),
        }).collect(),
        community_spent: usd(community.iter().map(|c| c.head.spent_usd_minor).sum()),
        capacity_spent: usd(capacity.iter().map(|a| a.head.spent_usd_minor).sum()),
    });
    render(&p)
}
