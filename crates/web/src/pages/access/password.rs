//! `GET/POST /password/{token}`: choosing a password through an invitation or reset
//! link. The link works once and expires; the password must meet the policy.

use crate::auth::cookies;
use crate::form::Fields;
use crate::i18n::Tr;
use crate::pages::page;
use crate::pages::{Frame, render};
use crate::{AppState, PageError};
use askama::Template;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Redirect, Response};
use homeward_domain::credentials::password;

#[derive(Template)]
#[template(path = "auth/password.html")]
pub struct PasswordPage {
    pub tr: Tr,
    pub lang_links: Vec<crate::pages::LangLink>,
    pub nav: Option<crate::pages::Nav>,
    pub title: String,
    pub csrf: String,
    pub email: String,
    pub action: String,
    pub min: usize,
    pub errors: Vec<String>,
}

fn show(
    state: &AppState,
    tr: Tr,
    uri: &Uri,
    headers: &HeaderMap,
    email: String,
    errors: Vec<String>,
    status: StatusCode,
) -> Result<Response, PageError> {
    let pre = cookies::PreSession::of(headers);
    let title = tr.t("password-title");
    let p = page!(PasswordPage, Frame::new(tr, uri, None), title, {
        csrf: pre.token.clone(),
        email: email,
        action: uri.path().to_owned(),
        min: password::MIN_LENGTH,
        errors: errors,
    });
    let mut res = (status, render(&p)?).into_response();
    pre.attach(&mut res, state.config.secure_cookies);
    Ok(res)
}

pub async fn form(
    State(state): State<AppState>,
    tr: Tr,
    uri: Uri,
    headers: HeaderMap,
    Path(token): Path<String>,
) -> Result<Response, PageError> {
    let store = state.store.clone();
    let user = crate::pages::run(move || store.link_user(&token)).await?;
    match user {
        Some(u) => show(&state, tr, &uri, &headers, u.email, vec![], StatusCode::OK),
        None => Err(PageError::NotFound(
            "this link (it was used or has expired)".into(),
        )),
    }
}

pub async fn submit(
    State(state): State<AppState>,
    tr: Tr,
    uri: Uri,
    headers: HeaderMap,
    visitor: crate::auth::Visitor,
    Path(token): Path<String>,
    form: Fields,
) -> Result<Response, PageError> {
    let store = state.store.clone();
    let t = token.clone();
    let Some(user) = crate::pages::run(move || store.link_user(&t)).await? else {
        return Err(PageError::NotFound(
            "this link (it was used or has expired)".into(),
        ));
    };
    let (pw, again) = (
        form.get("password").to_owned(),
        form.get("password_again").to_owned(),
    );
    if pw != again {
        return show(
            &state,
            tr.clone(),
            &uri,
            &headers,
            user.email,
            vec![tr.t("password-mismatch")],
            StatusCode::BAD_REQUEST,
        );
    }
    let store = state.store.clone();
    let ip = visitor.ip.clone();
    match crate::pages::attempt(move || store.use_link(&token, &pw, &ip)).await? {
        Ok(_) => Ok(Redirect::to("/signin").into_response()),
        Err(errors) => show(
            &state,
            tr,
            &uri,
            &headers,
            user.email,
            errors,
            StatusCode::BAD_REQUEST,
        ),
    }
}
