//! `POST /cases/{id}/notes` adds a note (counselling, visit, call), sensitive when the
//! writer may read sensitive fields and says so, maybe correcting an earlier one;
//! `POST /cases/{id}/notes/{note}` corrects a note's words (its author, within a day).

use super::At;
use super::act::{act, refuse};
use crate::auth::Signed;
use crate::form::Fields;
use crate::i18n::Tr;
use crate::{AppState, PageError};
use axum::extract::{Path, State};
use axum::http::Uri;
use axum::response::Response;
use homeward_domain::access::WriteCases;
use homeward_domain::reintegration::notes::{NoteDraft, corrected_text};

pub async fn add(
    State(state): State<AppState>,
    tr: Tr,
    uri: Uri,
    s: Signed,
    Path(id): Path<i64>,
    f: Fields,
) -> Result<Response, PageError> {
    let auth = s.authorize::<WriteCases>()?;
    let sensitive = f.get("sensitive") == "yes";
    let draft = match NoteDraft::parse(f.get("kind"), f.get("text"), sensitive, f.get("corrects")) {
        Ok(d) => d,
        Err(errs) => return refuse(&state, tr, &uri, &s, id, At::typed("notes", &f), errs).await,
    };
    let (store, actor) = (state.store.clone(), s.actor());
    act(
        &state,
        tr,
        &uri,
        &s,
        id,
        At::typed("notes", &f),
        move || store.add_note(&auth, &actor, id, &draft),
    )
    .await
}

pub async fn correct(
    State(state): State<AppState>,
    tr: Tr,
    uri: Uri,
    s: Signed,
    Path((id, note)): Path<(i64, i64)>,
    f: Fields,
) -> Result<Response, PageError> {
    let auth = s.authorize::<WriteCases>()?;
    let text = match corrected_text(f.get("text")) {
        Ok(t) => t,
        Err(errs) => return refuse(&state, tr, &uri, &s, id, At::typed("notes", &f), errs).await,
    };
    let (store, actor) = (state.store.clone(), s.actor());
    act(
        &state,
        tr,
        &uri,
        &s,
        id,
        At::typed("notes", &f),
        move || store.correct_note(&auth, &actor, id, note, &text),
    )
    .await
}
