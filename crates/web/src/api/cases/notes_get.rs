//! `GET /api/v1/cases/{id}/notes`: the case's notes the caller may see (sensitive ones only
//! with the right to read sensitive fields), newest first. Recorded as a view of the case.

use crate::auth::Signed;
use crate::{ApiError, AppState};
use axum::Json;
use axum::extract::{Path, State};
use homeward_store::cases::notes::NoteRow;
use serde::Serialize;
use utoipa::ToSchema;

/// A note on a case.
#[derive(Debug, Serialize, ToSchema)]
pub struct NoteDto {
    pub id: i64,
    /// counselling, visit, call or other.
    pub kind: String,
    pub text: String,
    pub sensitive: bool,
    /// The earlier note this one corrects.
    pub corrects: Option<i64>,
    pub author: String,
    pub written_at: String,
    /// Its author corrected its words after writing it (within a day).
    pub corrected: bool,
    /// When it was last written or corrected.
    pub updated_at: String,
}

impl From<&NoteRow> for NoteDto {
    fn from(n: &NoteRow) -> Self {
        NoteDto {
            id: n.id,
            kind: n.kind.clone(),
            text: n.text.clone(),
            sensitive: n.sensitive,
            corrects: n.corrects,
            author: n.author.clone(),
            written_at: n.created_at.clone(),
            corrected: n.edited,
            updated_at: n.updated_at.clone(),
        }
    }
}

/// The case's notes.
#[utoipa::path(
    get,
    path = "/api/v1/cases/{id}/notes",
    tag = "cases",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Case id")),
    responses(
        (status = 200, description = "The notes the caller may see, newest first", body = [NoteDto]),
        (status = 401, description = "No valid token", body = crate::error::ErrorBody),
        (status = 403, description = "The caller may not read cases", body = crate::error::ErrorBody),
        (status = 404, description = "No such case within the caller's scope", body = crate::error::ErrorBody),
    )
)]
pub async fn get(
    State(state): State<AppState>,
    s: Signed,
    Path(id): Path<i64>,
) -> Result<Json<Vec<NoteDto>>, ApiError> {
    let notes = super::read_part(&state, &s, move |store, auth, actor| {
        store.case_notes(auth, actor, id)
    })
    .await?;
    Ok(Json(notes.iter().map(NoteDto::from).collect()))
}
