//! `POST /api/v1/cases/{id}/documents?kind=…&name=…&sensitive=…`: keeps a document on a
//! case. The body is the file itself (PDF, PNG or JPEG, at most 10 MB), typed by its
//! bytes, not by the name or the Content-Type sent; medical papers and photos are always
//! sensitive.

use crate::api::Created;
use crate::auth::Signed;
use crate::{ApiError, AppState, blocking};
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use homeward_domain::access::WriteCases;
use homeward_domain::reintegration::documents::DocumentDraft;
use serde::Deserialize;
use utoipa::IntoParams;

/// What the document is, and its name as the client knows it.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(default)]
pub struct DocumentTarget {
    /// identity, certificate, medical, training, contract, photo or other.
    pub kind: String,
    /// The file name to keep (made safe); `document` when none.
    pub name: String,
    /// Only readers of sensitive fields see it.
    pub sensitive: bool,
}

/// Keep a document on a case.
#[utoipa::path(
    post,
    path = "/api/v1/cases/{id}/documents",
    tag = "cases",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Case id"), DocumentTarget),
    request_body(content = Vec<u8>, content_type = "application/octet-stream", description = "The file: PDF, PNG or JPEG, at most 10 MB"),
    responses(
        (status = 201, description = "Kept", body = Created),
        (status = 400, description = "No kind, not a PDF, PNG or JPEG, empty or too large: each named", body = crate::error::ErrorBody),
        (status = 401, description = "No valid token", body = crate::error::ErrorBody),
        (status = 403, description = "The caller may not write this case, or a sensitive document", body = crate::error::ErrorBody),
        (status = 404, description = "No such case within the caller's scope", body = crate::error::ErrorBody),
    )
)]
pub async fn add(
    State(state): State<AppState>,
    s: Signed,
    Path(id): Path<i64>,
    Query(t): Query<DocumentTarget>,
    body: Bytes,
) -> Result<Created, ApiError> {
    let auth = s.authorize::<WriteCases>()?;
    let draft = DocumentDraft::parse(&t.kind, t.sensitive, &t.name, body.to_vec())
        .map_err(ApiError::BadRequest)?;
    let (store, actor) = (state.store.clone(), s.actor());
    let new = blocking(move || store.add_document(&auth, &actor, id, draft)).await??;
    Ok(Created { id: new })
}
