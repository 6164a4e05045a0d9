//! `POST /api/v1/cases/{id}/stage`: moves a case to its next stage (counselled, departed,
//! arrived, ...), as the case page does: from the version read, under the stage rules (a
//! manager's approval where they ask for one), audited and on the timeline.

use super::{Changed, change};
use crate::api::JsonBody;
use crate::auth::Signed;
use crate::{ApiError, AppState};
use axum::Json;
use axum::extract::{Path, State};
use homeward_domain::FieldError;
use homeward_domain::access::{ApproveCases, WriteCases};
use homeward_domain::reintegration::stage::Stage;
use serde::Deserialize;
use utoipa::ToSchema;

/// A move to another stage.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct StageMove {
    /// The case's version as read.
    pub version: i64,
    /// The stage to move to: counselled, departed, arrived, plan_agreed, monitoring, ...
    pub to: String,
    /// YYYY-MM-DD, the day it happened; today when left out.
    pub on: String,
}

/// Move a case to another stage.
#[utoipa::path(
    post,
    path = "/api/v1/cases/{id}/stage",
    tag = "cases",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Case id")),
    request_body = StageMove,
    responses(
        (status = 200, description = "Moved; the case's version now", body = Changed),
        (status = 400, description = "Fields not valid, each named", body = crate::error::ErrorBody),
        (status = 401, description = "No valid token", body = crate::error::ErrorBody),
        (status = 403, description = "The caller may not write this case", body = crate::error::ErrorBody),
        (status = 404, description = "No such case within the caller's scope", body = crate::error::ErrorBody),
        (status = 409, description = "The case changed since `version`, or the rules refuse the change (said why)", body = crate::error::ErrorBody),
    )
)]
pub async fn move_to(
    State(state): State<AppState>,
    s: Signed,
    Path(id): Path<i64>,
    JsonBody(b): JsonBody<StageMove>,
) -> Result<Json<Changed>, ApiError> {
    let auth = s.authorize::<WriteCases>()?;
    let approver = s.principal.authorize::<ApproveCases>().ok();
    let to: Stage =
        b.to.parse()
            .map_err(|e: String| ApiError::BadRequest(vec![FieldError::new("to", e)]))?;
    let on = super::day_or_today("on", &b.on)?;
    change(&state, &s, id, move |store, actor| {
        store.step_case(&auth, approver.as_ref(), actor, id, b.version, to, on)
    })
    .await
}
