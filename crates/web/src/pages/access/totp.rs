//! One-time codes: `GET /account/totp` shows a new secret to put into an authenticator
//! app, `POST /account/totp` turns codes on once the app's code matches (and shows the
//! recovery codes, once), `POST /account/totp/disable` turns them off with the password,
//! `POST /account/recovery-codes` replaces the recovery codes.

use super::secrets;
use crate::auth::Signed;
use crate::form::Fields;
use crate::i18n::Tr;
use crate::pages::page;
use crate::pages::{Frame, render};
use crate::{AppState, PageError};
use askama::Template;
use axum::extract::State;
use axum::http::{StatusCode, Uri};
use axum::response::{IntoResponse, Redirect, Response};
use homeward_domain::credentials::totp;

#[derive(Template)]
#[template(path = "auth/totp.html")]
pub struct TotpPage {
    pub tr: Tr,
    pub lang_links: Vec<crate::pages::LangLink>,
    pub nav: Option<crate::pages::Nav>,
    pub title: String,
    pub csrf: String,
    pub secret: String,
    pub uri: String,
    pub error: String,
}

/// The base32 secret in groups of four, easier to type.
fn grouped(secret: &str) -> String {
    secret
        .as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}

async fn show_with(
    state: &AppState,
    tr: Tr,
    uri: &Uri,
    s: &Signed,
    error: String,
) -> Result<Response, PageError> {
    let store = state.store.clone();
    let id = s.principal.user_id();
    let user = {
        let store = store.clone();
        crate::pages::run(move || store.user(id)).await?
    };
    if user.totp_enabled {
        return Ok(Redirect::to("/account#totp").into_response());
    }
    let secret = crate::pages::run(move || match store.totp_pending_secret(id)? {
        Some(s) => Ok(s),
        None => store.totp_begin(id),
    })
    .await?;
    let status = if error.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::BAD_REQUEST
    };
    let title = tr.t("totp-title");
    let p = page!(TotpPage, Frame::new(tr, uri, Some(s)), title, {
        csrf: s.csrf.clone(),
        uri: totp::setup_uri(&secret, s.principal.email()).unwrap_or_default(),
        secret: grouped(&secret),
        error: error,
    });
    Ok((status, render(&p)?).into_response())
}

pub async fn show(
    State(state): State<AppState>,
    tr: Tr,
    uri: Uri,
    s: Signed,
) -> Result<Response, PageError> {
    show_with(&state, tr, &uri, &s, String::new()).await
}

pub async fn confirm(
    State(state): State<AppState>,
    tr: Tr,
    uri: Uri,
    s: Signed,
    form: Fields,
) -> Result<Response, PageError> {
    let store = state.store.clone();
    let (actor, id, code) = (
        s.actor(),
        s.principal.user_id(),
        form.get("code").to_owned(),
    );
    match crate::pages::attempt(move || store.totp_confirm(&actor, id, &code)).await? {
        Ok(codes) => {
            let (t, i) = (tr.t("recovery-title"), tr.t("recovery-intro"));
            // Codes are on now, so the enrolment restriction no longer applies.
            let mut s = s;
            s.must_enrol = false;
            secrets(tr, &uri, Some(&s), t, i, codes, "/account")
        }
        Err(_) => {
            let e = tr.t("totp-wrong-code");
            show_with(&state, tr, &uri, &s, e).await
        }
    }
}

pub async fn disable(
    State(state): State<AppState>,
    tr: Tr,
    uri: Uri,
    s: Signed,
    form: Fields,
) -> Result<Response, PageError> {
    let store = state.store.clone();
    let (actor, id, pw) = (
        s.actor(),
        s.principal.user_id(),
        form.get("password").to_owned(),
    );
    match crate::pages::attempt(move || store.totp_disable(&actor, id, &pw)).await? {
        Ok(()) => Ok(Redirect::to("/account#totp").into_response()),
        Err(errors) => super::account::page(&state, tr, &uri, &s, errors).await,
    }
}

pub async fn new_codes(
    State(state): State<AppState>,
    tr: Tr,
    uri: Uri,
    s: Signed,
) -> Result<Response, PageError> {
    let store = state.store.clone();
    let (actor, id) = (s.actor(), s.principal.user_id());
    let codes = crate::pages::run(move || store.new_recovery_codes(&actor, id)).await?;
    let (t, i) = (tr.t("recovery-title"), tr.t("recovery-intro"));
    secrets(tr, &uri, Some(&s), t, i, codes, "/account")
}
