//! `GET /community`: community projects, by country or funding project; `GET
//! /community/{id}`: one of them with its place, partner, who takes part (returnees
//! counted, under five withheld; community members by sex and age group), outputs, money
//! spent and tool pools. Public: no names.

use super::{ExpenseView, OutputView, country_name, expenses, outputs, returnees, usd, when};
use crate::i18n::Tr;
use crate::pages::{Frame, LangLink, Nav, render};
use crate::{AppState, PageError, page};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::Uri;
use axum::response::Html;
use homeward_domain::community::project::SEXES;
use homeward_domain::dashboard::AgeGroup;
use homeward_store::community::{CommunityFilter, CommunityLine};
use serde::Deserialize;

pub struct Line {
    pub id: i64,
    pub name: String,
    pub country: String,
    pub country_code: String,
    pub place: String,
    pub partner: String,
    pub project_code: String,
    pub project_title: String,
    pub status: String,
    pub when: String,
    pub returnees: String,
    pub members: i64,
    pub spent: String,
}

fn line(tr: &Tr, c: &CommunityLine) -> Line {
    Line {
        id: c.id,
        name: c.name.clone(),
        country: country_name(&c.country),
        country_code: c.country.clone(),
        place: [c.place.as_str(), c.area.as_str()]
            .iter()
            .filter(|x| !x.is_empty())
            .copied()
            .collect::<Vec<_>>()
            .join(", "),
        partner: c.partner.clone(),
        project_code: c.project_code.clone(),
        project_title: c.project_title.clone(),
        status: tr.t(&format!("activity-status-{}", c.status)),
        when: when(tr, &c.start_on, &c.end_on),
        returnees: returnees(c.returnees),
        members: c.members,
        spent: usd(c.spent_usd_minor),
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    pub country: String,
}

#[derive(Template)]
#[template(path = "community/list.html")]
pub struct ListPage {
    pub tr: Tr,
    pub lang_links: Vec<LangLink>,
    pub nav: Option<Nav>,
    pub title: String,
    pub lines: Vec<Line>,
    pub countries: Vec<(String, String, bool)>,
    pub query: String,
}

/// The countries a list can be narrowed to: those it has, by name.
pub fn country_options(
    codes: impl Iterator<Item = String>,
    chosen: &str,
) -> Vec<(String, String, bool)> {
    let mut v: Vec<String> = codes.collect();
    v.sort();
    v.dedup();
    let mut out: Vec<(String, String, bool)> = v
        .into_iter()
        .map(|c| (country_name(&c), c.clone(), c == chosen))
        .map(|(name, code, on)| (code, name, on))
        .collect();
    out.sort_by(|a, b| a.1.cmp(&b.1));
    out
}

pub async fn list(
    State(state): State<AppState>,
    tr: Tr,
    uri: Uri,
    Query(q): Query<ListQuery>,
) -> Result<Html<String>, PageError> {
    let chosen = q.country.trim().to_ascii_uppercase();
    let store = state.store.clone();
    let all =
        crate::pages::run(move || store.community_projects(&CommunityFilter::default())).await?;
    let countries = country_options(all.iter().map(|c| c.country.clone()), &chosen);
    let lines = all
        .iter()
        .filter(|c| chosen.is_empty() || c.country == chosen)
        .map(|c| line(&tr, c))
        .collect();
    let title = tr.t("community-title");
    let query = if chosen.is_empty() {
        String::new()
    } else {
        format!("?country={chosen}")
    };
    let p = page!(ListPage, Frame::new(tr, &uri, None), title, { lines, countries, query });
    render(&p)
}

pub struct PoolView {
    pub id: i64,
    pub name: String,
    pub operator: String,
    pub tools: i64,
    pub out: i64,
}

#[derive(Template)]
#[template(path = "community/show.html")]
pub struct ShowPage {
    pub tr: Tr,
    pub lang_links: Vec<LangLink>,
    pub nav: Option<Nav>,
    pub title: String,
    pub line: Line,
    pub office: String,
    pub description: String,
    /// Sex labels, then rows of (age label, counts per sex, row total).
    pub sexes: Vec<String>,
    pub member_rows: Vec<(String, Vec<u32>, u64)>,
    pub members_total: u64,
    pub outputs: Vec<OutputView>,
    pub expenses: Vec<ExpenseView>,
    pub pools: Vec<PoolView>,
}

pub async fn show(
    State(state): State<AppState>,
    tr: Tr,
    uri: Uri,
    Path(id): Path<i64>,
) -> Result<Html<String>, PageError> {
    let store = state.store.clone();
    let c = crate::pages::run(move || store.community_project(id)).await?;
    let sexes = SEXES.iter().map(|s| tr.t(&format!("sex-{s}"))).collect();
    let member_rows = AgeGroup::ALL
        .iter()
        .enumerate()
        .map(|(ai, a)| {
            let cells: Vec<u32> = (0..SEXES.len()).map(|si| c.members.get(si, ai)).collect();
            let total = cells.iter().map(|n| u64::from(*n)).sum();
            (a.label().to_owned(), cells, total)
        })
        .collect();
    let title = c.line.name.clone();
    let p = page!(ShowPage, Frame::new(tr.clone(), &uri, None), title, {
        line: line(&tr, &c.line),
        office: c.line.office_name.clone(),
        description: c.line.description.clone(),
        sexes,
        member_rows,
        members_total: c.members.total(),
        outputs: outputs(&c.outputs),
        expenses: expenses(&c.expenses),
        pools: c.pools.iter().map(|p| PoolView {
            id: p.id,
            name: p.name.clone(),
            operator: p.office_name.clone(),
            tools: p.tools,
            out: p.out,
        }).collect(),
    });
    render(&p)
}
