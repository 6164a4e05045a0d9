//! `POST /api/v1/cases/{id}/notes/{note}`: corrects a note's words in place: its author
//! may, for a day after writing it; afterwards a new note says what it corrects.

use super::{Changed, change};
use crate::api::JsonBody;
use crate::auth::Signed;
use crate::{ApiError, AppState};
use axum::Json;
use axum::extract::{Path, State};
use homeward_domain::access::WriteCases;
use homeward_domain::reintegration::notes::corrected_text;
use serde::Deserialize;
use utoipa::ToSchema;

/// A note's corrected words.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct CorrectedNote {
    pub text: String,
}

/// Correct a note.
#[utoipa::path(
    post,
    path = "/api/v1/cases/{id}/notes/{note}",
    tag = "cases",
    security(("bearer" = [])),
    params(
        ("id" = i64, Path, description = "Case id"),
        ("note" = i64, Path, description = "Note id"),
    ),
    request_body = CorrectedNote,
    responses(
        (status = 200, description = "Corrected; the case's version now", body = Changed),
        (status = 400, description = "The text is not valid; or the caller is not the author, or it was written more than a day ago (add a note that corrects it)", body = crate::error::ErrorBody),
        (status = 401, description = "No valid token", body = crate::error::ErrorBody),
        (status = 403, description = "The caller may not write this case", body = crate::error::ErrorBody),
        (status = 404, description = "No such case or note within the caller's scope", body = crate::error::ErrorBody),
    )
)]
pub async fn correct(
    State(state): State<AppState>,
    s: Signed,
    Path((id, note)): Path<(i64, i64)>,
    JsonBody(b): JsonBody<CorrectedNote>,
) -> Result<Json<Changed>, ApiError> {
    let auth = s.authorize::<WriteCases>()?;
    let text = corrected_text(&b.text).map_err(ApiError::BadRequest)?;
    change(&state, &s, id, move |store, actor| {
        store.correct_note(&auth, actor, id, note, &text)
    })
    .await
}
