//! `POST /cases/{id}/erasure` and `POST /cases/{id}/erasure/{request}`: the returnee asks
//! for their record to be erased (recorded with its legal basis), and a manager of the
//! office approves (the record is anonymised at once) or refuses with the reason.

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
use homeward_domain::access::{ApproveCases, WriteCases};
use homeward_domain::retention::Basis;

pub async fn request(
    State(state): State<AppState>,
    tr: Tr,
    uri: Uri,
    s: Signed,
    Path(id): Path<i64>,
    f: Fields,
) -> Result<Response, PageError> {
    let auth = s.authorize::<WriteCases>()?;
    let at = At::typed("erasure", &f);
    let basis = match f.get("basis").parse::<Basis>() {
        Ok(b) => b,
        Err(_) => {
            let e = FieldError::new("basis", "choose the legal basis of the request");
            return refuse(&state, tr, &uri, &s, id, at, vec![e]).await;
        }
    };
    let record_given = f.has("record_given");
    let (store, actor) = (state.store.clone(), s.actor());
    act(&state, tr, &uri, &s, id, at, move || {
        store.request_erasure(&auth, &actor, id, basis, record_given)
    })
    .await
}

pub async fn decide(
    State(state): State<AppState>,
    tr: Tr,
    uri: Uri,
    s: Signed,
    Path((id, request)): Path<(i64, i64)>,
    f: Fields,
) -> Result<Response, PageError> {
    let auth = s.authorize::<ApproveCases>()?;
    let at = At::typed("erasure", &f);
    let approve = match f.get("decision") {
        "approve" => true,
        "refuse" => false,
        _ => {
            let e = FieldError::new("decision", "approve or refuse the request");
            return refuse(&state, tr, &uri, &s, id, at, vec![e]).await;
        }
    };
    let note = f.get("note").to_owned();
    let (store, actor) = (state.store.clone(), s.actor());
    act(&state, tr, &uri, &s, id, at, move || {
        store.decide_erasure(&auth, &actor, id, request, approve, &note)
    })
    .await
}
