//! `GET /admin/users` and the actions on users: invite (a one-time link to choose a
//! password), change role or office, disable or enable, reset (password and one-time
//! codes cleared, sessions and tokens ended, a new link).

use crate::auth::Signed;
use crate::form::Fields;
use crate::i18n::Tr;
use crate::pages::page;
use crate::pages::{Frame, LangLink, Nav, render};
use crate::{AppState, PageError};
use askama::Template;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, Uri, header};
use axum::response::{IntoResponse, Redirect, Response};
use homeward_domain::access::{ManageUsers, Role};
use homeward_domain::account::{Email, display_name};
use homeward_store::access::users::NewUser;

pub struct UserRow {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub office_id: i64,
    pub role: &'static str,
    pub state: String,
    pub disabled: bool,
    pub totp: bool,
}

#[derive(Template)]
#[template(path = "admin/users.html")]
pub struct UsersPage {
    pub tr: Tr,
    pub lang_links: Vec<LangLink>,
    pub nav: Option<Nav>,
    pub title: String,
    pub csrf: String,
    pub users: Vec<UserRow>,
    pub offices: Vec<(i64, String)>,
    pub roles: Vec<(&'static str, String)>,
    pub errors: Vec<String>,
}

async fn show(
    state: &AppState,
    tr: Tr,
    uri: &Uri,
    s: &Signed,
    errors: Vec<String>,
) -> Result<Response, PageError> {
    let auth = s.authorize::<ManageUsers>()?;
    let store = state.store.clone();
    let (users, offices) =
        crate::pages::run(move || Ok((store.users(&auth)?, store.offices()?))).await?;
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::BAD_REQUEST
    };
    let rows = users
        .into_iter()
        .map(|u| UserRow {
            state: if u.disabled {
                tr.t("user-disabled")
            } else if !u.has_password {
                tr.t("user-invited")
            } else {
                tr.t("user-active")
            },
            id: u.id,
            email: u.email,
            name: u.name,
            office_id: u.office_id,
            role: u.role.code(),
            disabled: u.disabled,
            totp: u.totp_enabled,
        })
        .collect();
    let title = tr.t("admin-users");
    let roles = Role::ALL
        .iter()
        .map(|r| (r.code(), tr.t(&format!("role-{}", r.code()))))
        .collect();
    let p = page!(UsersPage, Frame::new(tr, uri, Some(s)), title, {
        csrf: s.csrf.clone(),
        users: rows,
        offices: offices.into_iter().map(|o| (o.id, o.name)).collect(),
        roles: roles,
        errors: errors,
    });
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

/// The full address of a password link, for the administrator to send.
fn link(state: &AppState, headers: &HeaderMap, token: &str) -> String {
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("localhost");
    let scheme = if state.config.secure_cookies {
        "https"
    } else {
        "http"
    };
    format!("{scheme}://{host}/password/{token}")
}

fn role_field(f: &Fields) -> Result<Role, String> {
    f.get("role")
        .parse::<Role>()
        .map_err(|e| format!("role: {e}"))
}

pub async fn invite(
    State(state): State<AppState>,
    tr: Tr,
    uri: Uri,
    headers: HeaderMap,
    s: Signed,
    f: Fields,
) -> Result<Response, PageError> {
    let auth = s.authorize::<ManageUsers>()?;
    let email = Email::parse(f.get("email")).map_err(|e| e.to_string());
    let name = display_name(f.get("name")).map_err(|e| e.to_string());
    let office = f
        .get("office")
        .trim()
        .parse::<i64>()
        .map_err(|_| "office: choose an office".to_owned());
    let role = role_field(&f);
    let nu = match (email, name, office, role) {
        (Ok(email), Ok(name), Ok(office_id), Ok(role)) => NewUser {
            email,
            name,
            office_id,
            role,
        },
        (e, n, o, r) => {
            let errs = [e.err(), n.err(), o.err(), r.err()]
                .into_iter()
                .flatten()
                .collect();
            return show(&state, tr, &uri, &s, errs).await;
        }
    };
    let store = state.store.clone();
    let actor = s.actor();
    let email = nu.email.to_string();
    match crate::pages::attempt(move || store.invite_user(&auth, &actor, &nu)).await? {
        Ok((_, token)) => {
            let (t, i) = (
                tr.t("invite-title"),
                tr.ta(
                    "invite-intro",
                    &[("email", crate::i18n::FluentArg::Str(email))],
                ),
            );
            crate::pages::access::secrets(
                tr,
                &uri,
                Some(&s),
                t,
                i,
                vec![link(&state, &headers, &token)],
                "/admin/users",
            )
        }
        Err(errors) => show(&state, tr, &uri, &s, errors).await,
    }
}

pub async fn set_role(
    State(state): State<AppState>,
    tr: Tr,
    uri: Uri,
    s: Signed,
    Path(id): Path<i64>,
    f: Fields,
) -> Result<Response, PageError> {
    let auth = s.authorize::<ManageUsers>()?;
    let role = match role_field(&f) {
        Ok(r) => r,
        Err(e) => return show(&state, tr, &uri, &s, vec![e]).await,
    };
    let office = f.int("office")?;
    let store = state.store.clone();
    let actor = s.actor();
    match crate::pages::attempt(move || store.set_user_role(&auth, &actor, id, role, office))
        .await?
    {
        Ok(()) => Ok(Redirect::to("/admin/users").into_response()),
        Err(errors) => show(&state, tr, &uri, &s, errors).await,
    }
}

async fn set_disabled(
    state: AppState,
    tr: Tr,
    uri: Uri,
    s: Signed,
    id: i64,
    disabled: bool,
) -> Result<Response, PageError> {
    let auth = s.authorize::<ManageUsers>()?;
    let store = state.store.clone();
    let actor = s.actor();
    match crate::pages::attempt(move || store.set_user_disabled(&auth, &actor, id, disabled))
        .await?
    {
        Ok(()) => Ok(Redirect::to("/admin/users").into_response()),
        Err(errors) => show(&state, tr, &uri, &s, errors).await,
    }
}

pub async fn disable(
    State(state): State<AppState>,
    tr: Tr,
    uri: Uri,
    s: Signed,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    set_disabled(state, tr, uri, s, id, true).await
}

pub async fn enable(
    State(state): State<AppState>,
    tr: Tr,
    uri: Uri,
    s: Signed,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    set_disabled(state, tr, uri, s, id, false).await
}

pub async fn reset(
    State(state): State<AppState>,
    tr: Tr,
    uri: Uri,
    headers: HeaderMap,
    s: Signed,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let auth = s.authorize::<ManageUsers>()?;
    let store = state.store.clone();
    let actor = s.actor();
    let token = crate::pages::run(move || store.reset_user(&auth, &actor, id)).await?;
    let (t, i) = (tr.t("reset-title"), tr.t("reset-intro"));
    crate::pages::access::secrets(
        tr,
        &uri,
        Some(&s),
        t,
        i,
        vec![link(&state, &headers, &token)],
        "/admin/users",
    )
}
