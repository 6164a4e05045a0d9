//! `POST /api/v1/cases/{id}/close`: a manager closes a case with its reason, day and note,
//! as on the case page.

use super::{Changed, change};
use crate::api::JsonBody;
use crate::auth::Signed;
use crate::{ApiError, AppState};
use axum::Json;
use axum::extract::{Path, State};
use homeward_domain::access::ApproveCases;
use homeward_domain::reintegration::forms::Closure;
use serde::Deserialize;
use utoipa::ToSchema;

/// A closure.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct CloseCase {
    /// The case's version as read.
    pub version: i64,
    /// Why the case closes: completed, support_ended, ... (the case page's reasons).
    pub reason: String,
    /// YYYY-MM-DD; today when left out.
    pub closed_on: String,
    pub note: String,
}

/// Close a case.
#[utoipa::path(
    post,
    path = "/api/v1/cases/{id}/close",
    tag = "cases",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Case id")),
    request_body = CloseCase,
    responses(
        (status = 200, description = "Closed; the case's version now", body = Changed),
        (status = 400, description = "Fields not valid, each named", body = crate::error::ErrorBody),
        (status = 401, description = "No valid token", body = crate::error::ErrorBody),
        (status = 403, description = "The caller may not close cases", body = crate::error::ErrorBody),
        (status = 404, description = "No such case within the caller's scope", body = crate::error::ErrorBody),
        (status = 409, description = "The case changed since `version`, or the rules refuse the change (said why)", body = crate::error::ErrorBody),
    )
)]
pub async fn close(
    State(state): State<AppState>,
    s: Signed,
    Path(id): Path<i64>,
    JsonBody(b): JsonBody<CloseCase>,
) -> Result<Json<Changed>, ApiError> {
    let auth = s.authorize::<ApproveCases>()?;
    let today = homeward_store::today();
    let on = match b.closed_on.trim() {
        "" => today.to_string(),
        d => d.to_owned(),
    };
    let closure = Closure::parse(&b.reason, &on, &b.note, today).map_err(ApiError::BadRequest)?;
    change(&state, &s, id, move |store, actor| {
        store.close_case(&auth, actor, id, b.version, &closure)
    })
    .await
}
