//! `POST /api/v1/cases/{id}/plan/submit`: sends the reintegration plan to a manager for
//! approval, as the case page does.

use super::{Changed, Version, change};
use crate::api::JsonBody;
use crate::auth::Signed;
use crate::{ApiError, AppState};
use axum::Json;
use axum::extract::{Path, State};
use homeward_domain::access::WriteCases;

/// Submit the plan.
#[utoipa::path(
    post,
    path = "/api/v1/cases/{id}/plan/submit",
    tag = "cases",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Case id")),
    request_body = Version,
    responses(
        (status = 200, description = "Submitted; the case's version now", body = Changed),
        (status = 400, description = "Fields not valid, each named", body = crate::error::ErrorBody),
        (status = 401, description = "No valid token", body = crate::error::ErrorBody),
        (status = 403, description = "The caller may not write this case", body = crate::error::ErrorBody),
        (status = 404, description = "No such case within the caller's scope", body = crate::error::ErrorBody),
        (status = 409, description = "The case changed since `version`, or the rules refuse the change (said why)", body = crate::error::ErrorBody),
    )
)]
pub async fn submit(
    State(state): State<AppState>,
    s: Signed,
    Path(id): Path<i64>,
    JsonBody(b): JsonBody<Version>,
) -> Result<Json<Changed>, ApiError> {
    let auth = s.authorize::<WriteCases>()?;
    change(&state, &s, id, move |store, actor| {
        store.submit_plan(&auth, actor, id, b.version)
    })
    .await
}
