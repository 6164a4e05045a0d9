//! `GET /admin/roles` and `POST /admin/roles/{role}`: what each role may do, how far,
//! and whether it must use one-time codes. Changes are permission changes in the audit
//! trail.

use crate::auth::Signed;
use crate::form::Fields;
use crate::i18n::Tr;
use crate::pages::access::perm_label;
use crate::pages::page;
use crate::pages::{Frame, LangLink, Nav, render};
use crate::{AppState, PageError};
use askama::Template;
use axum::extract::{Path, State};
use axum::http::{StatusCode, Uri};
use axum::response::{IntoResponse, Redirect, Response};
use homeward_domain::access::{Grants, ManageRoles, Permission, Role, Scope};

pub struct Cell {
    pub permission: &'static str,
    pub label: String,
    /// (value, label, selected); "" is "not granted".
    pub choices: Vec<(&'static str, String, bool)>,
}

pub struct RoleForm {
    pub code: &'static str,
    pub label: String,
    pub require_totp: bool,
    pub cells: Vec<Cell>,
}

#[derive(Template)]
#[template(path = "admin/roles.html")]
pub struct RolesPage {
    pub tr: Tr,
    pub lang_links: Vec<LangLink>,
    pub nav: Option<Nav>,
    pub title: String,
    pub csrf: String,
    pub roles: Vec<RoleForm>,
    pub errors: Vec<String>,
}

async fn show(
    state: &AppState,
    tr: Tr,
    uri: &Uri,
    s: &Signed,
    errors: Vec<String>,
) -> Result<Response, PageError> {
    s.authorize::<ManageRoles>()?;
    let store = state.store.clone();
    let settings = crate::pages::run(move || store.role_settings()).await?;
    let roles = settings
        .iter()
        .map(|r| RoleForm {
            code: r.role.code(),
            label: tr.t(&format!("role-{}", r.role.code())),
            require_totp: r.require_totp,
            cells: Permission::ALL
                .iter()
                .map(|p| {
                    let held = r.grants.scope(*p);
                    let mut choices = vec![("", tr.t("perm-none"), held.is_none())];
                    if p.is_scoped() {
                        for sc in Scope::ALL {
                            choices.push((
                                sc.code(),
                                tr.t(&format!("scope-{}", sc.code())),
                                held == Some(*sc),
                            ));
                        }
                    } else {
                        choices.push((Scope::All.code(), tr.t("perm-granted"), held.is_some()));
                    }
                    Cell {
                        permission: p.code(),
                        label: perm_label(&tr, *p),
                        choices,
                    }
                })
                .collect(),
        })
        .collect();
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::BAD_REQUEST
    };
    let title = tr.t("admin-roles");
    let p = page!(RolesPage, Frame::new(tr, uri, Some(s)), title, { csrf: s.csrf.clone(), roles: roles, errors: errors });
    Ok((status, render(&p)?).into_response())
}

pub async fn list(
    State(state): State<AppState>,
    tr: Tr,
    uri: Uri,
    s: Signed,
) -> Result<Response, PageError> {
    show(&state, tr, &uri, &s, vec![]).await
}

pub async fn update(
    State(state): State<AppState>,
    tr: Tr,
    uri: Uri,
    s: Signed,
    Path(role): Path<String>,
    f: Fields,
) -> Result<Response, PageError> {
    let auth = s.authorize::<ManageRoles>()?;
    let role: Role = role.parse().map_err(|e: String| PageError::NotFound(e))?;
    let mut grants = Grants::new();
    let mut errors = vec![];
    for p in Permission::ALL {
        match f.get(p.code()) {
            "" => {}
            v => match v.parse::<Scope>() {
                Ok(sc) => grants.insert(*p, sc),
                Err(e) => errors.push(format!("{}: {e}", p.code())),
            },
        }
    }
    if !errors.is_empty() {
        return show(&state, tr, &uri, &s, errors).await;
    }
    let require_totp = f.get("require_totp") == "yes";
    let store = state.store.clone();
    let actor = s.actor();
    match crate::pages::attempt(move || store.set_role(&auth, &actor, role, &grants, require_totp))
        .await?
    {
        Ok(()) => Ok(Redirect::to("/admin/roles").into_response()),
        Err(errors) => show(&state, tr, &uri, &s, errors).await,
    }
}
