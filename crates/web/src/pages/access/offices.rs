//! `GET/POST /admin/offices` and `POST /admin/offices/{id}`: the offices users belong to
//! and cases are owned by.

use crate::auth::Signed;
use crate::form::Fields;
use crate::i18n::Tr;
use crate::pages::page;
use crate::pages::{Frame, LangLink, Nav, render};
use crate::{AppState, PageError};
use askama::Template;
use axum::extract::{Path, State};
use axum::http::{StatusCode, Uri};
use axum::response::{IntoResponse, Redirect, Response};
use homeward_domain::access::ManageOffices;
use homeward_domain::account::{OfficeDraft, OfficeKind};
use homeward_store::access::offices::Office;

#[derive(Template)]
#[template(path = "admin/offices.html")]
pub struct OfficesPage {
    pub tr: Tr,
    pub lang_links: Vec<LangLink>,
    pub nav: Option<Nav>,
    pub title: String,
    pub csrf: String,
    pub offices: Vec<Office>,
    pub kinds: Vec<(&'static str, String)>,
    pub errors: Vec<String>,
}

async fn show(
    state: &AppState,
    tr: Tr,
    uri: &Uri,
    s: &Signed,
    errors: Vec<String>,
) -> Result<Response, PageError> {
    s.authorize::<ManageOffices>()?;
    let store = state.store.clone();
    let offices = crate::pages::run(move || store.offices()).await?;
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::BAD_REQUEST
    };
    let title = tr.t("admin-offices");
    let kinds = OfficeKind::ALL
        .iter()
        .map(|k| (k.code(), tr.t(&format!("office-kind-{}", k.code()))))
        .collect();
    let p = page!(OfficesPage, Frame::new(tr, uri, Some(s)), title, {
        csrf: s.csrf.clone(), offices: offices, kinds: kinds, errors: errors,
    });
    Ok((status, render(&p)?).into_response())
}

pub async fn list(
    State(state): State<AppState>,
    tr: Tr,
    uri: Uri,
    s: Signed,
) -> Result<Response, PageError> {
    show(&state, tr, &uri, &s, vec![]).await
}

fn draft(f: &Fields) -> Result<OfficeDraft, Vec<String>> {
    OfficeDraft::parse(f.get("name"), f.get("country"), f.get("kind"))
        .map_err(|errs| errs.iter().map(|e| e.to_string()).collect())
}

pub async fn add(
    State(state): State<AppState>,
    tr: Tr,
    uri: Uri,
    s: Signed,
    f: Fields,
) -> Result<Response, PageError> {
    let auth = s.authorize::<ManageOffices>()?;
    let d = match draft(&f) {
        Ok(d) => d,
        Err(errs) => return show(&state, tr, &uri, &s, errs).await,
    };
    let store = state.store.clone();
    let actor = s.actor();
    match crate::pages::attempt(move || store.add_office(&auth, &actor, &d)).await? {
        Ok(_) => Ok(Redirect::to("/admin/offices").into_response()),
        Err(errors) => show(&state, tr, &uri, &s, errors).await,
    }
}

pub async fn update(
    State(state): State<AppState>,
    tr: Tr,
    uri: Uri,
    s: Signed,
    Path(id): Path<i64>,
    f: Fields,
) -> Result<Response, PageError> {
    let auth = s.authorize::<ManageOffices>()?;
    let d = match draft(&f) {
        Ok(d) => d,
        Err(errs) => return show(&state, tr, &uri, &s, errs).await,
    };
    let store = state.store.clone();
    let actor = s.actor();
    match crate::pages::attempt(move || store.update_office(&auth, &actor, id, &d)).await? {
        Ok(()) => Ok(Redirect::to("/admin/offices").into_response()),
        Err(errors) => show(&state, tr, &uri, &s, errors).await,
    }
}
