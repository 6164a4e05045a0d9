//! `POST /cases/{id}/details`, `/household`, `/household/{member}/remove`, `/consents`
//! and `/consents/{consent}/withdraw`: the returnee's details, household and consents.

use super::act::{act, refuse};
use super::{At, date_or_today};
use crate::auth::Signed;
use crate::form::Fields;
use crate::i18n::Tr;
use crate::{AppState, PageError};
use axum::extract::{Path, State};
use axum::http::Uri;
use axum::response::Response;
use homeward_domain::FieldError;
use homeward_domain::access::WriteCases;
use homeward_domain::case::HouseholdMember;
use homeward_domain::reintegration::consent::Purpose;

pub async fn add_member(
    State(state): State<AppState>,
    tr: Tr,
    uri: Uri,
    s: Signed,
    Path(id): Path<i64>,
    f: Fields,
) -> Result<Response, PageError> {
    let auth = s.authorize::<WriteCases>()?;
    let year = homeward_store::today().year;
    let m = match HouseholdMember::parse(
        f.get("name"),
        f.get("relation"),
        f.get("sex"),
        f.get("birth_year"),
        year,
    ) {
        Ok(m) => m,
        Err(errs) => {
            return refuse(&state, tr, &uri, &s, id, At::typed("household", &f), errs).await;
        }
    };
    let (store, actor) = (state.store.clone(), s.actor());
    act(
        &state,
        tr,
        &uri,
        &s,
        id,
        At::typed("household", &f),
        move || store.add_household_member(&auth, &actor, id, &m),
    )
    .await
}

pub async fn remove_member(
    State(state): State<AppState>,
    tr: Tr,
    uri: Uri,
    s: Signed,
    Path((id, member)): Path<(i64, i64)>,
) -> Result<Response, PageError> {
    let auth = s.authorize::<WriteCases>()?;
    let (store, actor) = (state.store.clone(), s.actor());
    act(
        &state,
        tr,
        &uri,
        &s,
        id,
        At::typed("household", &Fields::default()),
        move || store.remove_household_member(&auth, &actor, id, member),
    )
    .await
}

pub async fn consent(
    State(state): State<AppState>,
    tr: Tr,
    uri: Uri,
    s: Signed,
    Path(id): Path<i64>,
    f: Fields,
) -> Result<Response, PageError> {
    let auth = s.authorize::<WriteCases>()?;
    let purpose: Purpose = match f.get("purpose").parse() {
        Ok(p) => p,
        Err(e) => {
            return refuse(
                &state,
                tr,
                &uri,
                &s,
                id,
                At::typed("consents", &f),
                vec![FieldError::new("purpose", e)],
            )
            .await;
        }
    };
    let partner = match f.get("partner").trim() {
        "" => None,
        _ => Some(f.int("partner")?),
    };
    let on = date_or_today(&f, "given_on")?;
    let (store, actor) = (state.store.clone(), s.actor());
    act(
        &state,
        tr,
        &uri,
        &s,
        id,
        At::typed("consents", &f),
        move || store.record_consent(&auth, &actor, id, purpose, partner, on),
    )
    .await
}

pub async fn withdraw(
    State(state): State<AppState>,
    tr: Tr,
    uri: Uri,
    s: Signed,
    Path((id, consent)): Path<(i64, i64)>,
) -> Result<Response, PageError> {
    let auth = s.authorize::<WriteCases>()?;
    let (store, actor) = (state.store.clone(), s.actor());
    act(
        &state,
        tr,
        &uri,
        &s,
        id,
        At::typed("consents", &Fields::default()),
        move || store.withdraw_consent(&auth, &actor, id, consent, homeward_store::today()),
    )
    .await
}
