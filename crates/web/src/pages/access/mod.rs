//! Who may do what, as pages: signing in (password, then a one-time code when set up) and
//! out, password links, one's own account (password, one-time codes, API tokens), and the
//! administration of offices, users, roles and the audit trail.

pub mod account;
pub mod admin;
pub mod audit;
pub mod code;
pub mod offices;
pub mod password;
pub mod roles;
pub mod routes;
pub mod signin;
pub mod signout;
pub mod tokens;
pub mod totp;
pub mod users;

use crate::PageError;
use crate::auth::Signed;
use crate::i18n::Tr;
use crate::links::safe_next;
use crate::pages::{Frame, page, render};
use askama::Template;
use axum::http::Uri;
use axum::response::{IntoResponse, Response};
use homeward_domain::access::Permission;

/// Where to go after signing in: the page asked for, if it is on this site.
pub fn next_or(next: &str, fallback: &str) -> String {
    if next.is_empty() {
        fallback.to_owned()
    } else {
        safe_next(Some(next)).to_owned()
    }
}

/// Translated label of a permission.
pub fn perm_label(tr: &Tr, p: Permission) -> String {
    tr.t(&format!("perm-{}", p.code().replace('.', "-")))
}

pub fn scope_label(tr: &Tr, p: Permission, s: homeward_domain::access::Scope) -> String {
    if p.is_scoped() {
        tr.t(&format!("scope-{}", s.code()))
    } else {
        String::new()
    }
}

/// Secrets shown once: recovery codes, a new API token, an invitation link.
#[derive(Template)]
#[template(path = "auth/secrets.html")]
pub struct SecretsPage {
    pub tr: Tr,
    pub lang_links: Vec<crate::pages::LangLink>,
    pub nav: Option<crate::pages::Nav>,
    pub title: String,
    pub intro: String,
    pub items: Vec<String>,
    pub next: String,
}

pub fn secrets(
    tr: Tr,
    uri: &Uri,
    s: Option<&Signed>,
    title: String,
    intro: String,
    items: Vec<String>,
    next: &str,
) -> Result<Response, PageError> {
    let p = page!(SecretsPage, Frame::new(tr, uri, s), title, { intro: intro, items: items, next: next.to_owned() });
    Ok(render(&p)?.into_response())
}
