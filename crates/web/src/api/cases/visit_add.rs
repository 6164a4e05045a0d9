//! `POST /api/v1/cases/{id}/visits`: records a monitoring visit or call; a visit near a
//! follow-up's due date completes that follow-up task.

use crate::api::Created;
use crate::api::JsonBody;
use crate::auth::Signed;
use crate::{ApiError, AppState, blocking};
use axum::extract::{Path, State};
use homeward_domain::access::WriteCases;
use homeward_domain::reintegration::forms::FollowUp;
use serde::Deserialize;
use utoipa::ToSchema;

/// A visit or call.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct NewVisit {
    /// visit or call.
    pub kind: String,
    /// YYYY-MM-DD, not in the future.
    pub on: String,
    pub notes: String,
}

/// Record a visit or call.
#[utoipa::path(
    post,
    path = "/api/v1/cases/{id}/visits",
    tag = "cases",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Case id")),
    request_body = NewVisit,
    responses(
        (status = 201, description = "Recorded", body = Created),
        (status = 400, description = "Fields not valid, each named", body = crate::error::ErrorBody),
        (status = 401, description = "No valid token", body = crate::error::ErrorBody),
        (status = 403, description = "The caller may not write this case", body = crate::error::ErrorBody),
        (status = 404, description = "No such case within the caller's scope", body = crate::error::ErrorBody),
    )
)]
pub async fn add(
    State(state): State<AppState>,
    s: Signed,
    Path(id): Path<i64>,
    JsonBody(v): JsonBody<NewVisit>,
) -> Result<Created, ApiError> {
    let auth = s.authorize::<WriteCases>()?;
    let fu = FollowUp::parse(&v.kind, &v.on, &v.notes, homeward_store::today())
        .map_err(ApiError::BadRequest)?;
    let (store, actor) = (state.store.clone(), s.actor());
    let new = blocking(move || store.add_follow_up(&auth, &actor, id, &fu)).await??;
    Ok(Created { id: new })
}
