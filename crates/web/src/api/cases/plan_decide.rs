//! `POST /api/v1/cases/{id}/plan/decision`: a manager approves or rejects a submitted plan,
//! as on the case page. The decision is never assumed: it must be said.

use super::{Changed, change};
use crate::api::JsonBody;
use crate::auth::Signed;
use crate::{ApiError, AppState};
use axum::Json;
use axum::extract::{Path, State};
use homeward_domain::FieldError;
use homeward_domain::access::ApproveCases;
use serde::Deserialize;
use utoipa::ToSchema;

/// A decision on a plan.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct Decision {
    /// The case's version as read.
    pub version: i64,
    /// approve or reject.
    pub decision: String,
    /// Approve a plan above its package's cap, as an exception.
    pub exception: bool,
    /// Why; shown to the caseworker (needed to reject).
    pub comment: String,
}

/// Approve or reject a plan.
#[utoipa::path(
    post,
    path = "/api/v1/cases/{id}/plan/decision",
    tag = "cases",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Case id")),
    request_body = Decision,
    responses(
        (status = 200, description = "Decided; the case's version now", body = Changed),
        (status = 400, description = "Fields not valid, each named", body = crate::error::ErrorBody),
        (status = 401, description = "No valid token", body = crate::error::ErrorBody),
        (status = 403, description = "The caller may not approve plans", body = crate::error::ErrorBody),
        (status = 404, description = "No such case within the caller's scope", body = crate::error::ErrorBody),
        (status = 409, description = "The case changed since `version`, or the rules refuse the change (said why)", body = crate::error::ErrorBody),
    )
)]
pub async fn decide(
    State(state): State<AppState>,
    s: Signed,
    Path(id): Path<i64>,
    JsonBody(b): JsonBody<Decision>,
) -> Result<Json<Changed>, ApiError> {
    let auth = s.authorize::<ApproveCases>()?;
    let approve = match b.decision.as_str() {
        "approve" => true,
        "reject" => false,
        other => {
            return Err(ApiError::BadRequest(vec![FieldError::new(
                "decision",
                format!("{other:?}: say approve or reject"),
            )]));
        }
    };
    change(&state, &s, id, move |store, actor| {
        store.decide_plan(
            &auth,
            actor,
            id,
            b.version,
            approve,
            b.exception,
            &b.comment,
        )
    })
    .await
}
