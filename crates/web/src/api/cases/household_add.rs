//! `POST /api/v1/cases/{id}/household`: adds a member to the returnee's household, under
//! the same rules as the case page's form; the case's timeline notes it.

use crate::api::{Created, JsonBody};
use crate::auth::Signed;
use crate::{ApiError, AppState, blocking};
use axum::extract::{Path, State};
use homeward_domain::access::WriteCases;
use homeward_domain::case::HouseholdMember;
use serde::Deserialize;
use utoipa::ToSchema;

/// A household member.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct NewMember {
    /// The member's name.
    pub name: String,
    /// parent, spouse, child, sibling, grandparent or other.
    pub relation: String,
    /// female, male, other or unknown.
    pub sex: String,
    /// Four digits, or empty when not known.
    pub birth_year: String,
}

/// Add a household member.
#[utoipa::path(
    post,
    path = "/api/v1/cases/{id}/household",
    tag = "cases",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Case id")),
    request_body = NewMember,
    responses(
        (status = 201, description = "Added", body = Created),
        (status = 400, description = "Fields not valid, each named", body = crate::error::ErrorBody),
        (status = 401, description = "No valid token", body = crate::error::ErrorBody),
        (status = 403, description = "The caller may not write this case", body = crate::error::ErrorBody),
        (status = 404, description = "No such case within the caller's scope", body = crate::error::ErrorBody),
    )
)]
pub async fn add(
    State(state): State<AppState>,
    s: Signed,
    Path(id): Path<i64>,
    JsonBody(m): JsonBody<NewMember>,
) -> Result<Created, ApiError> {
    let auth = s.authorize::<WriteCases>()?;
    let member = HouseholdMember::parse(
        &m.name,
        &m.relation,
        &m.sex,
        &m.birth_year,
        homeward_store::today().year,
    )
    .map_err(ApiError::BadRequest)?;
    let (store, actor) = (state.store.clone(), s.actor());
    let new = blocking(move || store.add_household_member(&auth, &actor, id, &member)).await??;
    Ok(Created { id: new })
}
