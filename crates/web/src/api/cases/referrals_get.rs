//! `GET /api/v1/cases/{id}/referrals`: the case's referrals to partners. Recorded as a view of the case; outside the caller's
//! scope the case does not exist.

use super::parts::*;
use crate::auth::Signed;
use crate::{ApiError, AppState};
use axum::Json;
use axum::extract::{Path, State};

/// The case's referrals to partners.
#[utoipa::path(
    get,
    path = "/api/v1/cases/{id}/referrals",
    tag = "cases",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Case id")),
    responses(
        (status = 200, description = "The case's referrals to partners.", body = [ReferralDto]),
        (status = 401, description = "No valid token", body = crate::error::ErrorBody),
        (status = 403, description = "The caller may not read cases", body = crate::error::ErrorBody),
        (status = 404, description = "No such case within the caller's scope", body = crate::error::ErrorBody),
    )
)]
pub async fn get(
    State(state): State<AppState>,
    s: Signed,
    Path(id): Path<i64>,
) -> Result<Json<Vec<ReferralDto>>, ApiError> {
    let part = super::read_part(&state, &s, move |store, auth, actor| {
        store.case_referrals(auth, actor, id)
    })
    .await?;
    Ok(Json(part.iter().map(ReferralDto::from).collect()))
}
