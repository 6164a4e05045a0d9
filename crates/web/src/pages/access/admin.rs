//! `GET /admin`: the administration pages this user may open (offices, users, roles,
//! exchange rates, the audit trail, survey instruments), each of which takes the policy's
//! proof for its own permission.

use crate::auth::Signed;
use crate::i18n::Tr;
use crate::pages::page;
use crate::pages::{Frame, render};
use crate::{AppState, PageError};
use askama::Template;
use axum::extract::State;
use axum::http::Uri;
use axum::response::{IntoResponse, Response};
use homeward_domain::access::Permission;

#[derive(Template)]
#[template(path = "admin/index.html")]
pub struct AdminPage {
    pub tr: Tr,
    pub lang_links: Vec<crate::pages::LangLink>,
    pub nav: Option<crate::pages::Nav>,
    pub title: String,
    pub links: Vec<(&'static str, String)>,
    /// Whether notifications go out by email, and through which server.
    pub mail: String,
    pub mail_on: bool,
}

/// `GET /admin`: the administration pages this user may open.
pub async fn index(
    State(state): State<AppState>,
    tr: Tr,
    uri: Uri,
    s: Signed,
) -> Result<Response, PageError> {
    let p = &s.principal;
    let mut links = vec![];
    for (perm, href, key) in [
        (Permission::OfficesManage, "/admin/offices", "admin-offices"),
        (Permission::UsersManage, "/admin/users", "admin-users"),
        (Permission::RolesManage, "/admin/roles", "admin-roles"),
        (Permission::ReferenceManage, "/admin/rates", "admin-rates"),
        (Permission::AuditRead, "/admin/audit", "admin-audit"),
        (
            Permission::RetentionManage,
            "/admin/retention",
            "admin-retention",
        ),
        (
            Permission::RetentionManage,
            "/admin/processing",
            "admin-processing",
        ),
        (
            Permission::InstrumentsManage,
            "/admin/instruments",
            "admin-instruments",
        ),
    ] {
        if p.can(perm) {
            links.push((href, tr.t(key)));
        }
    }
    if links.is_empty() {
        return Err(PageError::Forbidden("no administration permission".into()));
    }
    let mail_on = state.config.mail_server.is_some();
    let mail = match &state.config.mail_server {
        Some(server) => tr.ta(
            "admin-mail-on",
            &[("server", crate::i18n::FluentArg::Str(server.clone()))],
        ),
        None => tr.t("admin-mail-off"),
    };
    let title = tr.t("admin-title");
    let page = page!(AdminPage, Frame::new(tr, &uri, Some(&s)), title, { links, mail, mail_on });
    Ok(render(&page)?.into_response())
}
