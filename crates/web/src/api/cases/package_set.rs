//! `POST /api/v1/cases/{id}/package`: chooses the case's reintegration package (its cap
//! in USD) and the project its assistance is charged to, as the case page does; a plan is
//! submitted only once a package is chosen.

use super::{Changed, change};
use crate::api::JsonBody;
use crate::auth::Signed;
use crate::{ApiError, AppState};
use axum::Json;
use axum::extract::{Path, State};
use homeward_domain::access::WriteCases;
use serde::Deserialize;
use utoipa::ToSchema;

/// A package and a funding project.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct PackageChoice {
    /// The case's version as read.
    pub version: i64,
    /// The package's id; none to leave the case without one.
    pub package: Option<i64>,
    /// The funding project's id; none for the package's own.
    pub project: Option<i64>,
}

/// Choose a case's package.
#[utoipa::path(
    post,
    path = "/api/v1/cases/{id}/package",
    tag = "cases",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Case id")),
    request_body = PackageChoice,
    responses(
        (status = 200, description = "Chosen; the case's version now", body = Changed),
        (status = 400, description = "Fields not valid, each named", body = crate::error::ErrorBody),
        (status = 401, description = "No valid token", body = crate::error::ErrorBody),
        (status = 403, description = "The caller may not write this case", body = crate::error::ErrorBody),
        (status = 404, description = "No such case within the caller's scope", body = crate::error::ErrorBody),
        (status = 409, description = "The case changed since `version`, or the rules refuse the change (said why)", body = crate::error::ErrorBody),
    )
)]
pub async fn choose(
    State(state): State<AppState>,
    s: Signed,
    Path(id): Path<i64>,
    JsonBody(b): JsonBody<PackageChoice>,
) -> Result<Json<Changed>, ApiError> {
    let auth = s.authorize::<WriteCases>()?;
    change(&state, &s, id, move |store, actor| {
        store.set_case_package(&auth, actor, id, b.version, b.package, b.project)
    })
    .await
}
