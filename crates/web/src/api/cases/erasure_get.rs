//! `GET /api/v1/cases/{id}/erasure`: the returnee's requests to have their record erased,
//! newest first, with their legal basis and the decision.

use crate::auth::Signed;
use crate::{ApiError, AppState};
use axum::Json;
use axum::extract::{Path, State};
use homeward_domain::access::ReadCases;
use homeward_store::retention::erasure::ErasureRequest;
use serde::Serialize;
use utoipa::ToSchema;

/// An erasure request.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErasureDto {
    pub id: i64,
    /// consent_withdrawn, no_longer_needed, objection, unlawful or legal_obligation.
    pub basis: String,
    /// The returnee was given their record before it went.
    pub record_given: bool,
    pub requested_at: String,
    pub requested_by: String,
    /// requested, refused or done.
    pub status: String,
    pub decided_by: Option<String>,
    pub decided_at: Option<String>,
    pub note: String,
}

impl From<&ErasureRequest> for ErasureDto {
    fn from(r: &ErasureRequest) -> Self {
        ErasureDto {
            id: r.id,
            basis: r.basis.clone(),
            record_given: r.record_given,
            requested_at: r.requested_on.clone(),
            requested_by: r.requested_by.clone(),
            status: r.status.clone(),
            decided_by: r.decided_by.clone(),
            decided_at: r.decided_at.clone(),
            note: r.decision_note.clone(),
        }
    }
}

/// The case's erasure requests.
#[utoipa::path(
    get,
    path = "/api/v1/cases/{id}/erasure",
    tag = "cases",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Case id")),
    responses(
        (status = 200, description = "The requests, newest first", body = [ErasureDto]),
        (status = 401, description = "No valid token", body = crate::error::ErrorBody),
        (status = 403, description = "The caller may not read cases", body = crate::error::ErrorBody),
        (status = 404, description = "No such case within the caller's scope", body = crate::error::ErrorBody),
    )
)]
pub async fn get(
    State(state): State<AppState>,
    s: Signed,
    Path(id): Path<i64>,
) -> Result<Json<Vec<ErasureDto>>, ApiError> {
    let auth = s.authorize::<ReadCases>()?;
    let store = state.store.clone();
    let rows = crate::blocking(move || store.erasure_requests(&auth, id)).await??;
    Ok(Json(rows.iter().map(ErasureDto::from).collect()))
}
