//! `GET /community`: community projects, by country or funding project; `GET
//! /community/{id}`: one of them with its place, partner, who takes part (returnees
//! counted, under five withheld; community members by sex and age group), outputs, money
//! spent and tool pools. Public: no names.

use super::listing::{Cell, Listing};
use super::{HeadView, PartsView, head, parts, returnees};
use crate::i18n::Tr;
use crate::pages::page;
use crate::pages::{Frame, LangLink, Nav, render};
use crate::{AppState, PageError};
use askama::Template;
use axum::extract::{Path, State};
use axum::http::Uri;
use axum::response::Html;
use homeward_domain::community::project::SEXES;
use homeward_domain::dashboard::AgeGroup;
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
        returnees: returnees(tr, c.returnees),
        members: c.members,
    }
}

impl Listing for CommunityLine {
    fn cells(&self, tr: &Tr) -> Vec<Cell> {
        let l = line(tr, self);
        let h = &l.head;
        let name = Cell::link("community-name", &l.name, format!("/community/{}", h.id));
        vec![
            name.noted(l.place.clone()),
            Cell::country(h),
            Cell::text("community-partner", &l.partner),
            Cell::project(h),
            Cell::text("community-status", &h.status).noted(h.when.clone()),
            Cell::num("community-returnees", &l.returnees),
            Cell::num("community-members", l.members),
        ]
    }
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
    pub parts: PartsView,
    /// Sex labels, then rows of (age label, counts per sex, row total).
    pub sexes: Vec<String>,
    pub member_rows: Vec<(String, Vec<u32>, u64)>,
    pub members_total: u64,
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
        parts: parts(&c.outputs, &c.expenses),
        sexes,
        member_rows,
        members_total: c.members.total(),
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
