//! `GET /signin` and `POST /signin`: email and password. The form carries a pre-session
//! token (double-submitted in a cookie), so another site cannot sign a browser into an
//! account of its choosing. A successful sign-in always gets a new session secret.

use super::next_or;
use crate::auth::{Identity, Visitor, cookies};
use crate::form::Fields;
use crate::i18n::{FluentArg, Tr};
use crate::pages::page;
use crate::pages::{Frame, render};
use crate::{AppState, PageError};
use askama::Template;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, Uri, header};
use axum::response::{IntoResponse, Redirect, Response};
use homeward_store::access::auth::SignIn;
use serde::Deserialize;

#[derive(Template)]
#[template(path = "auth/signin.html")]
pub struct SignInPage {
    pub tr: Tr,
    pub lang_links: Vec<crate::pages::LangLink>,
    pub nav: Option<crate::pages::Nav>,
    pub title: String,
    pub csrf: String,
    pub next: String,
    pub email: String,
    pub error: String,
}

#[derive(Deserialize)]
pub struct Next {
    next: Option<String>,
}

/// What the form shows again after a refusal.
struct Again<'a> {
    next: &'a str,
    email: &'a str,
    error: String,
    status: StatusCode,
}

fn show(
    state: &AppState,
    tr: Tr,
    uri: &Uri,
    headers: &HeaderMap,
    a: Again<'_>,
) -> Result<Response, PageError> {
    let Again {
        next,
        email,
        error,
        status,
    } = a;
    let pre = cookies::PreSession::of(headers);
    let title = tr.t("signin-title");
    let p = page!(SignInPage, Frame::new(tr, uri, None), title, {
        csrf: pre.token.clone(),
        next: next.to_owned(),
        email: email.to_owned(),
        error,
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
    visitor: Visitor,
    Query(n): Query<Next>,
) -> Result<Response, PageError> {
    let next = n.next.unwrap_or_default();
    if let Identity::Session { principal, .. } = &visitor.identity {
        return Ok(Redirect::to(&next_or(&next, crate::pages::landing(principal))).into_response());
    }
    let again = Again {
        next: &next,
        email: "",
        error: String::new(),
        status: StatusCode::OK,
    };
    show(&state, tr, &uri, &headers, again)
}

pub async fn submit(
    State(state): State<AppState>,
    tr: Tr,
    uri: Uri,
    headers: HeaderMap,
    visitor: Visitor,
    form: Fields,
) -> Result<Response, PageError> {
    let email = form.get("email").trim().to_owned();
    let pw = form.get("password").to_owned();
    let next = form.get("next").to_owned();
    let store = state.store.clone();
    let (ip, ua) = (visitor.ip.clone(), visitor.user_agent.clone());
    let e = email.clone();
    let outcome = crate::pages::run(move || store.sign_in(&e, &pw, &ip, &ua)).await?;
    let secure = state.config.secure_cookies;
    let (status, error) = match outcome {
        SignIn::Done(s) => {
            let to = next_or(&next, "/signin");
            return Ok((
                axum::response::AppendHeaders([
                    (
                        header::SET_COOKIE,
                        cookies::set(cookies::SESSION, &s.token, None, secure),
                    ),
                    (
                        header::SET_COOKIE,
                        cookies::clear(cookies::PRE_SESSION, secure),
                    ),
                ]),
                Redirect::to(&to),
            )
                .into_response());
        }
        SignIn::NeedsCode(s) => {
            let to = crate::links::with_pairs("/signin/code", [("next", next.as_str())]);
            let age = homeward_store::access::sessions::SECOND_FACTOR_MINUTES * 60;
            return Ok((
                [(
                    header::SET_COOKIE,
                    cookies::set(cookies::PENDING, &s.token, Some(age), secure),
                )],
                Redirect::to(&to),
            )
                .into_response());
        }
        SignIn::Refused => (StatusCode::OK, tr.t("signin-refused")),
        SignIn::Throttled(m) => (
            StatusCode::TOO_MANY_REQUESTS,
            tr.ta("signin-throttled", &[("minutes", FluentArg::Num(m))]),
        ),
    };
    show(
        &state,
        tr,
        &uri,
        &headers,
        Again {
            next: &next,
            email: &email,
            error,
            status,
        },
    )
}
