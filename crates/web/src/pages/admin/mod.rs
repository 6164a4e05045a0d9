//! Administration: offices, users, roles and the audit trail. Each page takes the
//! policy's proof for its permission, like every other handler.

pub mod audit;
pub mod instruments;
pub mod offices;
pub mod rates;
pub mod roles;
pub mod users;

use super::{Frame, render};
use crate::auth::Signed;
use crate::i18n::Tr;
use crate::{PageError, page};
use askama::Template;
use axum::http::Uri;
use axum::response::{IntoResponse, Response};
use homeward_domain::access::{Permission, Principal};

/// Whether any administration page is open to this principal.
pub fn reachable(p: &Principal) -> bool {
    [
        Permission::OfficesManage,
        Permission::UsersManage,
        Permission::RolesManage,
        Permission::ReferenceManage,
        Permission::AuditRead,
        Permission::InstrumentsManage,
    ]
    .iter()
    .any(|x| p.can(*x))
}

#[derive(Template)]
#[template(path = "admin/index.html")]
pub struct AdminPage {
    pub tr: Tr,
    pub lang_links: Vec<super::LangLink>,
    pub nav: Option<super::Nav>,
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
