//! `GET /signin/code` and `POST /signin/code`: the one-time code (or a recovery code)
//! after the password, for users who turned codes on. Success replaces the pending
//! session with a new one.

use super::next_or;
use crate::auth::{Identity, Visitor, cookies};
use crate::form::Fields;
use crate::i18n::{FluentArg, Tr};
use crate::pages::page;
use crate::pages::{Frame, render};
use crate::{AppState, PageError};
use askama::Template;
use axum::extract::{Query, State};
use axum::http::{StatusCode, Uri, header};
use axum::response::{IntoResponse, Redirect, Response};
use homeward_store::access::auth::SignIn;
use serde::Deserialize;

#[derive(Template)]
#[template(path = "auth/code.html")]
pub struct CodePage {
    pub tr: Tr,
    pub lang_links: Vec<crate::pages::LangLink>,
    pub nav: Option<crate::pages::Nav>,
    pub title: String,
    pub csrf: String,
    pub next: String,
    pub error: String,
}

#[derive(Deserialize)]
pub struct Next {
    next: Option<String>,
}

fn pending(v: &Visitor) -> Result<(String, String), PageError> {
    match &v.identity {
        Identity::Pending { token, csrf } => Ok((token.clone(), csrf.clone())),
        _ => Err(PageError::Unauthorized("/signin".into())),
    }
}

fn show(
    tr: Tr,
    uri: &Uri,
    csrf: String,
    next: String,
    error: String,
    status: StatusCode,
) -> Result<Response, PageError> {
    let title = tr.t("code-title");
    let p =
        page!(CodePage, Frame::new(tr, uri, None), title, { csrf: csrf, next: next, error: error });
    Ok((status, render(&p)?).into_response())
}

pub async fn form(
    tr: Tr,
    uri: Uri,
    visitor: Visitor,
    Query(n): Query<Next>,
) -> Result<Response, PageError> {
    let (_, csrf) = pending(&visitor)?;
    show(
        tr,
        &uri,
        csrf,
        n.next.unwrap_or_default(),
        String::new(),
        StatusCode::OK,
    )
}

pub async fn submit(
    State(state): State<AppState>,
    tr: Tr,
    uri: Uri,
    visitor: Visitor,
    form: Fields,
) -> Result<Response, PageError> {
    let (token, csrf) = pending(&visitor)?;
    let code = form.get("code").to_owned();
    let next = form.get("next").to_owned();
    let store = state.store.clone();
    let (ip, ua) = (visitor.ip.clone(), visitor.user_agent.clone());
    let t = token.clone();
    let outcome = crate::pages::run(move || store.second_factor(&t, &code, &ip, &ua)).await?;
    let secure = state.config.secure_cookies;
    let (status, error) = match outcome {
        SignIn::Done(s) => {
            return Ok((
                axum::response::AppendHeaders([
                    (
                        header::SET_COOKIE,
                        cookies::set(cookies::SESSION, &s.token, None, secure),
                    ),
                    (header::SET_COOKIE, cookies::clear(cookies::PENDING, secure)),
                ]),
                Redirect::to(&next_or(&next, "/signin")),
            )
                .into_response());
        }
        SignIn::NeedsCode(_) | SignIn::Refused => (StatusCode::OK, tr.t("code-refused")),
        SignIn::Throttled(m) => (
            StatusCode::TOO_MANY_REQUESTS,
            tr.ta("signin-throttled", &[("minutes", FluentArg::Num(m))]),
        ),
    };
    show(tr, &uri, csrf, next, error, status)
}
