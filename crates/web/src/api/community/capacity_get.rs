//! `GET /api/v1/capacity-activities/{id}`: one capacity-building activity with its
//! outputs and spending. No names.

use super::model::{CapacityDetail, CapacityDto, ExpenseDto, OutputDto};
use crate::{ApiError, AppState, blocking};
use axum::Json;
use axum::extract::{Path, State};

/// One capacity-building activity.
#[utoipa::path(
    get,
    path = "/api/v1/capacity-activities/{id}",
    tag = "community",
    params(("id" = i64, Path, description = "Activity id")),
    responses(
        (status = 200, description = "The activity", body = CapacityDetail),
        (status = 404, description = "No such activity", body = crate::error::ErrorBody),
    )
)]
pub async fn get(
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> Result<Json<CapacityDetail>, ApiError> {
    let store = state.store.clone();
    let a = blocking(move || store.capacity_activity(id)).await??;
    Ok(Json(CapacityDetail {
        activity: CapacityDto::from(&a.line),
        outputs: a.outputs.iter().map(OutputDto::from).collect(),
        expenses: a.expenses.iter().map(ExpenseDto::from).collect(),
    }))
}
