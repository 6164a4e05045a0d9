//! Returnees and their cases within the caller's scope: finding and registering returnees,
//! a case and each of its parts (plan, assistance, receipts, referrals, visits, surveys,
//! tasks, household), read or added one action per file. What the API sends about a case
//! is in `model` (the case) and `parts` (its parts).

pub mod assistance_get;
pub mod get;
pub mod household_add;
pub mod household_get;
pub mod list;
pub mod model;
pub mod parts;
pub mod payment_add;
pub mod plan_get;
pub mod plan_item_add;
pub mod receipt_add;
pub mod referral_add;
pub mod referrals_get;
pub mod returnee_register;
pub mod returnees_list;
pub mod routes;
pub mod survey_add;
pub mod surveys_get;
pub mod task_add;
pub mod tasks_get;
pub mod visit_add;
pub mod visits_get;

use crate::auth::Signed;
use crate::{ApiError, AppState, blocking};
use homeward_domain::access::{Authorized, ReadCases};
use homeward_store::{Actor, Store, StoreError};

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
