//! `POST /api/v1/cases/{id}/details`: corrects the returnee's names, birth, nationality,
//! contact and place of return (and, for who may, the sensitive part), as the correction
//! form on the case page does; the search finds the corrected name at once.

use super::returnee_register::NewReturnee;
use super::{Changed, change};
use crate::api::JsonBody;
use crate::auth::Signed;
use crate::{ApiError, AppState};
use axum::Json;
use axum::extract::{Path, State};
use homeward_domain::access::WriteCases;
use serde::Deserialize;
use utoipa::ToSchema;

/// A correction of the returnee's details.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Correction {
    /// The case's version as read.
    pub version: i64,
    /// The details as they should read, every field (as to register; `not_duplicate` is
    /// not used).
    pub returnee: NewReturnee,
}

/// Correct the returnee's details.
#[utoipa::path(
    post,
    path = "/api/v1/cases/{id}/details",
    tag = "cases",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Case id")),
    request_body = Correction,
    responses(
        (status = 200, description = "Corrected; the case's version now", body = Changed),
        (status = 400, description = "Fields not valid, each named", body = crate::error::ErrorBody),
        (status = 401, description = "No valid token", body = crate::error::ErrorBody),
        (status = 403, description = "The caller may not write this case", body = crate::error::ErrorBody),
        (status = 404, description = "No such case within the caller's scope", body = crate::error::ErrorBody),
        (status = 409, description = "The case changed since `version`, or the rules refuse the change (said why)", body = crate::error::ErrorBody),
    )
)]
pub async fn correct(
    State(state): State<AppState>,
    s: Signed,
    Path(id): Path<i64>,
    JsonBody(b): JsonBody<Correction>,
) -> Result<Json<Changed>, ApiError> {
    let auth = s.authorize::<WriteCases>()?;
    let reg = b.returnee.parse(&s)?;
    change(&state, &s, id, move |store, actor| {
        store.update_returnee(&auth, actor, id, b.version, &reg)
    })
    .await
}
