//! `POST /cases/{id}/follow-ups`, `/tasks` and `/tasks/{task}/done`: visits and calls,
//! and tasks.

use super::At;
use super::act::{act, refuse};
use crate::auth::Signed;
use crate::form::Fields;
use crate::i18n::Tr;
use crate::{AppState, PageError};
use axum::extract::{Path, State};
use axum::http::Uri;
use axum::response::Response;
use homeward_domain::FieldError;
use homeward_domain::access::WriteCases;
use homeward_domain::date::Ymd;
use homeward_domain::reintegration::forms::FollowUp;

pub async fn follow_up(
    State(state): State<AppState>,
    tr: Tr,
    uri: Uri,
    s: Signed,
    Path(id): Path<i64>,
    f: Fields,
) -> Result<Response, PageError> {
    let auth = s.authorize::<WriteCases>()?;
    let fu = match FollowUp::parse(
        f.get("kind"),
        f.get("on"),
        f.get("notes"),
        homeward_store::today(),
    ) {
        Ok(x) => x,
        Err(errs) => {
            return refuse(&state, tr, &uri, &s, id, At::typed("follow-up", &f), errs).await;
        }
    };
    let (store, actor) = (state.store.clone(), s.actor());
    act(
        &state,
        tr,
        &uri,
        &s,
        id,
        At::typed("follow-up", &f),
        move || store.add_follow_up(&auth, &actor, id, &fu),
    )
    .await
}

pub async fn add(
    State(state): State<AppState>,
    tr: Tr,
    uri: Uri,
    s: Signed,
    Path(id): Path<i64>,
    f: Fields,
) -> Result<Response, PageError> {
    let auth = s.authorize::<WriteCases>()?;
    let due: Ymd = match f.get("due_on").trim().parse() {
        Ok(d) => d,
        Err(e) => {
            return refuse(
                &state,
                tr,
                &uri,
                &s,
                id,
                At::typed("tasks", &f),
                vec![FieldError::new("due_on", e)],
            )
            .await;
        }
    };
    let title = f.get("title").to_owned();
    let (store, actor) = (state.store.clone(), s.actor());
    act(
        &state,
        tr,
        &uri,
        &s,
        id,
        At::typed("tasks", &f),
        move || store.add_task(&auth, &actor, id, &title, due),
    )
    .await
}

pub async fn done(
    State(state): State<AppState>,
    tr: Tr,
    uri: Uri,
    s: Signed,
    Path((id, task)): Path<(i64, i64)>,
) -> Result<Response, PageError> {
    let auth = s.authorize::<WriteCases>()?;
    let (store, actor) = (state.store.clone(), s.actor());
    act(
        &state,
        tr,
        &uri,
        &s,
        id,
        At::typed("tasks", &Fields::default()),
        move || store.complete_task(&auth, &actor, id, task),
    )
    .await
}
