//! `POST /api/v1/cases/{id}/handover`: hands a case to the office in the country of
//! origin (after departure), or back to the host office, as the case page does.

use super::{Changed, change};
use crate::api::JsonBody;
use crate::auth::Signed;
use crate::{ApiError, AppState};
use axum::Json;
use axum::extract::{Path, State};
use homeward_domain::FieldError;
use homeward_domain::access::WriteCases;
use homeward_store::cases::handover::HandTo;
use serde::Deserialize;
use utoipa::ToSchema;

/// A hand-over.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct Handover {
    /// The case's version as read.
    pub version: i64,
    /// origin (to the office in the country of return) or host (back).
    pub to: String,
    /// Before the returnee has left (registered or counselled): when they are expected to
    /// depart, YYYY-MM-DD, not in the past. Required then; ignored afterwards.
    pub expected_departure: Option<String>,
}

/// Hand a case over.
#[utoipa::path(
    post,
    path = "/api/v1/cases/{id}/handover",
    tag = "cases",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Case id")),
    request_body = Handover,
    responses(
        (status = 200, description = "Handed over; the case's version now, if the caller still reads it", body = Changed),
        (status = 400, description = "Fields not valid, each named", body = crate::error::ErrorBody),
        (status = 401, description = "No valid token", body = crate::error::ErrorBody),
        (status = 403, description = "The caller may not write this case", body = crate::error::ErrorBody),
        (status = 404, description = "No such case within the caller's scope", body = crate::error::ErrorBody),
        (status = 409, description = "The case changed since `version`, or the rules refuse the change (said why)", body = crate::error::ErrorBody),
    )
)]
pub async fn hand_over(
    State(state): State<AppState>,
    s: Signed,
    Path(id): Path<i64>,
    JsonBody(b): JsonBody<Handover>,
) -> Result<Json<Changed>, ApiError> {
    let auth = s.authorize::<WriteCases>()?;
    let to = match b.to.as_str() {
        "origin" => HandTo::Origin,
        "host" => HandTo::Host,
        other => {
            return Err(ApiError::BadRequest(vec![FieldError::new(
                "to",
                format!("{other:?} is not origin or host"),
            )]));
        }
    };
    let expected = match b.expected_departure.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(d) => Some(d.parse().map_err(|e: String| {
            ApiError::BadRequest(vec![FieldError::new("expected_departure", e)])
        })?),
    };
    change(&state, &s, id, move |store, actor| {
        store.hand_over_case(&auth, actor, id, b.version, to, expected)
    })
    .await
}
