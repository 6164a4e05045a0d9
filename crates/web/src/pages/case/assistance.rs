//! `POST /cases/{id}/assistance`: recording assistance given against the plan; and
//! `GET /receipts/{receipt}`: a receipt's file, for those who may read its case.

use super::{act, refuse};
use crate::auth::Signed;
use crate::form::Fields;
use crate::i18n::Tr;
use crate::{AppState, PageError};
use axum::extract::{Path, State};
use axum::http::{Uri, header};
use axum::response::{IntoResponse, Response};
use homeward_domain::access::{ApproveCases, ReadCases, WriteCases};
use homeward_domain::reintegration::forms::PaymentForm;

pub async fn pay(
    State(state): State<AppState>,
    tr: Tr,
    uri: Uri,
    s: Signed,
    Path(id): Path<i64>,
    f: Fields,
) -> Result<Response, PageError> {
    let auth = s.authorize::<WriteCases>()?;
    let approver = s.principal.authorize::<ApproveCases>().ok();
    let payment = match (PaymentForm {
        plan_item: f.get("plan_item"),
        kind: f.get("kind"),
        amount: f.get("amount"),
        currency: f.get("currency"),
        paid_on: f.get("paid_on"),
        project_id: f.get("project"),
        note: f.get("note"),
        approve_excess: f.get("approve_excess") == "yes",
    })
    .parse(homeward_store::today())
    {
        Ok(p) => p,
        Err(errs) => return refuse(&state, tr, &uri, &s, id, errs).await,
    };
    let (store, actor) = (state.store.clone(), s.actor());
    act(&state, tr, &uri, &s, id, "assistance", move || {
        store.give_assistance(&auth, approver.as_ref(), &actor, id, &payment)
    })
    .await
}

pub async fn receipt(
    State(state): State<AppState>,
    s: Signed,
    Path(rid): Path<i64>,
) -> Result<Response, PageError> {
    let auth = s.authorize::<ReadCases>()?;
    let (store, actor) = (state.store.clone(), s.actor());
    let (name, content_type, bytes) =
        crate::pages::run(move || store.receipt(&auth, &actor, rid)).await?;
    Ok((
        [
            (header::CONTENT_TYPE, content_type),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{}\"", name.replace(['"', '\\'], "")),
            ),
        ],
        bytes,
    )
        .into_response())
}
