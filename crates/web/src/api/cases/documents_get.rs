//! `GET /api/v1/cases/{id}/documents`: the documents of a case the caller may see
//! (sensitive ones only for readers of sensitive fields), newest first, without their
//! content; `GET /api/v1/cases/{id}/documents/{document}` sends one file.

use crate::auth::Signed;
use crate::{ApiError, AppState, blocking};
use axum::Json;
use axum::extract::{Path, State};
use axum::response::Response;
use homeward_domain::access::ReadCases;
use serde::Serialize;
use utoipa::ToSchema;

/// A document on a case.
#[derive(Debug, Serialize, ToSchema)]
pub struct DocumentDto {
    pub id: i64,
    /// identity, certificate, medical, training, contract, photo or other.
    pub kind: String,
    pub file_name: String,
    /// application/pdf, image/png or image/jpeg, read from the file's bytes.
    pub content_type: String,
    pub size_bytes: i64,
    pub sha256: String,
    pub sensitive: bool,
    pub added_by: String,
    pub added_at: String,
}

/// The documents of a case.
#[utoipa::path(
    get,
    path = "/api/v1/cases/{id}/documents",
    tag = "cases",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Case id")),
    responses(
        (status = 200, description = "Newest first", body = [DocumentDto]),
        (status = 401, description = "No valid token", body = crate::error::ErrorBody),
        (status = 403, description = "The caller may not read cases", body = crate::error::ErrorBody),
        (status = 404, description = "No such case within the caller's scope", body = crate::error::ErrorBody),
    )
)]
pub async fn list(
    State(state): State<AppState>,
    s: Signed,
    Path(id): Path<i64>,
) -> Result<Json<Vec<DocumentDto>>, ApiError> {
    let auth = s.authorize::<ReadCases>()?;
    let (store, actor) = (state.store.clone(), s.actor());
    let rows = blocking(move || store.case_documents(&auth, &actor, id)).await??;
    Ok(Json(
        rows.into_iter()
            .map(|d| DocumentDto {
                id: d.id,
                kind: d.kind,
                file_name: d.file_name,
                content_type: d.content_type,
                size_bytes: d.size_bytes,
                sha256: d.sha256,
                sensitive: d.sensitive,
                added_by: d.added_by,
                added_at: d.created_at,
            })
            .collect(),
    ))
}

/// One document's file.
#[utoipa::path(
    get,
    path = "/api/v1/cases/{id}/documents/{document}",
    tag = "cases",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Case id"), ("document" = i64, Path, description = "Document id")),
    responses(
        (status = 200, description = "The file, as kept", content_type = "application/octet-stream", body = Vec<u8>),
        (status = 401, description = "No valid token", body = crate::error::ErrorBody),
        (status = 403, description = "The caller may not read cases", body = crate::error::ErrorBody),
        (status = 404, description = "No such document on a case within the caller's scope, or it is sensitive and the caller may not read sensitive fields", body = crate::error::ErrorBody),
    )
)]
pub async fn file(
    State(state): State<AppState>,
    s: Signed,
    Path((id, doc)): Path<(i64, i64)>,
) -> Result<Response, ApiError> {
    let auth = s.authorize::<ReadCases>()?;
    let (store, actor) = (state.store.clone(), s.actor());
    let (name, content_type, bytes) =
        blocking(move || store.case_document(&auth, &actor, id, doc)).await??;
    Ok(crate::download::attachment(&name, content_type, bytes))
}
