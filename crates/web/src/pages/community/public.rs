//! `GET /community`: community projects, by country or funding project; `GET
//! /community/{id}`: one of them with its place, partner, who takes part (returnees
//! counted, under five withheld; community members by sex and age group), outputs, money
//! spent and tool pools. Public: no names.

use super::ListQuery;
use super::{
    ExpenseView, HeadView, Listed, OutputView, expenses, head, narrow, outputs, returnees,
};
use crate::i18n::Tr;
use crate::pages::page;
use crate::pages::{Frame, LangLink, Nav, render};
use crate::{AppState, PageError};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::Uri;
use axum::response::Html;
use homeward_domain::community::project::SEXES;
use homeward_domain::dashboard::AgeGroup;
use homeward_store::community::activity::ActivityFilter;
use homeward_store::community::projects::CommunityLine;

pub struct Line {
    pub head: HeadView,
    pub name: String,
    pub place: String,
    pub partner: String,
    pub returnees: String,
    pub members: i64,
}

fn line(tr: &Tr, c: &CommunityLine) -> Line {
    Line {
        head: head(tr, &c.head),
        name: c.name.clone(),
        place: [c.place.as_str(), c.area.as_str()]
            .iter()
            .filter(|x| !x.is_empty())
            .copied()
            .collect::<Vec<_>>()
            .join(", "),
        partner: c.partner.clone(),
        returnees: returnees(c.returnees),
        members: c.members,
    }
}

#[derive(Template)]
#[template(path = "community/list.html")]
pub struct ListPage {
    pub tr: Tr,
    pub lang_links: Vec<LangLink>,
    pub nav: Option<Nav>,
    pub title: String,
    pub list: Listed<Line>,
}

pub async fn list(
    State(state): State<AppState>,
    tr: Tr,
    uri: Uri,
    Query(q): Query<ListQuery>,
) -> Result<Html<String>, PageError> {
    let store = state.store.clone();
    let all =
        crate::pages::run(move || store.community_projects(&ActivityFilter::default())).await?;
    let list = narrow(&all, &q, |x| &x.head.country, |x| line(&tr, x));
    let title = tr.t("community-title");
    render(&page!(ListPage, Frame::new(tr, &uri, None), title, {
        list
    }))
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
