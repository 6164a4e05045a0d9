//! `GET /capacity`: capacity-building activities (trainings, workshops, assessments,
//! policy support) by country; `GET /capacity/{id}`: one of them with the institution
//! served, participants by sex, mean test scores before and after, outputs and money
//! spent. Public: no names.

use super::listing::{Cell, Listing};
use super::{HeadView, PartsView, head, parts};
use crate::i18n::Tr;
use crate::pages::page;
use crate::pages::{Frame, LangLink, Nav, render};
use crate::{AppState, PageError};
use askama::Template;
use axum::extract::{Path, State};
use axum::http::Uri;
use axum::response::Html;
use homeward_store::community::capacity::CapacityLine;

pub struct Line {
    pub head: HeadView,
    pub title: String,
    pub kind: String,
    pub institution: String,
    pub female: i64,
    pub male: i64,
    pub other: i64,
    pub total: i64,
}

pub fn line(tr: &Tr, a: &CapacityLine) -> Line {
    Line {
        head: head(tr, &a.head),
        title: a.title.clone(),
        kind: tr.t(&format!("capacity-kind-{}", a.kind)),
        institution: a.institution.clone(),
        female: a.female,
        male: a.male,
        other: a.other,
        total: a.participants(),
    }
}

impl Listing for CapacityLine {
    fn cells(&self, tr: &Tr) -> Vec<Cell> {
        let l = line(tr, self);
        let h = &l.head;
        let noted = format!("{} · {}", l.kind, h.when);
        vec![
            Cell::link("capacity-activity", &l.title, format!("/capacity/{}", h.id)).noted(noted),
            Cell::text("capacity-institution", &l.institution),
            Cell::country(h),
            Cell::project(h),
            Cell::num("sex-female", l.female),
            Cell::num("sex-male", l.male),
            Cell::num("sex-other", l.other),
            Cell::num("capacity-outputs-achieved", h.outputs_achieved),
        ]
    }
}

#[derive(Template)]
#[template(path = "community/capacity_show.html")]
pub struct ShowPage {
    pub tr: Tr,
    pub lang_links: Vec<LangLink>,
    pub nav: Option<Nav>,
    pub title: String,
    pub line: Line,
    pub parts: PartsView,
    /// (participants with both scores, mean before, mean after)
    pub scores: Option<(usize, String, String)>,
}

pub async fn show(
    State(state): State<AppState>,
    tr: Tr,
    uri: Uri,
    Path(id): Path<i64>,
) -> Result<Html<String>, PageError> {
    let store = state.store.clone();
    let a = crate::pages::run(move || store.capacity_activity(id)).await?;
    let title = a.line.title.clone();
    let p = page!(ShowPage, Frame::new(tr.clone(), &uri, None), title, {
        line: line(&tr, &a.line),
        parts: parts(&a.outputs, &a.expenses),
        scores: a.scores.map(|s| (s.n, format!("{:.0}", s.before), format!("{:.0}", s.after))),
    });
    render(&p)
}
