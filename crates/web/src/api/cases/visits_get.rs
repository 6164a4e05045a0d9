//! `GET /api/v1/cases/{id}/visits`: Monitoring visits and calls on the case. Recorded as a view of the case; outside the caller's
//! scope the case does not exist.

use super::parts::*;
use crate::auth::Signed;
use crate::{ApiError, AppState};
use axum::Json;
use axum::extract::{Path, State};

/// Monitoring visits and calls on the case.
#[utoipa::path(
    get,
    path = "/api/v1/cases/{id}/visits",
    tag = "cases",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Case id")),
    responses(
        (status = 200, description = "Monitoring visits and calls on the case.", body = [VisitDto]),
        (status = 401, description = "No valid token", body = crate::error::ErrorBody),
        (status = 403, description = "The caller may not read cases", body = crate::error::ErrorBody),
        (status = 404, description = "No such case within the caller's scope", body = crate::error::ErrorBody),
    )
)]
pub async fn get(
    State(state): State<AppState>,
    s: Signed,
    Path(id): Path<i64>,
) -> Result<Json<Vec<VisitDto>>, ApiError> {
    let part = super::read_part(&state, &s, move |store, auth, actor| {
        store.case_visits(auth, actor, id)
    })
    .await?;
    Ok(Json(part.iter().map(VisitDto::from).collect()))
}
