//! `POST /cases/{id}/assistance`: recording assistance given against the plan; and
//! `GET /receipts/{receipt}`: a receipt's file, for those who may read its case.

use super::act::{act, refuse};
use super::{At, read_upload};
use crate::auth::Signed;
use crate::form::Fields;
use crate::i18n::Tr;
use crate::{AppState, PageError};
use axum::extract::{Multipart, Path, State};
use axum::http::Uri;
use axum::response::Response;
use homeward_domain::FieldError;
use homeward_domain::access::{ApproveCases, ReadCases, WriteCases};
use homeward_domain::reintegration::forms::{PaymentDraft, PaymentForm};

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
        accept_old_rate: f.get("accept_old_rate") == "yes",
    })
    .parse(homeward_store::today())
    {
        Ok(p) => PaymentDraft {
            max_rate_age_days: Some(state.config.rate_max_age_days),
            ..p
        },
        Err(errs) => {
            return refuse(&state, tr, &uri, &s, id, At::typed("assistance", &f), errs).await;
        }
    };
    let (store, actor) = (state.store.clone(), s.actor());
    act(
        &state,
        tr,
        &uri,
        &s,
        id,
        At::typed("assistance", &f),
        move || store.give_assistance(&auth, approver.as_ref(), &actor, id, &payment),
    )
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
    Ok(crate::download::attachment(&name, content_type, bytes))
}

/// `POST /cases/{id}/receipts`: attaches a receipt (PDF, PNG or JPEG, at most 5 MiB,
/// typed by its bytes, not its name) to one of the case's payments.
pub async fn upload(
    State(state): State<AppState>,
    tr: Tr,
    uri: Uri,
    s: Signed,
    Path(id): Path<i64>,
    mut form: Multipart,
) -> Result<Response, PageError> {
    let auth = s.authorize::<WriteCases>()?;
    let (payment, file) = match read_upload(&mut form).await {
        Ok(up) => (up.fields.get("payment").trim().parse::<i64>().ok(), up.file),
        Err(e) => {
            let why = FieldError::new("receipt", format!("the upload could not be read: {e}"));
            return refuse(
                &state,
                tr,
                &uri,
                &s,
                id,
                At::typed("assistance", &Fields::default()),
                vec![why],
            )
            .await;
        }
    };
    let Some(payment) = payment else {
        let why = FieldError::new("payment", "choose a payment");
        return refuse(
            &state,
            tr,
            &uri,
            &s,
            id,
            At::typed("assistance", &Fields::default()),
            vec![why],
        )
        .await;
    };
    let Some((name, bytes)) = file else {
        let why = FieldError::new("receipt", "choose a file");
        return refuse(
            &state,
            tr,
            &uri,
            &s,
            id,
            At::typed("assistance", &Fields::default()),
            vec![why],
        )
        .await;
    };
    let (store, actor) = (state.store.clone(), s.actor());
    act(
        &state,
        tr,
        &uri,
        &s,
        id,
        At::typed(format!("payment-{payment}"), &Fields::default()),
        move || store.add_receipt(&auth, &actor, id, payment, &name, bytes),
    )
    .await
}
