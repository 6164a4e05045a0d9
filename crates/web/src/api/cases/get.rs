//! `GET /api/v1/cases/{id}`: one case, recorded as viewed. Outside the caller's scope it
//! does not exist.

use super::model::CaseDto;
use crate::auth::Signed;
use crate::{ApiError, AppState, blocking};
use axum::Json;
use axum::extract::{Path, State};
use homeward_domain::access::ReadCases;

/// One case.
#[utoipa::path(
    get,
    path = "/api/v1/cases/{id}",
    tag = "cases",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Case number")),
    responses(
        (status = 200, description = "The case", body = CaseDto),
        (status = 401, description = "No valid token", body = crate::error::ErrorBody),
        (status = 403, description = "The caller may not read cases", body = crate::error::ErrorBody),
        (status = 404, description = "No such case within the caller's scope", body = crate::error::ErrorBody),
    )
)]
pub async fn get(
    State(state): State<AppState>,
    s: Signed,
    Path(id): Path<i64>,
) -> Result<Json<CaseDto>, ApiError> {
    let auth = s.authorize::<ReadCases>()?;
    let store = state.store.clone();
    let actor = s.actor();
    let case = blocking(move || store.case(&auth, &actor, id)).await??;
    Ok(Json(case.into()))
}
