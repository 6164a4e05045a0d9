//! `GET /account`: one's own account (office, role and what it may do), password,
//! one-time codes, API tokens, and signing out everywhere. `POST /account/password`
//! changes the password and ends the other sessions.

use super::{perm_label, scope_label};
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

pub struct TokenRow {
    pub id: i64,
    pub name: String,
    pub permissions: String,
    pub expires: String,
    pub last_used: String,
    pub live: bool,
}

pub struct PermRow {
    pub code: &'static str,
    pub label: String,
    pub scope: String,
}

#[derive(Template)]
#[template(path = "auth/account.html")]
pub struct AccountPage {
    pub tr: Tr,
    pub lang_links: Vec<crate::pages::LangLink>,
    pub nav: Option<crate::pages::Nav>,
    pub title: String,
    pub csrf: String,
    pub email: String,
    pub name: String,
    pub office: String,
    pub role: String,
    pub perms: Vec<PermRow>,
    pub totp_enabled: bool,
    pub must_enrol: bool,
    pub codes_left: i64,
    pub tokens: Vec<TokenRow>,
    pub errors: Vec<String>,
}

pub async fn page(
    state: &AppState,
    tr: Tr,
    uri: &Uri,
    s: &Signed,
    errors: Vec<String>,
) -> Result<Response, PageError> {
    let store = state.store.clone();
    let id = s.principal.user_id();
    let office_id = s.principal.office_id();
    let (user, office, tokens, left) = crate::pages::run(move || {
        Ok((
            store.user(id)?,
            store.office(office_id)?,
            store.tokens_of(id)?,
            store.recovery_codes_left(id)?,
        ))
    })
    .await?;
    let perms = s
        .principal
        .grants()
        .iter()
        .map(|(p, sc)| PermRow {
            code: p.code(),
            label: perm_label(&tr, p),
            scope: scope_label(&tr, p, sc),
        })
        .collect();
    let tokens = tokens
        .iter()
        .map(|t| TokenRow {
            id: t.id,
            name: t.name.clone(),
            permissions: t.permissions.replace(',', ", "),
            expires: t.expires_at[..10].to_owned(),
            last_used: t.last_used_at.clone().unwrap_or_default(),
            live: t.is_live(),
        })
        .collect();
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::BAD_REQUEST
    };
    let title = tr.t("account-title");
    let role = tr.t(&format!("role-{}", s.principal.role().code()));
    let p = page!(AccountPage, Frame::new(tr, uri, Some(s)), title, {
        csrf: s.csrf.clone(),
        email: user.email,
        name: user.name,
        office: office.name,
        role: role,
        perms: perms,
        totp_enabled: user.totp_enabled,
        must_enrol: s.must_enrol,
        codes_left: left,
        tokens: tokens,
        errors: errors,
    });
    Ok((status, render(&p)?).into_response())
}

pub async fn show(
    State(state): State<AppState>,
    tr: Tr,
    uri: Uri,
    s: Signed,
) -> Result<Response, PageError> {
    page(&state, tr, &uri, &s, vec![]).await
}

pub async fn change_password(
    State(state): State<AppState>,
    tr: Tr,
    uri: Uri,
    s: Signed,
    form: Fields,
) -> Result<Response, PageError> {
    let (current, new, again) = (
        form.get("current_password").to_owned(),
        form.get("new_password").to_owned(),
        form.get("new_password_again").to_owned(),
    );
    if new != again {
        return page(
            &state,
            tr.clone(),
            &uri,
            &s,
            vec![tr.t("password-mismatch")],
        )
        .await;
    }
    let store = state.store.clone();
    let (actor, id, keep) = (
        s.actor(),
        s.principal.user_id(),
        s.session.clone().unwrap_or_default(),
    );
    match crate::pages::attempt(move || store.change_password(&actor, id, &current, &new, &keep))
        .await?
    {
        Ok(()) => Ok(Redirect::to("/account").into_response()),
        Err(errors) => page(&state, tr, &uri, &s, errors).await,
    }
}
