//! `GET /api/v1/me/work`: the caller's *My work*, as the page lists it: the open cases
//! assigned to them with each one's next step, cases in their office waiting for a
//! caseworker (for who assigns), plans waiting for a decision (for who approves), tasks
//! on their cases due within a week or overdue, referrals answered in the last two weeks.

use crate::auth::Signed;
use crate::{ApiError, AppState, blocking};
use axum::Json;
use axum::extract::State;
use homeward_domain::access::{ApproveCases, AssignCases, ReadCases};
use homeward_domain::reintegration::stage::Stage;
use homeward_store::cases::work::WorkCase;
use serde::Serialize;
use utoipa::ToSchema;

/// A case on a list.
#[derive(Debug, Serialize, ToSchema)]
pub struct WorkCaseDto {
    pub case_id: i64,
    pub reference: String,
    pub given_name: String,
    pub family_name: String,
    pub stage: String,
    /// What the case needs next: counsel, depart, arrive, assess, draft_plan,
    /// decide_plan, give_assistance or follow_up.
    pub next_step: Option<String>,
    /// Its open task due first, YYYY-MM-DD.
    pub next_due: Option<String>,
}

impl From<&WorkCase> for WorkCaseDto {
    fn from(c: &WorkCase) -> Self {
        WorkCaseDto {
            case_id: c.id,
            reference: c.reference.clone(),
            given_name: c.given_name.clone(),
            family_name: c.family_name.clone(),
            stage: c.status.clone(),
            next_step: c
                .status
                .parse::<Stage>()
                .ok()
                .and_then(Stage::next_step)
                .map(|s| s.code().to_owned()),
            next_due: c.next_due.clone(),
        }
    }
}

/// A task due.
#[derive(Debug, Serialize, ToSchema)]
pub struct WorkTaskDto {
    pub task_id: i64,
    pub case_id: i64,
    pub reference: String,
    pub title: String,
    pub due_on: String,
    pub overdue: bool,
}

/// A referral a partner answered.
#[derive(Debug, Serialize, ToSchema)]
pub struct WorkReferralDto {
    pub referral_id: i64,
    pub case_id: i64,
    pub reference: String,
    pub partner: String,
    pub service: String,
    /// accepted, declined or completed.
    pub status: String,
    pub outcome: String,
    pub answered_at: String,
}

/// The caller's work.
#[derive(Debug, Serialize, ToSchema)]
pub struct WorkDto {
    pub tasks: Vec<WorkTaskDto>,
    /// Plans waiting for a decision; null when the caller does not approve plans.
    pub to_decide: Option<Vec<WorkCaseDto>>,
    /// Cases in the caller's office with no caseworker; null when they do not assign.
    pub unassigned: Option<Vec<WorkCaseDto>>,
    pub answered: Vec<WorkReferralDto>,
    pub assigned: Vec<WorkCaseDto>,
}

/// The caller's work.
#[utoipa::path(
    get,
    path = "/api/v1/me/work",
    tag = "cases",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "What waits for the caller, list by list", body = WorkDto),
        (status = 401, description = "No valid token", body = crate::error::ErrorBody),
        (status = 403, description = "The caller does not work on cases", body = crate::error::ErrorBody),
    )
)]
pub async fn get(State(state): State<AppState>, s: Signed) -> Result<Json<WorkDto>, ApiError> {
    let read = s.authorize::<ReadCases>()?;
    let assign = s.principal.authorize::<AssignCases>().ok();
    let approve = s.principal.authorize::<ApproveCases>().ok();
    let (may_assign, may_approve) = (assign.is_some(), approve.is_some());
    let store = state.store.clone();
    let today = homeward_store::today();
    let w =
        blocking(move || store.my_work(&read, assign.as_ref(), approve.as_ref(), today)).await??;
    let cases = |l: &[WorkCase]| l.iter().map(WorkCaseDto::from).collect::<Vec<_>>();
    let today = today.to_string();
    Ok(Json(WorkDto {
        tasks: w
            .tasks
            .iter()
            .map(|t| WorkTaskDto {
                task_id: t.id,
                case_id: t.about.case_id,
                reference: t.about.reference.clone(),
                title: t.title.clone(),
                due_on: t.due_on.clone(),
                overdue: t.due_on < today,
            })
            .collect(),
        to_decide: may_approve.then(|| cases(&w.to_decide)),
        unassigned: may_assign.then(|| cases(&w.unassigned)),
        answered: w
            .answered
            .iter()
            .map(|r| WorkReferralDto {
                referral_id: r.id,
                case_id: r.about.case_id,
                reference: r.about.reference.clone(),
                partner: r.partner.clone(),
                service: r.service.clone(),
                status: r.status.clone(),
                outcome: r.outcome.clone(),
                answered_at: r.updated_at.clone(),
            })
            .collect(),
        assigned: cases(&w.assigned),
    }))
}
