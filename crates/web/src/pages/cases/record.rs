//! `GET /cases/{id}/record.json`: everything held about the case's returnee in one file,
//! to give them (the right of access). Recorded as an export.

use crate::auth::Signed;
use crate::{AppState, PageError};
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use homeward_domain::access::ExportCases;

pub async fn download(
    State(state): State<AppState>,
    s: Signed,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let auth = s.authorize::<ExportCases>()?;
    let (store, actor) = (state.store.clone(), s.actor());
    let doc = crate::pages::run(move || store.returnee_record(&auth, &actor, id)).await?;
    let body = serde_json::to_vec_pretty(&doc).map_err(|e| PageError::Internal(e.to_string()))?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/json".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"homeward-record-case-{id}.json\""),
            ),
        ],
        body,
    )
        .into_response())
}
