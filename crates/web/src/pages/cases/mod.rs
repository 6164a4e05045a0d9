//! Cases as pages: the caseload and its export, registering a returnee, the case page
//! (`show`: the case file, recorded as viewed) and the actions on it, one file per part of
//! the case, and the packages cases follow. Each action redirects back to the case on
//! success, or shows the case again with what was refused and why (for a concurrent edit:
//! what changed since).

pub mod assistance;
pub mod flow;
pub mod list;
pub mod my_work;
pub mod new;
pub mod notes;
pub mod notifications;
pub mod packages;
pub mod people;
pub mod plan;
pub mod record;
pub mod referrals;
pub mod routes;
pub mod show;
pub mod survey_section;
pub mod surveys;
pub mod tasks;

use crate::auth::Signed;
use crate::form::Fields;
use crate::i18n::Tr;
use crate::{AppState, PageError};
use axum::http::{StatusCode, Uri};
use axum::response::{IntoResponse, Redirect, Response};
use homeward_domain::case::{DetailsForm, RegistrationForm};
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
            show::page(
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
            show::page(state, tr, uri, s, id, vec![message], StatusCode::CONFLICT).await
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
    show::page(state, tr, uri, s, id, lines, StatusCode::BAD_REQUEST).await
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

/// The registration fields of a form (the new-case page, and the correction form on a
/// case). Without the permission, sensitive fields are neither shown nor taken.
pub(crate) fn registration_form<'a>(f: &'a Fields, s: &Signed) -> RegistrationForm<'a> {
    let sensitive = s
        .principal
        .can(homeward_domain::access::Permission::Sensitive);
    RegistrationForm {
        given_name: f.get("given_name"),
        family_name: f.get("family_name"),
        sex: f.get("sex"),
        birth_date: f.get("birth_date"),
        nationality: f.get("nationality"),
        origin_office: f.get("origin_office"),
        vulnerabilities: if sensitive {
            f.all("vulnerabilities")
        } else {
            vec![]
        },
        health_notes: if sensitive { f.get("health_notes") } else { "" },
        details: DetailsForm {
            birth_date_estimated: f.get("birth_date_estimated") == "yes",
            languages: f.get("languages"),
            phone: f.get("phone"),
            email: f.get("email"),
            return_country: f.get("return_country"),
            return_area: f.get("return_area"),
            return_place: f.get("return_place"),
        },
    }
}
