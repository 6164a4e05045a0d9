//! `POST /api/v1/cases/{id}/assistance`: records assistance given against an approved
//! plan item, converted at the rate of the day paid; never beyond the item or the cap
//! unless a manager approves the excess.

use crate::api::Created;
use crate::api::JsonBody;
use crate::auth::Signed;
use crate::{ApiError, AppState, blocking};
use axum::extract::{Path, State};
use homeward_domain::access::{ApproveCases, WriteCases};
use homeward_domain::reintegration::forms::{PaymentDraft, PaymentForm};
use serde::Deserialize;
use utoipa::ToSchema;

/// A payment, in cash or in kind.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct NewPayment {
    pub plan_item: i64,
    /// cash or in_kind.
    pub kind: String,
    /// A decimal amount in the currency paid, with a dot for decimals and no other separator
    /// (e.g. "130000" or "1250.50").
    pub amount: String,
    /// ISO 4217.
    pub currency: String,
    /// YYYY-MM-DD, not in the future.
    pub paid_on: String,
    /// The funding project, if not the case's.
    pub project: Option<i64>,
    pub note: String,
    /// A manager approves going beyond the item or the cap.
    pub approve_excess: bool,
    /// Save with the latest rate even when it is older than the server allows (by default
    /// 31 days before the payment); without it such a payment is refused, naming the rate.
    pub accept_old_rate: bool,
}

/// Record assistance given.
#[utoipa::path(
    post,
    path = "/api/v1/cases/{id}/assistance",
    tag = "cases",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Case id")),
    request_body = NewPayment,
    responses(
        (status = 201, description = "Recorded", body = Created),
        (status = 400, description = "Fields not valid, or beyond what is approved, each named", body = crate::error::ErrorBody),
        (status = 401, description = "No valid token", body = crate::error::ErrorBody),
        (status = 403, description = "The caller may not write this case", body = crate::error::ErrorBody),
        (status = 404, description = "No such case within the caller's scope", body = crate::error::ErrorBody),
    )
)]
pub async fn add(
    State(state): State<AppState>,
    s: Signed,
    Path(id): Path<i64>,
    JsonBody(p): JsonBody<NewPayment>,
) -> Result<Created, ApiError> {
    let auth = s.authorize::<WriteCases>()?;
    let approver = s.principal.authorize::<ApproveCases>().ok();
    let (item, project) = (
        p.plan_item.to_string(),
        p.project.map(|x| x.to_string()).unwrap_or_default(),
    );
    crate::api::point_amounts(&[("amount", &p.amount)])?;
    let payment = PaymentForm {
        plan_item: &item,
        kind: &p.kind,
        amount: &p.amount,
        currency: &p.currency,
        paid_on: &p.paid_on,
        project_id: &project,
        note: &p.note,
        approve_excess: p.approve_excess,
        accept_old_rate: p.accept_old_rate,
    }
    .parse(homeward_store::today())
    .map_err(ApiError::BadRequest)?;
    let payment = PaymentDraft {
        max_rate_age_days: Some(state.config.rate_max_age_days),
        ..payment
    };
    let (store, actor) = (state.store.clone(), s.actor());
    let new =
        blocking(move || store.give_assistance(&auth, approver.as_ref(), &actor, id, &payment))
            .await??;
    Ok(Created { id: new })
}
