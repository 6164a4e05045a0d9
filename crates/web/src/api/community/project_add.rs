//! `POST /api/v1/community-projects`: adds a community project under a funding project,
//! run by an office the caller's `community.manage` reaches.

use super::project_number;
use crate::api::Created;
use crate::api::JsonBody;
use crate::auth::Signed;
use crate::{ApiError, AppState, blocking};
use axum::extract::State;
use homeward_domain::access::ManageCommunity;
use homeward_domain::community::activity::ActivityDraft;
use homeward_domain::community::project::CommunityProjectDraft;
use serde::Deserialize;
use utoipa::ToSchema;

/// A community project.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct NewCommunityProject {
    pub name: String,
    /// The funding project's Projects ID or Prima ID.
    pub project: String,
    /// The office that runs it.
    pub office: i64,
    /// ISO 3166-1 alpha-2.
    pub country: String,
    pub area: String,
    pub place: String,
    /// The partner authority.
    pub partner: String,
    /// YYYY-MM-DD.
    pub start_on: String,
    pub end_on: String,
    /// planned, active, completed, suspended or cancelled.
    pub status: String,
    pub description: String,
}

/// Add a community project.
#[utoipa::path(
    post,
    path = "/api/v1/community-projects",
    tag = "community",
    security(("bearer" = [])),
    request_body = NewCommunityProject,
    responses(
        (status = 201, description = "Added", body = Created),
        (status = 400, description = "Fields not valid, each named", body = crate::error::ErrorBody),
        (status = 401, description = "No valid token", body = crate::error::ErrorBody),
        (status = 403, description = "The caller may not run community projects for that office", body = crate::error::ErrorBody),
    )
)]
pub async fn add(
    State(state): State<AppState>,
    s: Signed,
    JsonBody(b): JsonBody<NewCommunityProject>,
) -> Result<Created, ApiError> {
    let auth = s.authorize::<ManageCommunity>()?;
    let number = project_number(&state, &b.project).await?;
    let office = b.office.to_string();
    let get = |k: &str| -> &str {
        match k {
            "name" => &b.name,
            "project" => &number,
            "office" => &office,
            "country" => &b.country,
            "area" => &b.area,
            "place" => &b.place,
            "partner" => &b.partner,
            "start_on" => &b.start_on,
            "end_on" => &b.end_on,
            "status" => &b.status,
            "description" => &b.description,
            _ => "",
        }
    };
    let draft = CommunityProjectDraft::parse(get).map_err(ApiError::BadRequest)?;
    let (store, actor) = (state.store.clone(), s.actor());
    let id = blocking(move || store.save_activity(&auth, &actor, None, &draft)).await??;
    Ok(Created { id })
}
