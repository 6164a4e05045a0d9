//! `GET /projects/export/{csv|xlsx|iati|hxl}?...`: the current catalogue search as a file.

use crate::{AppState, PageError, blocking};
use axum::extract::{Path, State};
use axum::http::{Uri, header};
use axum::response::{IntoResponse, Response};
use homeward_domain::FieldError;
use homeward_interop::export::{ExportError, Format, export};

/// A public download is capped; bigger exports are for `homeward export`.
pub const DOWNLOAD_LIMIT: usize = 5_000;

pub async fn download(
    State(state): State<AppState>,
    Path(format): Path<String>,
    uri: Uri,
) -> Result<Response, PageError> {
    let format = Format::parse(&format).ok_or_else(|| {
        PageError::BadRequest(vec![FieldError::new(
            "format",
            format!("{format:?} is not one of csv, xlsx, iati, hxl"),
        )])
    })?;
    let q = crate::links::parse_search(uri.query().unwrap_or("")).map_err(PageError::BadRequest)?;
    let store = state.store.clone();
    let bytes = blocking(move || export(&store, &q, format, Some(DOWNLOAD_LIMIT)))
        .await?
        .map_err(|e| match e {
            ExportError::Store(s) => PageError::from(s),
            too_many @ ExportError::TooMany { .. } => {
                PageError::BadRequest(vec![FieldError::new("q", too_many.to_string())])
            }
            ExportError::Write(w) => PageError::Internal(w),
        })?;
    Ok((
        [
            (header::CONTENT_TYPE, format.media_type().to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{}\"", format.file_name()),
            ),
        ],
        bytes,
    )
        .into_response())
}
