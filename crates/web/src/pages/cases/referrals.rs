//! `POST /cases/{id}/referrals` (refer, with the returnee's consent),
//! `/cases/{id}/referrals/{referral}` (the referring office records progress) and
//! `POST /referrals/{referral}/respond` (the partner answers).

use super::At;
use super::act::act;
use crate::auth::Signed;
use crate::form::Fields;
use crate::i18n::Tr;
use crate::{AppState, PageError};
use axum::extract::{Path, State};
use axum::http::Uri;
use axum::response::{IntoResponse, Redirect, Response};
use homeward_domain::FieldError;
use homeward_domain::access::{RespondReferrals, WriteCases};
use homeward_domain::reintegration::forms::ReferralStatus;

fn status(f: &Fields) -> Result<ReferralStatus, PageError> {
    f.get("status")
        .parse()
        .map_err(|e: String| PageError::BadRequest(vec![FieldError::new("status", e)]))
}

pub async fn refer(
    State(state): State<AppState>,
    tr: Tr,
    uri: Uri,
    s: Signed,
    Path(id): Path<i64>,
    f: Fields,
) -> Result<Response, PageError> {
    let auth = s.authorize::<WriteCases>()?;
    let office = f.int("office")?;
    let service = f.get("service").to_owned();
    let (store, actor) = (state.store.clone(), s.actor());
    act(
        &state,
        tr,
        &uri,
        &s,
        id,
        At::typed("referrals", &f),
        move || store.refer_case(&auth, &actor, id, office, &service),
    )
    .await
}

pub async fn update(
    State(state): State<AppState>,
    tr: Tr,
    uri: Uri,
    s: Signed,
    Path((id, rid)): Path<(i64, i64)>,
    f: Fields,
) -> Result<Response, PageError> {
    let auth = s.authorize::<WriteCases>()?;
    let st = status(&f)?;
    let outcome = f.get("outcome").to_owned();
    let (store, actor) = (state.store.clone(), s.actor());
    act(
        &state,
        tr,
        &uri,
        &s,
        id,
        At::typed("referrals", &f),
        move || store.update_referral(&auth, &actor, id, rid, st, &outcome),
    )
    .await
}

pub async fn respond(
    State(state): State<AppState>,
    s: Signed,
    Path(rid): Path<i64>,
    f: Fields,
) -> Result<Response, PageError> {
    let auth = s.authorize::<RespondReferrals>()?;
    let st = status(&f)?;
    let outcome = f.get("outcome").to_owned();
    let back = f.int("case").ok();
    let (store, actor) = (state.store.clone(), s.actor());
    crate::pages::run(move || store.respond_referral(&auth, &actor, rid, st, &outcome)).await?;
    Ok(Redirect::to(
        &back
            .map(|c| format!("/cases/{c}#referrals"))
            .unwrap_or_else(|| "/cases".into()),
    )
    .into_response())
}
