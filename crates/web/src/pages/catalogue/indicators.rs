//! `GET /projects/{id}/indicators`: a project's results framework with each indicator's
//! binding to case data (none, returnees registered or assisted, plans agreed, share with a
//! high composite score) and today's value from the project's cases; `POST` saves the
//! bindings, each one audited; `GET /indicators?project=` finds the project by its
//! Projects ID or Prima ID. For programme managers and administrators (`package.manage`),
//! like the packages page that links here.

use crate::auth::Signed;
use crate::form::Fields;
use crate::i18n::Tr;
use crate::pages::page;
use crate::pages::{Frame, LangLink, Nav, render};
use crate::{AppState, PageError};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::Uri;
use axum::response::{IntoResponse, Redirect, Response};
use homeward_domain::access::ManagePackages;
use homeward_domain::disclosure;
use homeward_domain::indicator_binding::{CaseMeasure, places};
use serde::Deserialize;

pub struct Row {
    pub at: String,
    pub text: String,
    /// (code, label, selected), `none` first.
    pub choices: Vec<(String, String, bool)>,
    pub today: String,
}

#[derive(Template)]
#[template(path = "indicator_bindings.html")]
pub struct BindPage {
    pub tr: Tr,
    pub lang_links: Vec<LangLink>,
    pub nav: Option<Nav>,
    pub title: String,
    pub csrf: String,
    pub code: String,
    pub rows: Vec<Row>,
    pub saved: bool,
}

#[derive(Debug, Default, Deserialize)]
pub struct Saved {
    #[serde(default)]
    pub saved: String,
}

pub async fn show(
    State(state): State<AppState>,
    tr: Tr,
    uri: Uri,
    s: Signed,
    Path(code): Path<String>,
    Query(q): Query<Saved>,
) -> Result<Response, PageError> {
    s.authorize::<ManagePackages>()?;
    let store = state.store.clone();
    let key = code.clone();
    let (stored, measured) = crate::pages::run(move || {
        let p = store
            .project(&key)?
            .ok_or_else(|| homeward_store::StoreError::NotFound(format!("the project {key:?}")))?;
        let m = store.project_measures(p.id)?;
        Ok((p, m))
    })
    .await?;
    let rows = places(&stored.project.results)
        .into_iter()
        .map(|(at, ind)| {
            let bound = measured.iter().find(|m| m.at == at);
            let mut choices = vec![("none".to_owned(), tr.t("binding-none"), bound.is_none())];
            choices.extend(CaseMeasure::ALL.iter().map(|m| {
                (m.code().to_owned(), tr.t(&format!("measure-{}", m.code())), bound.is_some_and(|b| b.measure == *m))
            }));
            Row {
                at: at.to_string(),
                text: ind.text.clone(),
                choices,
                today: bound
                    .map(|b| match b.measure {
                        CaseMeasure::ShareHighComposite => format!("{:.0}% ({} {})", b.value, b.cases, tr.t("binding-cases")),
                        _ => format!("{:.0}", b.value),
                    } + if disclosure::may_show(b.cases) { "" } else { " *" })
                    .unwrap_or_default(),
            }
        })
        .collect();
    let title = stored.project.title.clone();
    let p = page!(BindPage, Frame::new(tr, &uri, Some(&s)), title, {
        csrf: s.csrf.clone(),
        code: stored.project.public_id(),
        rows,
        saved: q.saved == "1",
    });
    Ok(render(&p)?.into_response())
}

pub async fn save(
    State(state): State<AppState>,
    s: Signed,
    Path(code): Path<String>,
    f: Fields,
) -> Result<Response, PageError> {
    let auth = s.authorize::<ManagePackages>()?;
    let store = state.store.clone();
    let actor = s.actor();
    let key = code.clone();
    crate::pages::run(move || {
        let p = store
            .project(&key)?
            .ok_or_else(|| homeward_store::StoreError::NotFound(format!("the project {key:?}")))?;
        let bound = store.project_measures(p.id)?;
        let public = p.project.public_id();
        for (at, _) in places(&p.project.results) {
            let field = format!("bind-{at}");
            if !f.has(&field) {
                continue;
            }
            let wanted = match f.get(&field) {
                "none" => None,
                m => Some(
                    m.parse::<CaseMeasure>()
                        .map_err(|e| homeward_store::StoreError::conflict(&field, e))?,
                ),
            };
            let now = bound.iter().find(|b| b.at == at).map(|b| b.measure);
            if now != wanted {
                store.bind_indicator(&auth, &actor, &public, at, wanted)?;
            }
        }
        Ok(())
    })
    .await?;
    Ok(Redirect::to(&format!("/projects/{code}/indicators?saved=1")).into_response())
}

#[derive(Debug, Default, Deserialize)]
pub struct Find {
    #[serde(default)]
    pub project: String,
}

pub async fn find(s: Signed, Query(q): Query<Find>) -> Result<Response, PageError> {
    s.authorize::<ManagePackages>()?;
    let code: String = form_urlencoded::byte_serialize(q.project.trim().as_bytes()).collect();
    Ok(Redirect::to(&format!("/projects/{code}/indicators")).into_response())
}
