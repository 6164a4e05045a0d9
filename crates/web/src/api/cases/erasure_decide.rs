//! `POST /api/v1/cases/{id}/erasure/{request}`: a manager approves (the returnee's record
//! is anonymised at once) or refuses (with the reason) a request to erase.

use crate::api::JsonBody;
use crate::auth::Signed;
use crate::{ApiError, AppState};
use axum::Json;
use axum::extract::{Path, State};
use homeward_domain::FieldError;
use homeward_domain::access::ApproveCases;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A decision on a request to erase.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct DecideErasure {
    /// approve or refuse.
    pub decision: String,
    /// Why (needed to refuse).
    pub note: String,
}

/// What the decision did.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErasureDecided {
    /// The cases whose record was anonymised (none when refused).
    pub anonymised: Vec<String>,
}

/// Decide a request to erase.
#[utoipa::path(
    post,
    path = "/api/v1/cases/{id}/erasure/{request}",
    tag = "cases",
    security(("bearer" = [])),
    params(
        ("id" = i64, Path, description = "Case id"),
        ("request" = i64, Path, description = "Erasure request id"),
    ),
    request_body = DecideErasure,
    responses(
        (status = 200, description = "Decided", body = ErasureDecided),
        (status = 400, description = "No decision, or a refusal without a reason", body = crate::error::ErrorBody),
        (status = 401, description = "No valid token", body = crate::error::ErrorBody),
        (status = 403, description = "The caller may not approve", body = crate::error::ErrorBody),
        (status = 404, description = "No such case or waiting request within the caller's scope", body = crate::error::ErrorBody),
        (status = 409, description = "A case of the person is open or held (said which)", body = crate::error::ErrorBody),
    )
)]
pub async fn decide(
    State(state): State<AppState>,
    s: Signed,
    Path((id, request)): Path<(i64, i64)>,
    JsonBody(b): JsonBody<DecideErasure>,
) -> Result<Json<ErasureDecided>, ApiError> {
    let auth = s.authorize::<ApproveCases>()?;
    let approve = match b.decision.trim() {
        "approve" => true,
        "refuse" => false,
        _ => {
            return Err(ApiError::BadRequest(vec![FieldError::new(
                "decision",
                "approve or refuse",
            )]));
        }
    };
    let (store, actor) = (state.store.clone(), s.actor());
    let anonymised =
        crate::blocking(move || store.decide_erasure(&auth, &actor, id, request, approve, &b.note))
            .await??;
    Ok(Json(ErasureDecided { anonymised }))
}
