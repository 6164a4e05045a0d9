//! Server-rendered pages, one file per action, grouped by the domain's concepts (`access`,
//! `catalogue`, `cases`, `community`, `survey`, `insight`, and the `site` itself), each
//! group declaring its routes with their access rules in its `routes.rs`. What the pages
//! share: the page frame (language links, the signed-in navigation), rendering, and
//! running store work off the runtime.

pub mod access;
pub mod cases;
pub mod catalogue;
pub mod community;
pub mod error;
pub mod insight;
pub mod retention;
pub mod site;
pub mod survey;

use crate::PageError;
use crate::auth::Signed;
use crate::i18n::{LANGUAGES, Tr};
use crate::links::with_pairs;
use axum::http::Uri;
use homeward_domain::access::Permission;

/// An option of a select.
pub struct Choice {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

/// A link in the language switch.
#[derive(Debug, Clone)]
pub struct LangLink {
    pub code: &'static str,
    pub name: &'static str,
    pub href: String,
    pub current: bool,
}

/// Links that switch language and come back to this page.
pub fn lang_links(tr: &Tr, uri: &Uri) -> Vec<LangLink> {
    let next = match uri.query() {
        Some(q) => {
            let kept: Vec<(String, String)> = form_urlencoded::parse(q.as_bytes())
                .filter(|(k, _)| k != "lang")
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect();
            with_pairs(
                uri.path(),
                kept.iter().map(|(k, v)| (k.as_str(), v.as_str())),
            )
        }
        None => uri.path().to_owned(),
    };
    LANGUAGES
        .iter()
        .map(|(code, name)| LangLink {
            code,
            name,
            href: with_pairs(&format!("/lang/{code}"), [("next", next.as_str())]),
            current: *code == tr.code,
        })
        .collect()
}

/// Whether any administration page is open to this principal.
pub fn admin_reachable(p: &homeward_domain::access::Principal) -> bool {
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

/// The signed-in part of the page header: links to what the user may reach, and the
/// sign-out form with its CSRF token.
#[derive(Debug, Clone)]
pub struct Nav {
    pub email: String,
    pub csrf: String,
    pub cases: bool,
    /// *My work*, with how many things wait there (none when not counted).
    pub my_work: bool,
    pub waiting: Option<crate::auth::waiting::Counts>,
    pub stats: bool,
    pub packages: bool,
    pub community: bool,
    pub admin: bool,
}

impl Nav {
    pub fn of(s: &Signed) -> Nav {
        let p = &s.principal;
        Nav {
            email: p.email().to_owned(),
            csrf: s.csrf.clone(),
            cases: p.can(Permission::CaseRead) && !s.must_enrol,
            my_work: p.can(Permission::CaseRead) && !s.must_enrol,
            waiting: s.waiting,
            stats: p.can(Permission::Aggregates) && !s.must_enrol,
            packages: p.can(Permission::PackageManage) && !s.must_enrol,
            community: (p.can(Permission::CommunityManage) || p.can(Permission::AssetsLend))
                && !s.must_enrol,
            admin: admin_reachable(p) && !s.must_enrol,
        }
    }
}

/// What every signed-in page's frame needs.
pub struct Frame {
    pub tr: Tr,
    pub lang_links: Vec<LangLink>,
    pub nav: Option<Nav>,
}

impl Frame {
    pub fn new(tr: Tr, uri: &Uri, signed: Option<&Signed>) -> Frame {
        Frame {
            lang_links: lang_links(&tr, uri),
            nav: signed.map(Nav::of),
            tr,
        }
    }
}

/// Builds a page struct whose template extends `base.html`: the frame's fields plus the
/// page's own.
macro_rules! page {
    ($t:ident, $frame:expr, $title:expr, { $($field:ident $(: $val:expr)?),* $(,)? }) => {{
        let f: $crate::pages::Frame = $frame;
        $t { tr: f.tr, lang_links: f.lang_links, nav: f.nav, title: $title, $($field $(: $val)?),* }
    }};
}
pub(crate) use page;

/// Where a user lands after signing in: the first thing their role is for.
pub fn landing(p: &homeward_domain::access::Principal) -> &'static str {
    if p.can(Permission::CaseWrite) {
        "/my-work"
    } else if p.can(Permission::CaseRead) {
        "/cases"
    } else if p.can(Permission::AssetsLend) && !p.can(Permission::Aggregates) {
        "/work"
    } else if p.can(Permission::Aggregates) && !admin_reachable(p) {
        "/stats"
    } else if admin_reachable(p) {
        "/admin"
    } else {
        "/account"
    }
}

/// Renders an askama page or reports why it could not be.
pub fn render(t: &impl askama::Template) -> Result<axum::response::Html<String>, PageError> {
    t.render()
        .map(axum::response::Html)
        .map_err(|e| PageError::Internal(format!("a page could not be rendered: {e}")))
}

/// Runs store work off the runtime, turning both kinds of failure into a page error.
pub async fn run<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, homeward_store::StoreError> + Send + 'static,
) -> Result<T, PageError> {
    Ok(crate::blocking(f).await??)
}

/// Runs store work whose refusal the user can fix: a conflict (a taken name, a weak
/// password, a missing consent) comes back as lines to show above the form again; any
/// other failure is a page error.
pub async fn attempt<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, homeward_store::StoreError> + Send + 'static,
) -> Result<Result<T, Vec<String>>, PageError> {
    match crate::blocking(f).await? {
        Ok(v) => Ok(Ok(v)),
        Err(homeward_store::StoreError::Conflict { field, message }) => {
            Ok(Err(vec![format!("{field}: {message}")]))
        }
        Err(e) => Err(e.into()),
    }
}

/// No route: a page for people, JSON under `/api/`.
pub async fn not_found(uri: Uri) -> axum::response::Response {
    use axum::response::IntoResponse;
    if uri.path().starts_with("/api/") {
        crate::ApiError::NotFound(format!("the endpoint {}", uri.path())).into_response()
    } else {
        PageError::NotFound(format!("The page {}", uri.path())).into_response()
    }
}
