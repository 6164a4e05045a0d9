//! `GET /api/v1/community-projects/{id}`: one community project with its community
//! members by sex and age group, outputs, spending and tool pools. No names.

use super::model::{
    CommunityProjectDetail, CommunityProjectDto, ExpenseDto, MembersDto, OutputDto, PoolDto,
};
use crate::{ApiError, AppState, blocking};
use axum::Json;
use axum::extract::{Path, State};
use homeward_domain::community::project::SEXES;
use homeward_domain::dashboard::AgeGroup;

/// One community project.
#[utoipa::path(
    get,
    path = "/api/v1/community-projects/{id}",
    tag = "community",
    params(("id" = i64, Path, description = "Community project id")),
    responses(
        (status = 200, description = "The community project", body = CommunityProjectDetail),
        (status = 404, description = "No such community project", body = crate::error::ErrorBody),
    )
)]
pub async fn get(
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> Result<Json<CommunityProjectDetail>, ApiError> {
    let store = state.store.clone();
    let c = blocking(move || store.community_project(id)).await??;
    let mut members = vec![];
    for (si, sex) in SEXES.iter().enumerate() {
        for (ai, age) in AgeGroup::ALL.iter().enumerate() {
            let n = c.members.get(si, ai);
            if n > 0 {
                members.push(MembersDto {
                    sex: (*sex).to_owned(),
                    age_group: age.code().to_owned(),
                    n,
                });
            }
        }
    }
    Ok(Json(CommunityProjectDetail {
        project: CommunityProjectDto::from(&c.line),
        members,
        outputs: c.outputs.iter().map(OutputDto::from).collect(),
        expenses: c.expenses.iter().map(ExpenseDto::from).collect(),
        pools: c.pools.iter().map(PoolDto::from).collect(),
    }))
}
