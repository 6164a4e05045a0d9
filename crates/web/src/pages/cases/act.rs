//! Runs a change to a case from one of its forms and shows the outcome: back to the form's
//! section with a confirmation, or the case again with the refusal beside the form.

use super::{At, Refused, Said, show};
use crate::auth::Signed;
use crate::i18n::Tr;
use crate::{AppState, PageError};
use axum::http::{StatusCode, Uri};
use axum::response::{IntoResponse, Redirect, Response};
use homeward_store::StoreError;

/// Runs a change to case `id`; on success goes back to the case at the form's section
/// with a confirmation, otherwise shows the case with the refusal beside the form (400
/// for a fixable input, 409 for a concurrent edit).
pub(crate) async fn act<T: Send + 'static>(
    state: &AppState,
    tr: Tr,
    uri: &Uri,
    s: &Signed,
    id: i64,
    at: At,
    f: impl FnOnce() -> Result<T, StoreError> + Send + 'static,
) -> Result<Response, PageError> {
    let done = crate::blocking(f).await?;
    outcome(state, tr, uri, s, id, at, done).await
}

/// Shows what became of a change already run: see [`act`].
pub(crate) async fn outcome<T>(
    state: &AppState,
    tr: Tr,
    uri: &Uri,
    s: &Signed,
    id: i64,
    at: At,
    done: Result<T, StoreError>,
) -> Result<Response, PageError> {
    let said = |lines| Said {
        refused: Some(Refused {
            at: at.clone(),
            lines,
            ..Default::default()
        }),
        done: None,
        proposed: None,
    };
    match done {
        Ok(_) => {
            // A decided plan no longer shows the decision form: back to the plan.
            let back = if at.anchor == "decide" {
                "plan"
            } else {
                at.anchor.as_str()
            };
            Ok(Redirect::to(&format!("/cases/{id}?done={}#{back}", at.anchor)).into_response())
        }
        Err(StoreError::Conflict { field, message }) => {
            let lines = vec![format!("{field}: {message}")];
            show::page(state, tr, uri, s, id, said(lines), StatusCode::BAD_REQUEST).await
        }
        Err(StoreError::Stale(message)) => {
            show::page(
                state,
                tr,
                uri,
                s,
                id,
                said(vec![message]),
                StatusCode::CONFLICT,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

/// Field errors from a form that did not parse, shown beside it.
pub(crate) async fn refuse(
    state: &AppState,
    tr: Tr,
    uri: &Uri,
    s: &Signed,
    id: i64,
    at: At,
    errs: Vec<homeward_domain::FieldError>,
) -> Result<Response, PageError> {
    let lines = errs.iter().map(|e| e.to_string()).collect();
    let said = Said {
        refused: Some(Refused {
            at,
            lines,
            ..Default::default()
        }),
        done: None,
        proposed: None,
    };
    show::page(state, tr, uri, s, id, said, StatusCode::BAD_REQUEST).await
}
