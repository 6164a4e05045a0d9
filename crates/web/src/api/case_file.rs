//! The case file behind the `GET /api/v1/cases/{id}/…` parts: read once, within the
//! caller's scope, recorded as a view of the case.

use crate::auth::Signed;
use crate::{ApiError, AppState, blocking};
use homeward_domain::access::ReadCases;
use homeward_store::case_file::CaseFile;

pub async fn read(state: &AppState, s: &Signed, id: i64) -> Result<CaseFile, ApiError> {
    let auth = s.authorize::<ReadCases>()?;
    let store = state.store.clone();
    let actor = s.actor();
    Ok(blocking(move || store.case_file(&auth, &actor, id)).await??)
}
