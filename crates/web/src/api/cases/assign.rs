//! `POST /api/v1/cases/{id}/assign`: gives a case to a caseworker of its office, as the
//! office manager does on the case page.

use super::{Changed, change};
use crate::api::JsonBody;
use crate::auth::Signed;
use crate::{ApiError, AppState};
use axum::Json;
use axum::extract::{Path, State};
use homeward_domain::access::AssignCases;
use serde::Deserialize;
use utoipa::ToSchema;

/// An assignment.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct Assignment {
    /// The case's version as read.
    pub version: i64,
    /// The user who will carry the case: a caseworker of the office that holds it.
    pub user: i64,
}

/// Assign a case.
#[utoipa::path(
    post,
    path = "/api/v1/cases/{id}/assign",
    tag = "cases",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Case id")),
    request_body = Assignment,
    responses(
        (status = 200, description = "Assigned; the case's version now", body = Changed),
        (status = 400, description = "Fields not valid, each named", body = crate::error::ErrorBody),
        (status = 401, description = "No valid token", body = crate::error::ErrorBody),
        (status = 403, description = "The caller may not assign cases", body = crate::error::ErrorBody),
        (status = 404, description = "No such case within the caller's scope", body = crate::error::ErrorBody),
        (status = 409, description = "The case changed since `version`, or the rules refuse the change (said why)", body = crate::error::ErrorBody),
    )
)]
pub async fn assign(
    State(state): State<AppState>,
    s: Signed,
    Path(id): Path<i64>,
    JsonBody(b): JsonBody<Assignment>,
) -> Result<Json<Changed>, ApiError> {
    let auth = s.authorize::<AssignCases>()?;
    change(&state, &s, id, move |store, actor| {
        store.assign_case(&auth, actor, id, b.version, b.user)
    })
    .await
}
