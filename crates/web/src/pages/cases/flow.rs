//! `POST /cases/{id}/share`, `/handover`, `/assign`, `/stage`, `/package`, `/close` and
//! `/reopen`: who holds the case, where it is on its way, what it may receive, and its
//! closure (a manager's).

use super::act::{act, refuse};
use super::{At, date_or_today, version};
use crate::auth::Signed;
use crate::form::Fields;
use crate::i18n::Tr;
use crate::{AppState, PageError};
use axum::extract::{Path, State};
use axum::http::Uri;
use axum::response::{IntoResponse, Redirect, Response};
use homeward_domain::FieldError;
use homeward_domain::access::{ApproveCases, AssignCases, ReadCases, WriteCases};
use homeward_domain::reintegration::forms::Closure;
use homeward_domain::reintegration::stage::Stage;
use homeward_store::StoreError;
use homeward_store::cases::handover::HandTo;

fn opt_id(f: &Fields, name: &str) -> Result<Option<i64>, PageError> {
    match f.get(name).trim() {
        "" => Ok(None),
        _ => f.int(name).map(Some),
    }
}

pub async fn share(
    State(state): State<AppState>,
    tr: Tr,
    uri: Uri,
    s: Signed,
    Path(id): Path<i64>,
    f: Fields,
) -> Result<Response, PageError> {
    let auth = s.authorize::<WriteCases>()?;
    let office = f.int("office")?;
    let (store, actor) = (state.store.clone(), s.actor());
    act(
        &state,
        tr,
        &uri,
        &s,
        id,
        At::typed("offices", &f),
        move || store.share_case(&auth, &actor, id, office),
    )
    .await
}

pub async fn handover(
    State(state): State<AppState>,
    tr: Tr,
    uri: Uri,
    s: Signed,
    Path(id): Path<i64>,
    f: Fields,
) -> Result<Response, PageError> {
    let auth = s.authorize::<WriteCases>()?;
    let v = version(&f)?;
    let to = match f.get("to") {
        "host" => HandTo::Host,
        _ => HandTo::Origin,
    };
    let expected = match f.get("expected_departure").trim() {
        "" => None,
        d => match d.parse() {
            Ok(d) => Some(d),
            Err(e) => {
                let why = FieldError::new("expected_departure", e);
                return refuse(
                    &state,
                    tr,
                    &uri,
                    &s,
                    id,
                    At::typed("offices", &f),
                    vec![why],
                )
                .await;
            }
        },
    };
    let (store, actor) = (state.store.clone(), s.actor());
    act(
        &state,
        tr,
        &uri,
        &s,
        id,
        At::typed("offices", &f),
        move || store.hand_over_case(&auth, &actor, id, v, to, expected),
    )
    .await
}

pub async fn assign(
    State(state): State<AppState>,
    tr: Tr,
    uri: Uri,
    s: Signed,
    Path(id): Path<i64>,
    f: Fields,
) -> Result<Response, PageError> {
    let auth = s.authorize::<AssignCases>()?;
    let (v, user) = (version(&f)?, f.int("user")?);
    let (store, actor) = (state.store.clone(), s.actor());
    act(
        &state,
        tr,
        &uri,
        &s,
        id,
        At::typed("offices", &f),
        move || store.assign_case(&auth, &actor, id, v, user),
    )
    .await
}

pub async fn stage(
    State(state): State<AppState>,
    tr: Tr,
    uri: Uri,
    s: Signed,
    Path(id): Path<i64>,
    f: Fields,
) -> Result<Response, PageError> {
    let auth = s.authorize::<WriteCases>()?;
    let approver = s.principal.authorize::<ApproveCases>().ok();
    let v = version(&f)?;
    let to: Stage = match f.get("to").parse() {
        Ok(t) => t,
        Err(e) => {
            return refuse(
                &state,
                tr,
                &uri,
                &s,
                id,
                At::typed("stage", &f),
                vec![FieldError::new("to", e)],
            )
            .await;
        }
    };
    let on = date_or_today(&f, "on")?;
    let (store, actor) = (state.store.clone(), s.actor());
    act(
        &state,
        tr,
        &uri,
        &s,
        id,
        At::typed("stage", &f),
        move || store.step_case(&auth, approver.as_ref(), &actor, id, v, to, on),
    )
    .await
}

pub async fn package(
    State(state): State<AppState>,
    tr: Tr,
    uri: Uri,
    s: Signed,
    Path(id): Path<i64>,
    f: Fields,
) -> Result<Response, PageError> {
    let auth = s.authorize::<WriteCases>()?;
    let v = version(&f)?;
    let package = opt_id(&f, "package")?;
    let (store, actor) = (state.store.clone(), s.actor());
    // The funding project as picked from the searchable list (Projects ID and title), or
    // by its number; empty for the package's own.
    let label = f.get("project_label").trim().to_owned();
    let by_number = opt_id(&f, "project")?;
    act(&state, tr, &uri, &s, id, At::typed("plan", &f), move || {
        let project = match (by_number, label.as_str()) {
            (Some(n), _) => Some(n),
            (None, "") => None,
            (None, l) => Some(
                store
                    .individual_projects()?
                    .into_iter()
                    .find(|p| p.label() == l || p.projects_id.as_deref() == Some(l))
                    .map(|p| p.id)
                    .ok_or_else(|| {
                        StoreError::conflict(
                            "project",
                            format!(
                                "{l:?} is not a project funding individual reintegration; \
                                 choose one from the list by its Projects ID or title"
                            ),
                        )
                    })?,
            ),
        };
        store.set_case_package(&auth, &actor, id, v, package, project)
    })
    .await
}

pub async fn close(
    State(state): State<AppState>,
    tr: Tr,
    uri: Uri,
    s: Signed,
    Path(id): Path<i64>,
    f: Fields,
) -> Result<Response, PageError> {
    let auth = s.authorize::<ApproveCases>()?;
    let v = version(&f)?;
    let closure = match Closure::parse(
        f.get("reason"),
        f.get("closed_on"),
        f.get("note"),
        homeward_store::today(),
    ) {
        Ok(c) => c,
        Err(errs) => return refuse(&state, tr, &uri, &s, id, At::typed("closure", &f), errs).await,
    };
    let (store, actor) = (state.store.clone(), s.actor());
    act(
        &state,
        tr,
        &uri,
        &s,
        id,
        At::typed("closure", &f),
        move || store.close_case(&auth, &actor, id, v, &closure),
    )
    .await
}

pub async fn reopen(
    State(state): State<AppState>,
    tr: Tr,
    uri: Uri,
    s: Signed,
    Path(id): Path<i64>,
    f: Fields,
) -> Result<Response, PageError> {
    let auth = s.authorize::<ApproveCases>()?;
    let v = version(&f)?;
    let why = f.get("why").to_owned();
    let (store, actor) = (state.store.clone(), s.actor());
    act(
        &state,
        tr,
        &uri,
        &s,
        id,
        At::typed("closure", &f),
        move || store.reopen_case(&auth, &actor, id, v, &why),
    )
    .await
}

/// A new case for the same person, who returns again after a closed case; it opens in
/// the caller's office and the caller goes to it.
pub async fn return_again(
    State(state): State<AppState>,
    tr: Tr,
    uri: Uri,
    s: Signed,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let auth = s.authorize::<WriteCases>()?;
    let read = s.authorize::<ReadCases>()?;
    let (store, actor) = (state.store.clone(), s.actor());
    match crate::blocking(move || store.open_return_case(&read, &auth, &actor, id)).await? {
        Ok(new) => Ok(Redirect::to(&format!("/cases/{new}")).into_response()),
        Err(StoreError::Conflict { field, message }) => {
            refuse(
                &state,
                tr,
                &uri,
                &s,
                id,
                At::typed("closure", &Fields::default()),
                vec![FieldError::new(field, message)],
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}
