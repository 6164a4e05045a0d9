//! `GET /api/v1/stats`: counts of cases within the caller's scope. Never a name.

use crate::auth::Signed;
use crate::{ApiError, AppState, blocking};
use axum::Json;
use axum::extract::State;
use homeward_domain::access::SeeAggregates;
use homeward_store::cases::read::{CaseAggregates, Count};
use serde::Serialize;
use utoipa::ToSchema;

/// Case counts by office, status, sex and nationality.
#[utoipa::path(
    get,
    path = "/api/v1/stats",
    tag = "cases",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Counts", body = StatsDto),
        (status = 401, description = "No valid token", body = crate::error::ErrorBody),
        (status = 403, description = "The caller may not see aggregates", body = crate::error::ErrorBody),
    )
)]
pub async fn get(State(state): State<AppState>, s: Signed) -> Result<Json<StatsDto>, ApiError> {
    let auth = s.authorize::<SeeAggregates>()?;
    let store = state.store.clone();
    let a = blocking(move || store.case_aggregates(&auth)).await??;
    Ok(Json(a.into()))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CountDto {
    pub key: String,
    pub n: i64,
}

/// Counts of cases within the caller's scope. No names.
#[derive(Debug, Serialize, ToSchema)]
pub struct StatsDto {
    pub total: i64,
    pub by_office: Vec<CountDto>,
    pub by_status: Vec<CountDto>,
    pub by_sex: Vec<CountDto>,
    pub by_nationality: Vec<CountDto>,
}

fn counts(v: Vec<Count>) -> Vec<CountDto> {
    v.into_iter()
        .map(|c| CountDto { key: c.key, n: c.n })
        .collect()
}

impl From<CaseAggregates> for StatsDto {
    fn from(a: CaseAggregates) -> Self {
        StatsDto {
            total: a.total,
            by_office: counts(a.by_office),
            by_status: counts(a.by_status),
            by_sex: counts(a.by_sex),
            by_nationality: counts(a.by_nationality),
        }
    }
}
