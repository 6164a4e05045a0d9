//! `GET /api/v1/me`: who the caller is and what they may do (for a token: what is left
//! of the owner's permissions).

use crate::ApiError;
use crate::auth::Signed;
use axum::Json;
use homeward_domain::access::Via;
use serde::Serialize;
use utoipa::ToSchema;

/// The caller.
#[utoipa::path(
    get,
    path = "/api/v1/me",
    tag = "access",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The caller", body = MeDto),
        (status = 401, description = "No valid token", body = crate::error::ErrorBody),
    )
)]
pub async fn get(s: Signed) -> Result<Json<MeDto>, ApiError> {
    let p = &s.principal;
    Ok(Json(MeDto {
        user_id: p.user_id(),
        email: p.email().to_owned(),
        office_id: p.office_id(),
        role: p.role().code().to_owned(),
        permissions: p
            .grants()
            .iter()
            .map(|(perm, scope)| (perm.code().to_owned(), scope.code().to_owned()))
            .collect(),
        via: match p.via() {
            Via::Token(_) => "token",
            _ => "session",
        }
        .to_owned(),
    }))
}

/// The caller: who they are and what they may do.
#[derive(Debug, Serialize, ToSchema)]
pub struct MeDto {
    pub user_id: i64,
    pub email: String,
    pub office_id: i64,
    pub role: String,
    /// Permission code → scope (own, office, shared, all).
    pub permissions: std::collections::BTreeMap<String, String>,
    /// `session` or `token`.
    pub via: String,
}
