//! `GET /capacity`: capacity-building activities (trainings, workshops, assessments,
//! policy support) by country; `GET /capacity/{id}`: one of them with the institution
//! served, participants by sex, mean test scores before and after, outputs and money
//! spent. Public: no names.

use super::{ExpenseView, OutputView, country_name, expenses, outputs, usd, when};
use crate::i18n::Tr;
use crate::pages::{Frame, LangLink, Nav, render};
use crate::{AppState, PageError, page};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::Uri;
use axum::response::Html;
use homeward_store::capacity::{CapacityFilter, CapacityLine};

pub struct Line {
    pub id: i64,
    pub title: String,
    pub kind: String,
    pub institution: String,
    pub country: String,
    pub country_code: String,
    pub project_code: String,
    pub project_title: String,
    pub status: String,
    pub when: String,
    pub female: i64,
    pub male: i64,
    pub other: i64,
    pub total: i64,
    pub outputs_achieved: i64,
    pub spent: String,
}

pub fn line(tr: &Tr, a: &CapacityLine) -> Line {
    Line {
        id: a.id,
        title: a.title.clone(),
        kind: tr.t(&format!("capacity-kind-{}", a.kind)),
        institution: a.institution.clone(),
        country: country_name(&a.country),
        country_code: a.country.clone(),
        project_code: a.project_code.clone(),
        project_title: a.project_title.clone(),
        status: tr.t(&format!("activity-status-{}", a.status)),
        when: when(tr, &a.start_on, &a.end_on),
        female: a.female,
        male: a.male,
        other: a.other,
        total: a.participants(),
        outputs_achieved: a.outputs_achieved,
        spent: usd(a.spent_usd_minor),
    }
}

#[derive(Template)]
#[template(path = "community/capacity_list.html")]
pub struct ListPage {
    pub tr: Tr,
    pub lang_links: Vec<LangLink>,
    pub nav: Option<Nav>,
    pub title: String,
    pub lines: Vec<Line>,
    pub countries: Vec<(String, String, bool)>,
    pub query: String,
}

pub async fn list(
    State(state): State<AppState>,
    tr: Tr,
    uri: Uri,
    Query(q): Query<super::public::ListQuery>,
) -> Result<Html<String>, PageError> {
    let chosen = q.country.trim().to_ascii_uppercase();
    let store = state.store.clone();
    let all =
        crate::pages::run(move || store.capacity_activities(&CapacityFilter::default())).await?;
    let countries = super::public::country_options(all.iter().map(|c| c.country.clone()), &chosen);
    let lines = all
        .iter()
        .filter(|a| chosen.is_empty() || a.country == chosen)
        .map(|a| line(&tr, a))
        .collect();
    let title = tr.t("capacity-title");
    let query = if chosen.is_empty() {
        String::new()
    } else {
        format!("?country={chosen}")
    };
    let p = page!(ListPage, Frame::new(tr, &uri, None), title, { lines, countries, query });
    render(&p)
}

#[derive(Template)]
#[template(path = "community/capacity_show.html")]
pub struct ShowPage {
    pub tr: Tr,
    pub lang_links: Vec<LangLink>,
    pub nav: Option<Nav>,
    pub title: String,
    pub line: Line,
    pub office: String,
    pub description: String,
    /// (participants with both scores, mean before, mean after)
    pub scores: Option<(usize, String, String)>,
    pub outputs: Vec<OutputView>,
    pub expenses: Vec<ExpenseView>,
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
        office: a.line.office_name.clone(),
        description: a.line.description.clone(),
        scores: a.scores.map(|s| (s.n, format!("{:.0}", s.before), format!("{:.0}", s.after))),
        outputs: outputs(&a.outputs),
        expenses: expenses(&a.expenses),
    });
    render(&p)
}
