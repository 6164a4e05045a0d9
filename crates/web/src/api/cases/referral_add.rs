//! `POST /api/v1/cases/{id}/referrals`: refers the case to a partner office, which needs
//! the returnee's consent to share with that partner.

use crate::api::Created;
use crate::api::JsonBody;
use crate::auth::Signed;
use crate::{ApiError, AppState, blocking};
use axum::extract::{Path, State};
use homeward_domain::access::WriteCases;
use serde::Deserialize;
use utoipa::ToSchema;

/// A referral.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct NewReferral {
    /// The partner office.
    pub office: i64,
    /// The service asked for, 3 to 300 characters.
    pub service: String,
}

/// Refer the case to a partner.
#[utoipa::path(
    post,
    path = "/api/v1/cases/{id}/referrals",
    tag = "cases",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Case id")),
    request_body = NewReferral,
    responses(
        (status = 201, description = "Referred; the partner sees the case", body = Created),
        (status = 400, description = "Fields not valid, or no consent to share with that partner", body = crate::error::ErrorBody),
        (status = 401, description = "No valid token", body = crate::error::ErrorBody),
        (status = 403, description = "The caller may not write this case", body = crate::error::ErrorBody),
        (status = 404, description = "No such case within the caller's scope", body = crate::error::ErrorBody),
    )
)]
pub async fn add(
    State(state): State<AppState>,
    s: Signed,
    Path(id): Path<i64>,
    JsonBody(r): JsonBody<NewReferral>,
) -> Result<Created, ApiError> {
    let auth = s.authorize::<WriteCases>()?;
    let (store, actor) = (state.store.clone(), s.actor());
    let new = blocking(move || store.refer_case(&auth, &actor, id, r.office, &r.service)).await??;
    Ok(Created { id: new })
}
