//! `GET /api/v1/openapi.json`: the API's description, generated from the handlers.

use crate::auth::access::Access;
use crate::routes::Routes;
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
        super::catalogue::list::list,
        super::catalogue::get::get,
        super::access::me::get,
        super::cases::list::list,
        super::cases::get::get,
        super::cases::plan_get::get,
        super::cases::plan_item_add::add,
        super::cases::assistance_get::get,
        super::cases::payment_add::add,
        super::cases::receipt_add::add,
        super::cases::document_add::add,
        super::cases::documents_get::list,
        super::cases::documents_get::file,
        super::cases::referrals_get::get,
        super::cases::referral_add::add,
        super::cases::visits_get::get,
        super::cases::visit_add::add,
        super::cases::surveys_get::get,
        super::cases::survey_add::add,
        super::cases::tasks_get::get,
        super::cases::task_add::add,
        super::cases::household_get::get,
        super::cases::household_add::add,
        super::cases::stage_move::move_to,
        super::cases::handover::hand_over,
        super::cases::assign::assign,
        super::cases::package_set::choose,
        super::cases::plan_submit::submit,
        super::cases::plan_decide::decide,
        super::cases::details_update::correct,
        super::cases::close::close,
        super::cases::erasure_get::get,
        super::cases::erasure_request::ask,
        super::cases::erasure_decide::decide,
        super::cases::work_get::get,
        super::cases::notifications_get::get,
        super::cases::notifications_read::mark,
        super::cases::notes_get::get,
        super::cases::note_add::add,
        super::cases::note_correct::correct,
        super::cases::returnees_list::list,
        super::cases::returnee_register::register,
        super::insight::stats::get,
        super::community::projects_list::list,
        super::community::project_get::get,
        super::community::project_add::add,
        super::community::pools_list::list,
        super::community::pool_get::get,
        super::community::pool_get::tools,
        super::community::pool_tool_add::add,
        super::community::pool_loans::list,
        super::community::pool_loans::lend,
        super::community::pool_loans::take_back,
        super::community::capacity_list::list,
        super::community::capacity_get::get,
        super::community::capacity_add::add
    ),
    modifiers(&BearerAuth, &Limits),
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

/// States what every call shares: the one limit on request bodies, and that every error
/// is the JSON `ErrorBody`.
struct Limits;

impl utoipa::Modify for Limits {
    fn modify(&self, api: &mut utoipa::openapi::OpenApi) {
        let limit = crate::auth::gate::UPLOAD_LIMIT / (1024 * 1024);
        let said = api.info.description.take().unwrap_or_default();
        api.info.description = Some(format!(
            "{said} Request bodies of more than {limit} MiB are refused with 413. Every error, \
             whatever its status (an unknown path and a refused CSRF token included), is an \
             ErrorBody in JSON."
        ));
    }
}

pub async fn spec() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}

/// The description's own route: public, like the catalogue.
pub fn add(r: Routes) -> Routes {
    r.api_get("/api/v1/openapi.json", Access::Public, spec)
}
