//! `GET /api/v1/cases/{id}/surveys`: the case's well-being surveys, oldest first, with
//! their raw answers and their scores under the current instrument. Answers and scores
//! speak of distress, safety and health: only callers who may see the case's sensitive
//! fields get them (403 otherwise). Recorded as a view of the case; outside the caller's
//! scope the case does not exist.

use crate::auth::Signed;
use crate::{ApiError, AppState, blocking};
use axum::Json;
use axum::extract::{Path, State};
use homeward_domain::access::ReadCases;
use homeward_store::survey::surveys::SurveyRow;
use serde::Serialize;
use std::collections::BTreeMap;
use utoipa::ToSchema;

/// Scores from 0 to 1; absent where a dimension was not answered.
#[derive(Debug, Serialize, ToSchema)]
pub struct ScoresDto {
    pub economic: Option<f64>,
    pub social: Option<f64>,
    pub psychosocial: Option<f64>,
    pub composite: Option<f64>,
}

/// One survey.
#[derive(Debug, Serialize, ToSchema)]
pub struct SurveyDto {
    pub id: i64,
    /// baseline or follow_up.
    pub kind: String,
    pub taken_on: String,
    /// The instrument version the questions came from, e.g. `homeward-wellbeing v1`.
    pub taken_with: String,
    /// Who recorded it.
    pub by: String,
    /// form, import or api.
    pub source: String,
    /// How many indicators were answered.
    pub answered: usize,
    /// Under the current instrument.
    pub scores: ScoresDto,
    /// low, medium or high; absent without a composite score.
    pub band: Option<String>,
    /// The option chosen, by indicator code.
    pub answers: BTreeMap<String, String>,
}

impl From<SurveyRow> for SurveyDto {
    fn from(r: SurveyRow) -> Self {
        SurveyDto {
            id: r.id,
            kind: r.kind.code().to_owned(),
            taken_on: r.taken_on,
            taken_with: r.taken_with,
            by: r.by,
            source: r.source,
            answered: r.answered,
            scores: ScoresDto {
                economic: r.scores.economic,
                social: r.scores.social,
                psychosocial: r.scores.psychosocial,
                composite: r.scores.composite,
            },
            band: r.band,
            answers: r.answers,
        }
    }
}

/// The case's surveys.
#[utoipa::path(
    get,
    path = "/api/v1/cases/{id}/surveys",
    tag = "cases",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Case id")),
    responses(
        (status = 200, description = "The case's surveys, oldest first.", body = [SurveyDto]),
        (status = 401, description = "No valid token", body = crate::error::ErrorBody),
        (status = 403, description = "The caller may not read cases, or not this case's sensitive fields", body = crate::error::ErrorBody),
        (status = 404, description = "No such case within the caller's scope", body = crate::error::ErrorBody),
    )
)]
pub async fn get(
    State(state): State<AppState>,
    s: Signed,
    Path(id): Path<i64>,
) -> Result<Json<Vec<SurveyDto>>, ApiError> {
    let auth = s.authorize::<ReadCases>()?;
    let (store, actor) = (state.store.clone(), s.actor());
    let rows = blocking(move || store.case_surveys_viewed(&auth, &actor, id))
        .await??
        .ok_or_else(|| {
            ApiError::Forbidden(
                "survey answers and scores are sensitive: this token may not see them for this case"
                    .into(),
            )
        })?;
    Ok(Json(rows.into_iter().map(SurveyDto::from).collect()))
}
