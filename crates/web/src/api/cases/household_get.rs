//! `GET /api/v1/cases/{id}/household`: the returnee's household members, with the case's
//! version. Recorded as a view of the case; outside the caller's scope the case does not
//! exist.

use super::parts::HouseholdDto;
use crate::auth::Signed;
use crate::{ApiError, AppState};
use axum::Json;
use axum::extract::{Path, State};

/// The returnee's household.
#[utoipa::path(
    get,
    path = "/api/v1/cases/{id}/household",
    tag = "cases",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Case id")),
    responses(
        (status = 200, description = "The returnee's household members.", body = HouseholdDto),
        (status = 401, description = "No valid token", body = crate::error::ErrorBody),
        (status = 403, description = "The caller may not read cases", body = crate::error::ErrorBody),
        (status = 404, description = "No such case within the caller's scope", body = crate::error::ErrorBody),
    )
)]
pub async fn get(
    State(state): State<AppState>,
    s: Signed,
    Path(id): Path<i64>,
) -> Result<Json<HouseholdDto>, ApiError> {
    let part = super::read_part(&state, &s, move |store, auth, actor| {
        store.case_household(auth, actor, id)
    })
    .await?;
    Ok(Json(HouseholdDto::new(id, &part)))
}
