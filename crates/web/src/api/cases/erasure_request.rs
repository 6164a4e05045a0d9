//! `POST /api/v1/cases/{id}/erasure`: records the returnee's request to have their record
//! erased, with its legal basis; the office's managers are told, as on the case page.

use crate::api::JsonBody;
use crate::auth::Signed;
use crate::{ApiError, AppState};
use axum::Json;
use axum::extract::{Path, State};
use homeward_domain::FieldError;
use homeward_domain::access::WriteCases;
use homeward_domain::retention::Basis;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A request to erase.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct AskErasure {
    /// consent_withdrawn, no_longer_needed, objection, unlawful or legal_obligation.
    pub basis: String,
    /// The returnee was given their record first (`GET /cases/{id}/record.json`).
    pub record_given: bool,
}

/// The request recorded.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErasureAsked {
    pub request_id: i64,
}

/// Record a request to erase.
#[utoipa::path(
    post,
    path = "/api/v1/cases/{id}/erasure",
    tag = "cases",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Case id")),
    request_body = AskErasure,
    responses(
        (status = 200, description = "Recorded; a manager decides", body = ErasureAsked),
        (status = 400, description = "The basis is not one of the five", body = crate::error::ErrorBody),
        (status = 401, description = "No valid token", body = crate::error::ErrorBody),
        (status = 403, description = "The caller may not change cases", body = crate::error::ErrorBody),
        (status = 404, description = "No such case within the caller's scope", body = crate::error::ErrorBody),
        (status = 409, description = "A request already waits, or the case was anonymised", body = crate::error::ErrorBody),
    )
)]
pub async fn ask(
    State(state): State<AppState>,
    s: Signed,
    Path(id): Path<i64>,
    JsonBody(b): JsonBody<AskErasure>,
) -> Result<Json<ErasureAsked>, ApiError> {
    let auth = s.authorize::<WriteCases>()?;
    let basis: Basis = b.basis.trim().parse().map_err(|_| {
        ApiError::BadRequest(vec![FieldError::new(
            "basis",
            "consent_withdrawn, no_longer_needed, objection, unlawful or legal_obligation",
        )])
    })?;
    let (store, actor) = (state.store.clone(), s.actor());
    let request_id =
        crate::blocking(move || store.request_erasure(&auth, &actor, id, basis, b.record_given))
            .await??;
    Ok(Json(ErasureAsked { request_id }))
}
