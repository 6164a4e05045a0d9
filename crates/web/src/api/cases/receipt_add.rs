//! `POST /api/v1/cases/{id}/receipts?payment=…&name=…`: attaches a receipt to one of the
//! case's payments. The body is the file itself (PDF, PNG or JPEG, at most 5 MiB), typed
//! by its bytes, not by the name or the Content-Type sent.

use crate::api::Created;
use crate::auth::Signed;
use crate::{ApiError, AppState, blocking};
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use homeward_domain::FieldError;
use homeward_domain::access::WriteCases;
use serde::Deserialize;
use utoipa::IntoParams;

/// Which payment, and the file's name as the client knows it.
#[derive(Debug, Deserialize, IntoParams)]
pub struct ReceiptTarget {
    /// The payment's id (from `GET …/assistance`).
    #[serde(default)]
    pub payment: String,
    /// The file name to keep (made safe); `receipt` when none.
    #[serde(default)]
    pub name: String,
}

/// Attach a receipt.
#[utoipa::path(
    post,
    path = "/api/v1/cases/{id}/receipts",
    tag = "cases",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Case id"), ReceiptTarget),
    request_body(content = Vec<u8>, content_type = "application/octet-stream", description = "The file: PDF, PNG or JPEG, at most 5 MiB"),
    responses(
        (status = 201, description = "Attached", body = Created),
        (status = 400, description = "Not a PDF, PNG or JPEG, empty, too large, or no such payment on the case", body = crate::error::ErrorBody),
        (status = 401, description = "No valid token", body = crate::error::ErrorBody),
        (status = 403, description = "The caller may not write this case", body = crate::error::ErrorBody),
        (status = 404, description = "No such case within the caller's scope", body = crate::error::ErrorBody),
    )
)]
pub async fn add(
    State(state): State<AppState>,
    s: Signed,
    Path(id): Path<i64>,
    Query(t): Query<ReceiptTarget>,
    body: Bytes,
) -> Result<Created, ApiError> {
    let auth = s.authorize::<WriteCases>()?;
    let payment: i64 = t.payment.trim().parse().map_err(|_| {
        ApiError::BadRequest(vec![FieldError::new(
            "payment",
            "give the payment's id in the query: ?payment=…",
        )])
    })?;
    let name = if t.name.trim().is_empty() {
        "receipt".to_owned()
    } else {
        t.name
    };
    let (store, actor) = (state.store.clone(), s.actor());
    let new = blocking(move || store.add_receipt(&auth, &actor, id, payment, &name, body.to_vec()))
        .await??;
    Ok(Created { id: new })
}
