//! `GET /cases/{id}`: the case file (returnee, household, consents, offices, stage,
//! package, plan, assistance against plan and cap, referrals, follow-up, tasks,
//! timeline), recorded as viewed; and the actions on it, one file per part of the case.
//! Each action redirects back to the case on success, or shows the case again with what
//! was refused and why (for a concurrent edit: what changed since).

pub mod assistance;
pub mod flow;
pub mod people;
pub mod plan;
pub mod record;
pub mod referrals;
pub mod surveys;
pub mod tasks;
mod view;

pub use view::show;

use crate::auth::Signed;
use crate::i18n::Tr;
use crate::{AppState, PageError};
use axum::http::{StatusCode, Uri};
use axum::response::{IntoResponse, Redirect, Response};
use homeward_store::StoreError;

/// Runs a change to case `id`; on success goes back to the case at `anchor`, otherwise
/// shows the case with the refusal (400 for a fixable input, 409 for a concurrent edit).
pub(crate) async fn act<T: Send + 'static>(
    state: &AppState,
    tr: Tr,
    uri: &Uri,
    s: &Signed,
    id: i64,
    anchor: &str,
    f: impl FnOnce() -> Result<T, StoreError> + Send + 'static,
) -> Result<Response, PageError> {
    match crate::blocking(f).await? {
        Ok(_) => Ok(Redirect::to(&format!("/cases/{id}#{anchor}")).into_response()),
        Err(StoreError::Conflict { field, message }) => {
            view::page(
                state,
                tr,
                uri,
                s,
                id,
                vec![format!("{field}: {message}")],
                StatusCode::BAD_REQUEST,
            )
            .await
        }
        Err(StoreError::Stale(message)) => {
            view::page(state, tr, uri, s, id, vec![message], StatusCode::CONFLICT).await
        }
        Err(e) => Err(e.into()),
    }
}

/// Field errors from a form that did not parse, shown on the case.
pub(crate) async fn refuse(
    state: &AppState,
    tr: Tr,
    uri: &Uri,
    s: &Signed,
    id: i64,
    errs: Vec<homeward_domain::FieldError>,
) -> Result<Response, PageError> {
    let lines = errs.iter().map(|e| e.to_string()).collect();
    view::page(state, tr, uri, s, id, lines, StatusCode::BAD_REQUEST).await
}

/// The case's version a form was made from.
pub(crate) fn version(f: &crate::form::Fields) -> Result<i64, PageError> {
    f.int("version")
}

/// A date field, or today when left empty.
pub(crate) fn date_or_today(
    f: &crate::form::Fields,
    name: &str,
) -> Result<homeward_domain::date::Ymd, PageError> {
    match f.get(name).trim() {
        "" => Ok(homeward_store::today()),
        d => d.parse().map_err(|e: String| {
            PageError::BadRequest(vec![homeward_domain::FieldError::new(name, e)])
        }),
    }
}
