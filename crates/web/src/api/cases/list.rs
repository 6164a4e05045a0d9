//! `GET /api/v1/cases`: the cases the caller may read, newest first (recorded in the
//! audit trail as a listing of personal data).

use super::model::CaseDto;
use crate::auth::Signed;
use crate::{ApiError, AppState, blocking};
use axum::Json;
use axum::extract::State;
use homeward_domain::access::ReadCases;

/// Cases within the caller's scope.
#[utoipa::path(
    get,
    path = "/api/v1/cases",
    tag = "cases",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Cases", body = [CaseDto]),
        (status = 401, description = "No valid token", body = crate::error::ErrorBody),
        (status = 403, description = "The caller may not read cases", body = crate::error::ErrorBody),
    )
)]
pub async fn list(
    State(state): State<AppState>,
    s: Signed,
) -> Result<Json<Vec<CaseDto>>, ApiError> {
    let auth = s.authorize::<ReadCases>()?;
    let store = state.store.clone();
    let actor = s.actor();
    let cases = blocking(move || store.cases(&auth, &actor, 1000)).await??;
    Ok(Json(cases.into_iter().map(CaseDto::from).collect()))
}
