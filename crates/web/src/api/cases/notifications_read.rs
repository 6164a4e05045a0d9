//! `POST /api/v1/me/notifications/read`: marks the caller's notifications read, those
//! named or, with no ids, all of them.

use crate::api::JsonBody;
use crate::auth::Signed;
use crate::{ApiError, AppState, blocking};
use axum::Json;
use axum::extract::State;
use homeward_domain::access::ReadCases;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Which notifications to mark read.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct MarkRead {
    /// The notifications' ids; empty or left out for all of them.
    pub ids: Vec<i64>,
}

/// How many changed.
#[derive(Debug, Serialize, ToSchema)]
pub struct Marked {
    pub marked: usize,
}

/// Mark notifications read.
#[utoipa::path(
    post,
    path = "/api/v1/me/notifications/read",
    tag = "cases",
    security(("bearer" = [])),
    request_body = MarkRead,
    responses(
        (status = 200, description = "How many were unread and are now read", body = Marked),
        (status = 400, description = "The body is not valid", body = crate::error::ErrorBody),
        (status = 401, description = "No valid token", body = crate::error::ErrorBody),
        (status = 403, description = "The caller does not work on cases", body = crate::error::ErrorBody),
    )
)]
pub async fn mark(
    State(state): State<AppState>,
    s: Signed,
    JsonBody(m): JsonBody<MarkRead>,
) -> Result<Json<Marked>, ApiError> {
    let read = s.authorize::<ReadCases>()?;
    if m.ids.len() > 1000 {
        return Err(ApiError::BadRequest(vec![
            homeward_domain::FieldError::new("ids", "at most 1000 at a time"),
        ]));
    }
    let store = state.store.clone();
    let marked = blocking(move || store.mark_notifications_read(&read, &m.ids)).await??;
    Ok(Json(Marked { marked }))
}
