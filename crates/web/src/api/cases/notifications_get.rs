//! `GET /api/v1/me/notifications`: the caller's latest notifications (newest first, at
//! most 100), about cases within their reach, each with whether it was read.

use crate::auth::Signed;
use crate::{ApiError, AppState, blocking};
use axum::Json;
use axum::extract::State;
use homeward_domain::access::ReadCases;
use homeward_store::cases::notifications::NotificationRow;
use serde::Serialize;
use utoipa::ToSchema;

/// A notification.
#[derive(Debug, Serialize, ToSchema)]
pub struct NotificationDto {
    pub id: i64,
    pub case_id: i64,
    pub reference: String,
    /// handover, assigned, plan_submitted, exception_asked, plan_approved, plan_rejected,
    /// referral_answered or task_overdue.
    pub kind: String,
    /// The facts of it: the office a case came from, a partner's answer, a task and its day.
    pub detail: String,
    /// Who did it; null for what Homeward noticed itself.
    pub by: Option<String>,
    pub created_at: String,
    pub read_at: Option<String>,
}

impl From<&NotificationRow> for NotificationDto {
    fn from(n: &NotificationRow) -> Self {
        NotificationDto {
            id: n.id,
            case_id: n.about.case_id,
            reference: n.about.reference.clone(),
            kind: n.kind.clone(),
            detail: n.detail.clone(),
            by: n.by.clone(),
            created_at: n.created_at.clone(),
            read_at: n.read_at.clone(),
        }
    }
}

/// The caller's notifications.
#[derive(Debug, Serialize, ToSchema)]
pub struct NotificationsDto {
    /// Unread notifications about cases within reach, all of them (not only those listed).
    pub unread: i64,
    pub notifications: Vec<NotificationDto>,
}

/// The caller's latest notifications.
#[utoipa::path(
    get,
    path = "/api/v1/me/notifications",
    tag = "cases",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Newest first, at most 100", body = NotificationsDto),
        (status = 401, description = "No valid token", body = crate::error::ErrorBody),
        (status = 403, description = "The caller does not work on cases", body = crate::error::ErrorBody),
    )
)]
pub async fn get(
    State(state): State<AppState>,
    s: Signed,
) -> Result<Json<NotificationsDto>, ApiError> {
    let read = s.authorize::<ReadCases>()?;
    let store = state.store.clone();
    let (rows, unread) = blocking(move || store.notifications(&read)).await??;
    Ok(Json(NotificationsDto {
        unread,
        notifications: rows.iter().map(NotificationDto::from).collect(),
    }))
}
