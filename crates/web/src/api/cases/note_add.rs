//! `POST /api/v1/cases/{id}/notes`: writes a note on a case, as the case page does: a
//! sensitive one only by who may read sensitive fields; `corrects` names an earlier note
//! it puts right.

use crate::api::{Created, JsonBody};
use crate::auth::Signed;
use crate::{ApiError, AppState, blocking};
use axum::extract::{Path, State};
use homeward_domain::access::WriteCases;
use homeward_domain::reintegration::notes::NoteDraft;
use serde::Deserialize;
use utoipa::ToSchema;

/// A note.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct NewNote {
    /// counselling, visit, call or other.
    pub kind: String,
    pub text: String,
    pub sensitive: bool,
    /// The earlier note this one corrects.
    pub corrects: Option<i64>,
}

/// Write a note.
#[utoipa::path(
    post,
    path = "/api/v1/cases/{id}/notes",
    tag = "cases",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Case id")),
    request_body = NewNote,
    responses(
        (status = 201, description = "Written", body = Created),
        (status = 400, description = "Fields not valid, each named", body = crate::error::ErrorBody),
        (status = 401, description = "No valid token", body = crate::error::ErrorBody),
        (status = 403, description = "The caller may not write this case, or a sensitive note", body = crate::error::ErrorBody),
        (status = 404, description = "No such case within the caller's scope", body = crate::error::ErrorBody),
    )
)]
pub async fn add(
    State(state): State<AppState>,
    s: Signed,
    Path(id): Path<i64>,
    JsonBody(n): JsonBody<NewNote>,
) -> Result<Created, ApiError> {
    let auth = s.authorize::<WriteCases>()?;
    let corrects = n.corrects.map(|x| x.to_string()).unwrap_or_default();
    let draft =
        NoteDraft::parse(&n.kind, &n.text, n.sensitive, &corrects).map_err(ApiError::BadRequest)?;
    let (store, actor) = (state.store.clone(), s.actor());
    let new = blocking(move || store.add_note(&auth, &actor, id, &draft)).await??;
    Ok(Created { id: new })
}
