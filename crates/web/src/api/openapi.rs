//! `GET /api/v1/openapi.json`: the API's description, generated from the handlers.

use axum::Json;
use utoipa::OpenApi;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Homeward API",
        description = "Homeward, a system for the return and reintegration of migrants: the public project portfolio, and cases for callers with a bearer token (made on the account page, holding a subset of its owner's permissions).",
        license(name = "AGPL-3.0-or-later")
    ),
    paths(
        super::projects_list::list,
        super::project_get::get,
        super::me::get,
        super::cases_list::list,
        super::case_get::get,
        super::case_plan_get::get,
        super::case_plan_item_add::add,
        super::case_assistance_get::get,
        super::case_payment_add::add,
        super::case_receipt_add::add,
        super::case_referrals_get::get,
        super::case_referral_add::add,
        super::case_visits_get::get,
        super::case_visit_add::add,
        super::case_surveys_get::get,
        super::case_survey_add::add,
        super::case_tasks_get::get,
        super::case_task_add::add,
        super::returnees_list::list,
        super::returnee_register::register,
        super::stats::get,
        super::community_projects_list::list,
        super::community_project_get::get,
        super::community_project_add::add,
        super::asset_pools_list::list,
        super::asset_pool_get::get,
        super::asset_pool_get::tools,
        super::pool_tool_add::add,
        super::pool_loans::list,
        super::pool_loans::lend,
        super::pool_loans::take_back,
        super::capacity_list::list,
        super::capacity_get::get,
        super::capacity_add::add
    ),
    modifiers(&BearerAuth),
    tags(
        (name = "projects", description = "The project portfolio"),
        (name = "returnees", description = "Finding and registering returnees, within the caller's scope"),
        (name = "cases", description = "Returnees' cases and their plan, assistance, referrals, visits, surveys and tasks, within the caller's scope"),
        (name = "community", description = "Community projects, their tool pools and loans, and capacity-building activities"),
        (name = "access", description = "The caller and their permissions")
    )
)]
pub struct ApiDoc;

/// Declares the bearer-token scheme the protected paths use.
struct BearerAuth;

impl utoipa::Modify for BearerAuth {
    fn modify(&self, api: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        let components = api.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

pub async fn spec() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}
