//! `GET /admin`: the administration pages this user may open (offices, users, roles,
//! exchange rates, the audit trail, survey instruments), each of which takes the policy's
//! proof for its own permission.

use crate::PageError;
use crate::auth::Signed;
use crate::i18n::Tr;
use crate::pages::page;
use crate::pages::{Frame, render};
use askama::Template;
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
}

/// `GET /admin`: the administration pages this user may open.
pub async fn index(tr: Tr, uri: Uri, s: Signed) -> Result<Response, PageError> {
    let p = &s.principal;
    let mut links = vec![];
    for (perm, href, key) in [
        (Permission::OfficesManage, "/admin/offices", "admin-offices"),
        (Permission::UsersManage, "/admin/users", "admin-users"),
        (Permission::RolesManage, "/admin/roles", "admin-roles"),
        (Permission::ReferenceManage, "/admin/rates", "admin-rates"),
        (Permission::AuditRead, "/admin/audit", "admin-audit"),
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
    let title = tr.t("admin-title");
    let page = page!(AdminPage, Frame::new(tr, &uri, Some(&s)), title, { links: links });
    Ok(render(&page)?.into_response())
}
