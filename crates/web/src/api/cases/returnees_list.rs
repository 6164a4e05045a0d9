//! `GET /api/v1/returnees`: returnees and their cases within the caller's scope, by the
//! caseload filters, or found by a case number or a name however it is spelt (best
//! match first). Recorded in the audit trail as a listing of personal data.

use crate::auth::Signed;
use crate::caseload::{Filters, parse_filters};
use crate::{ApiError, AppState, blocking};
use axum::Json;
use axum::extract::{Query, State};
use homeward_domain::access::ReadCases;
use homeward_store::cases::caseload::CaseLine;
use serde::Serialize;
use utoipa::ToSchema;

/// One returnee with one of their cases.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReturneeLineDto {
    pub returnee_id: i64,
    pub case_id: i64,
    /// `HW-000123`.
    pub reference: String,
    pub given_name: String,
    pub family_name: String,
    pub birth_date: Option<String>,
    /// ISO 3166-1 alpha-2.
    pub nationality: String,
    /// The case's stage (registered … closed).
    pub stage: String,
    pub package: Option<String>,
    pub return_area: String,
    pub return_place: String,
    /// The office that owns the case.
    pub office: String,
    pub assigned: Option<String>,
    /// The earliest open task's due date.
    pub next_due: Option<String>,
}

/// A page of returnees.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReturneePage {
    pub returnees: Vec<ReturneeLineDto>,
    /// Another page follows (`page` + 1).
    pub more: bool,
}

impl From<CaseLine> for ReturneeLineDto {
    fn from(l: CaseLine) -> Self {
        ReturneeLineDto {
            returnee_id: l.returnee_id,
            case_id: l.id,
            reference: l.reference,
            given_name: l.given_name,
            family_name: l.family_name,
            birth_date: l.birth_date,
            nationality: l.nationality,
            stage: l.status,
            package: l.package,
            return_area: l.return_area,
            return_place: l.return_place,
            office: l.office,
            assigned: l.assigned,
            next_due: l.next_due,
        }
    }
}

/// Find returnees.
#[utoipa::path(
    get,
    path = "/api/v1/returnees",
    tag = "returnees",
    security(("bearer" = [])),
    params(
        ("q" = Option<String>, Query, description = "A case number (HW-000123) or a name, misspellings and other transliterations tolerated"),
        ("view" = Option<String>, Query, description = "mine, office, shared or all (within the caller's scope); default by role"),
        ("stage" = Option<String>, Query, description = "registered, counselled, departed, arrived, assessed, plan_submitted, plan_approved, assistance, monitoring or closed"),
        ("package" = Option<i64>, Query, description = "Package id"),
        ("vulnerability" = Option<String>, Query, description = "A vulnerability code (needs the sensitive permission)"),
        ("overdue" = Option<String>, Query, description = "yes (or 1): only cases with an overdue task"),
        ("place" = Option<String>, Query, description = "Area or town of return, or how either begins"),
        ("page" = Option<u32>, Query, description = "From 1; 50 per page"),
    ),
    responses(
        (status = 200, description = "A page of returnees", body = ReturneePage),
        (status = 400, description = "A filter is not valid", body = crate::error::ErrorBody),
        (status = 401, description = "No valid token", body = crate::error::ErrorBody),
        (status = 403, description = "The caller may not read cases", body = crate::error::ErrorBody),
    )
)]
pub async fn list(
    State(state): State<AppState>,
    s: Signed,
    Query(f): Query<Filters>,
) -> Result<Json<ReturneePage>, ApiError> {
    let auth = s.authorize::<ReadCases>()?;
    let query = parse_filters(&f, s.principal.role()).map_err(ApiError::BadRequest)?;
    let store = state.store.clone();
    let actor = s.actor();
    let page = blocking(move || store.caseload(&auth, &actor, &query)).await??;
    Ok(Json(ReturneePage {
        returnees: page.lines.into_iter().map(ReturneeLineDto::from).collect(),
        more: page.more,
    }))
}
