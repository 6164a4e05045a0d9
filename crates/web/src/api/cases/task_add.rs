//! `POST /api/v1/cases/{id}/tasks`: adds a task by hand, with its due date.

use crate::api::Created;
use crate::api::JsonBody;
use crate::auth::Signed;
use crate::{ApiError, AppState, blocking};
use axum::extract::{Path, State};
use homeward_domain::FieldError;
use homeward_domain::access::WriteCases;
use homeward_domain::date::Ymd;
use serde::Deserialize;
use utoipa::ToSchema;

/// A task.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct NewTask {
    /// 3 to 200 characters.
    pub title: String,
    /// YYYY-MM-DD.
    pub due_on: String,
}

/// Add a task.
#[utoipa::path(
    post,
    path = "/api/v1/cases/{id}/tasks",
    tag = "cases",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Case id")),
    request_body = NewTask,
    responses(
        (status = 201, description = "Added", body = Created),
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
    JsonBody(t): JsonBody<NewTask>,
) -> Result<Created, ApiError> {
    let auth = s.authorize::<WriteCases>()?;
    let due: Ymd = t
        .due_on
        .trim()
        .parse()
        .map_err(|e| ApiError::BadRequest(vec![FieldError::new("due_on", e)]))?;
    let (store, actor) = (state.store.clone(), s.actor());
    let new = blocking(move || store.add_task(&auth, &actor, id, &t.title, due)).await??;
    Ok(Created { id: new })
}
