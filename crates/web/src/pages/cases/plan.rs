//! `POST /cases/{id}/plan/items`, `/plan/items/{item}/remove`, `/plan/submit` and
//! `/plan/decide`: drafting the reintegration plan and a manager's decision on it.

use super::act::{act, refuse};
use super::{At, version};
use crate::auth::Signed;
use crate::form::Fields;
use crate::i18n::Tr;
use crate::{AppState, PageError};
use axum::extract::{Path, State};
use axum::http::Uri;
use axum::response::Response;
use homeward_domain::access::{ApproveCases, WriteCases};
use homeward_domain::reintegration::forms::PlanItemForm;

pub async fn add_item(
    State(state): State<AppState>,
    tr: Tr,
    uri: Uri,
    s: Signed,
    Path(id): Path<i64>,
    f: Fields,
) -> Result<Response, PageError> {
    let auth = s.authorize::<WriteCases>()?;
    let v = version(&f)?;
    let item = match (PlanItemForm {
        dimension: f.get("dimension"),
        category: f.get("category"),
        description: f.get("description"),
        cost: f.get("cost"),
        currency: f.get("currency"),
        supplier: f.get("supplier"),
        referral: f.get("referral") == "yes",
    })
    .parse()
    {
        Ok(i) => i,
        Err(errs) => return refuse(&state, tr, &uri, &s, id, At::typed("plan", &f), errs).await,
    };
    // The first item may come with the case's package, chosen in the same form.
    let package = match f.get("package").trim() {
        "" => None,
        _ => Some(f.int("package")?),
    };
    let (store, actor) = (state.store.clone(), s.actor());
    act(&state, tr, &uri, &s, id, At::typed("plan", &f), move || {
        let v = match package {
            Some(p) => {
                store.set_case_package(&auth, &actor, id, v, Some(p), None)?;
                v + 1
            }
            None => v,
        };
        store.add_plan_item(&auth, &actor, id, v, &item)
    })
    .await
}

pub async fn remove_item(
    State(state): State<AppState>,
    tr: Tr,
    uri: Uri,
    s: Signed,
    Path((id, item)): Path<(i64, i64)>,
    f: Fields,
) -> Result<Response, PageError> {
    let auth = s.authorize::<WriteCases>()?;
    let v = version(&f)?;
    let (store, actor) = (state.store.clone(), s.actor());
    act(&state, tr, &uri, &s, id, At::typed("plan", &f), move || {
        store.remove_plan_item(&auth, &actor, id, v, item)
    })
    .await
}

pub async fn submit(
    State(state): State<AppState>,
    tr: Tr,
    uri: Uri,
    s: Signed,
    Path(id): Path<i64>,
    f: Fields,
) -> Result<Response, PageError> {
    let auth = s.authorize::<WriteCases>()?;
    let v = version(&f)?;
    let (store, actor) = (state.store.clone(), s.actor());
    act(&state, tr, &uri, &s, id, At::typed("plan", &f), move || {
        store.submit_plan(&auth, &actor, id, v)
    })
    .await
}

pub async fn decide(
    State(state): State<AppState>,
    tr: Tr,
    uri: Uri,
    s: Signed,
    Path(id): Path<i64>,
    f: Fields,
) -> Result<Response, PageError> {
    let auth = s.authorize::<ApproveCases>()?;
    let v = version(&f)?;
    // Nothing is assumed: the manager presses Approve or Reject.
    let approve = match f.get("decision") {
        "approve" => true,
        "reject" => false,
        _ => {
            let why =
                homeward_domain::FieldError::new("decision", "choose Approve or Reject the plan");
            return refuse(&state, tr, &uri, &s, id, At::typed("decide", &f), vec![why]).await;
        }
    };
    let exception = f.get("exception") == "yes";
    let comment = f.get("comment").to_owned();
    let (store, actor) = (state.store.clone(), s.actor());
    act(
        &state,
        tr,
        &uri,
        &s,
        id,
        At::typed("decide", &f),
        move || store.decide_plan(&auth, &actor, id, v, approve, exception, &comment),
    )
    .await
}
