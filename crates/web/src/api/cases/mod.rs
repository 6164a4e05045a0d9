//! Returnees and their cases within the caller's scope: finding and registering returnees,
//! a case and each of its parts (plan, assistance, receipts, referrals, visits, surveys,
//! tasks, household, notes), read or added one action per file, and every change the case page
//! makes (stage, hand-over, assignment, package, plan submitted and decided, details corrected,
//! closure), under the same rules, versions and audit. What the API sends about a case is
//! in `model` (the case) and `parts` (its parts).

pub mod assign;
pub mod assistance_get;
pub mod close;
pub mod details_update;
pub mod document_add;
pub mod documents_get;
pub mod erasure_decide;
pub mod erasure_get;
pub mod erasure_request;
pub mod get;
pub mod handover;
pub mod household_add;
pub mod household_get;
pub mod list;
pub mod model;
pub mod note_add;
pub mod note_correct;
pub mod notes_get;
pub mod notifications_get;
pub mod notifications_read;
pub mod package_set;
pub mod parts;
pub mod payment_add;
pub mod plan_decide;
pub mod plan_get;
pub mod plan_item_add;
pub mod plan_submit;
pub mod receipt_add;
pub mod referral_add;
pub mod referrals_get;
pub mod returnee_register;
pub mod returnees_list;
pub mod routes;
pub mod stage_move;
pub mod survey_add;
pub mod surveys_get;
pub mod task_add;
pub mod tasks_get;
pub mod visit_add;
pub mod visits_get;
pub mod work_get;

use crate::auth::Signed;
use crate::{ApiError, AppState, blocking};
use axum::Json;
use homeward_domain::FieldError;
use homeward_domain::access::{Authorized, ReadCases};
use homeward_domain::date::Ymd;
use homeward_store::{Actor, Store, StoreError};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Reads one part of a case for the caller (`read` calls the store's reader of that part),
/// recorded as a view of the case; outside the caller's scope the case does not exist.
pub async fn read_part<T: Send + 'static>(
    state: &AppState,
    s: &Signed,
    read: impl FnOnce(&Store, &Authorized<ReadCases>, &Actor) -> Result<T, StoreError> + Send + 'static,
) -> Result<T, ApiError> {
    let auth = s.authorize::<ReadCases>()?;
    let (store, actor) = (state.store.clone(), s.actor());
    Ok(blocking(move || read(&store, &auth, &actor)).await??)
}

/// What a change of a case answers: the case's version after it, for the next change;
/// null when the change took the case out of the caller's sight (as a hand-over can).
#[derive(Debug, Serialize, ToSchema)]
pub struct Changed {
    pub case_id: i64,
    pub version: Option<i64>,
}

/// A change that needs only the case's version as read.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct Version {
    pub version: i64,
}

/// Runs one change of case `id` (`work` calls the store with the caller as actor), then
/// reads the case's version for the answer.
pub async fn change(
    state: &AppState,
    s: &Signed,
    id: i64,
    work: impl FnOnce(&Store, &Actor) -> Result<(), StoreError> + Send + 'static,
) -> Result<Json<Changed>, ApiError> {
    let read = s.authorize::<ReadCases>().ok();
    let (store, actor) = (state.store.clone(), s.actor());
    let version = blocking(move || {
        work(&store, &actor)?;
        Ok::<_, StoreError>(read.and_then(|r| store.case_version(&r, id).ok()))
    })
    .await??;
    Ok(Json(Changed {
        case_id: id,
        version,
    }))
}

/// A day as YYYY-MM-DD in field `field`, or today when it is empty.
pub fn day_or_today(field: &str, text: &str) -> Result<Ymd, ApiError> {
    match text.trim() {
        "" => Ok(homeward_store::today()),
        t => t
            .parse()
            .map_err(|e: String| ApiError::BadRequest(vec![FieldError::new(field, e)])),
    }
}
