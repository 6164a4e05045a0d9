//! `GET /api/v1/cases/{id}/assistance`: Assistance given on the case, with receipts described. Recorded as a view of the case; outside the caller's
//! scope the case does not exist.

use super::parts::*;
use crate::auth::Signed;
use crate::{ApiError, AppState};
use axum::Json;
use axum::extract::{Path, State};

/// Assistance given on the case, with receipts described.
#[utoipa::path(
    get,
    path = "/api/v1/cases/{id}/assistance",
    tag = "cases",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Case id")),
    responses(
        (status = 200, description = "Assistance given on the case, with receipts described.", body = [PaymentDto]),
        (status = 401, description = "No valid token", body = crate::error::ErrorBody),
        (status = 403, description = "The caller may not read cases", body = crate::error::ErrorBody),
        (status = 404, description = "No such case within the caller's scope", body = crate::error::ErrorBody),
    )
)]
pub async fn get(
    State(state): State<AppState>,
    s: Signed,
    Path(id): Path<i64>,
) -> Result<Json<Vec<PaymentDto>>, ApiError> {
    let part = super::read_part(&state, &s, move |store, auth, actor| {
        store.case_assistance(auth, actor, id)
    })
    .await?;
    Ok(Json(
        part.payments
            .iter()
            .map(|p| PaymentDto::new(p, &part.receipts))
            .collect(),
    ))
}
