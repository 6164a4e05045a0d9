//! `POST /api/v1/capacity-activities`: adds a capacity-building activity under a funding
//! project, run by an office the caller's `community.manage` reaches.

use super::project_number;
use crate::api::Created;
use crate::api::JsonBody;
use crate::auth::Signed;
use crate::{ApiError, AppState, blocking};
use axum::extract::State;
use homeward_domain::access::ManageCommunity;
use homeward_domain::community::activity::ActivityDraft;
use homeward_domain::community::capacity::CapacityDraft;
use serde::Deserialize;
use utoipa::ToSchema;

/// A capacity-building activity.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct NewCapacityActivity {
    pub title: String,
    /// training, workshop, assessment or policy_support.
    pub kind: String,
    /// The funding project's Projects ID or Prima ID.
    pub project: String,
    pub office: i64,
    pub country: String,
    /// The institution served.
    pub institution: String,
    pub start_on: String,
    pub end_on: String,
    pub status: String,
    /// Participants counted by sex.
    pub female: u32,
    pub male: u32,
    pub other: u32,
    pub description: String,
}

/// Add a capacity-building activity.
#[utoipa::path(
    post,
    path = "/api/v1/capacity-activities",
    tag = "community",
    security(("bearer" = [])),
    request_body = NewCapacityActivity,
    responses(
        (status = 201, description = "Added", body = Created),
        (status = 400, description = "Fields not valid, each named", body = crate::error::ErrorBody),
        (status = 401, description = "No valid token", body = crate::error::ErrorBody),
        (status = 403, description = "The caller may not run activities for that office", body = crate::error::ErrorBody),
    )
)]
pub async fn add(
    State(state): State<AppState>,
    s: Signed,
    JsonBody(b): JsonBody<NewCapacityActivity>,
) -> Result<Created, ApiError> {
    let auth = s.authorize::<ManageCommunity>()?;
    let number = project_number(&state, &b.project).await?;
    let (office, female, male, other) = (
        b.office.to_string(),
        b.female.to_string(),
        b.male.to_string(),
        b.other.to_string(),
    );
    let get = |k: &str| -> &str {
        match k {
            "title" => &b.title,
            "kind" => &b.kind,
            "project" => &number,
            "office" => &office,
            "country" => &b.country,
            "institution" => &b.institution,
            "start_on" => &b.start_on,
            "end_on" => &b.end_on,
            "status" => &b.status,
            "female" => &female,
            "male" => &male,
            "other" => &other,
            "description" => &b.description,
            _ => "",
        }
    };
    let draft = CapacityDraft::parse(get).map_err(ApiError::BadRequest)?;
    let (store, actor) = (state.store.clone(), s.actor());
    let id = blocking(move || store.save_activity(&auth, &actor, None, &draft)).await??;
    Ok(Created { id })
}
