//! `GET /api/v1/stats`: counts of cases within the caller's scope. Never a name.

use crate::auth::Signed;
use crate::{ApiError, AppState, blocking};
use axum::Json;
use axum::extract::State;
use homeward_domain::access::SeeAggregates;
use homeward_store::cases::read::{CaseAggregates, Cell};
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
    /// Null when withheld: for a caller who cannot read the cases, counts under five are
    /// withheld, with as many others as it takes that none can be worked out.
    pub n: Option<i64>,
}

/// Counts of cases within the caller's scope. No names.
#[derive(Debug, Serialize, ToSchema)]
pub struct StatsDto {
    /// Null when fewer than five cases, for a caller who cannot read them.
    pub total: Option<i64>,
    /// Null when there are too few cases to break down without pointing at someone.
    pub by_office: Option<Vec<CountDto>>,
    pub by_status: Option<Vec<CountDto>>,
    pub by_sex: Option<Vec<CountDto>>,
    pub by_nationality: Option<Vec<CountDto>>,
}

fn counts(v: Option<Vec<Cell>>) -> Option<Vec<CountDto>> {
    v.map(|cells| {
        cells
            .into_iter()
            .map(|c| CountDto { key: c.key, n: c.n })
            .collect()
    })
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
