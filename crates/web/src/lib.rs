//! Homeward's HTTP face: server-rendered pages (askama, readable without JavaScript) and
//! the JSON API under `/api/v1`, described by OpenAPI. One file per action; handlers call
//! the store and never write SQL. Every route is declared with its access rule in one
//! table (`app`), and passes the gate in `auth` before its handler runs.

pub mod api;
mod assets;
pub mod auth;
mod charts;
mod error;
pub mod form;
pub mod i18n;
pub mod links;
pub mod pages;
pub mod routes;

use axum::Router;
use homeward_domain::access::Permission as P;
use homeward_store::Store;
use routes::{Access as A, RouteRule, Routes};

pub use error::{ApiError, PageError};

/// Settings of the web layer.
#[derive(Clone, Debug)]
pub struct WebConfig {
    /// Mark cookies `Secure` (only sent over HTTPS). Off only for plain HTTP on loopback.
    pub secure_cookies: bool,
    /// Take the client address from `X-Forwarded-For` (behind a reverse proxy).
    pub trust_proxy: bool,
}

impl Default for WebConfig {
    fn default() -> Self {
        WebConfig {
            secure_cookies: true,
            trust_proxy: false,
        }
    }
}

/// What every handler can reach.
#[derive(Clone, Debug)]
pub struct AppState {
    pub store: Store,
    pub config: WebConfig,
}

impl AppState {
    pub fn new(store: Store) -> Self {
        AppState {
            store,
            config: WebConfig::default(),
        }
    }
}

/// The whole application as one router, and the table of its routes and rules.
pub fn app(state: AppState) -> (Router, Vec<RouteRule>) {
    use pages::*;
    const W: A = A::Permission(P::CaseWrite);
    const APPROVE: A = A::Permission(P::CaseApprove);
    let (router, rules) = Routes::new(state.clone())
        .get("/", A::Public, home::redirect)
        .get("/healthz", A::Public, health::healthz)
        .get("/projects", A::Public, catalogue::show)
        .get("/projects/export/{format}", A::Public, export::download)
        .get("/projects/{id}", A::Public, project::show)
        .get("/lang/{code}", A::Public, lang::switch)
        .get("/static/{file}", A::Public, assets::serve)
        // Signing in and out.
        .get("/signin", A::Anyone, signin::form)
        .post("/signin", A::Anyone, signin::submit)
        .get("/signin/code", A::Pending, signin_code::form)
        .post("/signin/code", A::Pending, signin_code::submit)
        .post("/signout", A::Enrolling, signout::one)
        .get("/password/{token}", A::Anyone, password_link::form)
        .post("/password/{token}", A::Anyone, password_link::submit)
        // One's own account.
        .get("/account", A::Enrolling, account::show)
        .post("/account/password", A::Enrolling, account::change_password)
        .post(
            "/account/signout-everywhere",
            A::Enrolling,
            signout::everywhere,
        )
        .get("/account/totp", A::Enrolling, totp::show)
        .post("/account/totp", A::Enrolling, totp::confirm)
        .post("/account/totp/disable", A::Signed, totp::disable)
        .post("/account/recovery-codes", A::Signed, totp::new_codes)
        .post("/account/tokens", A::Signed, tokens::create)
        .post("/account/tokens/{id}/revoke", A::Signed, tokens::revoke)
        // Cases.
        .get("/cases", A::Permission(P::CaseRead), cases::list)
        .post("/cases", A::Permission(P::CaseWrite), case_new::submit)
        .get("/cases/new", A::Permission(P::CaseWrite), case_new::form)
        .get(
            "/surveys/import",
            A::Permission(P::CaseWrite),
            survey_import::form,
        )
        .post(
            "/surveys/import",
            A::Permission(P::CaseWrite),
            survey_import::submit,
        )
        .post("/cases/export", A::Permission(P::CaseExport), cases::export)
        .get("/cases/{id}", A::Permission(P::CaseRead), case::show)
        .get(
            "/cases/{id}/record.json",
            A::Permission(P::CaseExport),
            case::record::download,
        )
        .post("/cases/{id}/share", W, case::flow::share)
        .post("/cases/{id}/handover", W, case::flow::handover)
        .post(
            "/cases/{id}/assign",
            A::Permission(P::CaseAssign),
            case::flow::assign,
        )
        .post("/cases/{id}/stage", W, case::flow::stage)
        .post("/cases/{id}/package", W, case::flow::package)
        .post("/cases/{id}/close", APPROVE, case::flow::close)
        .post("/cases/{id}/reopen", APPROVE, case::flow::reopen)
        .post("/cases/{id}/household", W, case::people::add_member)
        .post(
            "/cases/{id}/household/{member}/remove",
            W,
            case::people::remove_member,
        )
        .post("/cases/{id}/consents", W, case::people::consent)
        .post(
            "/cases/{id}/consents/{consent}/withdraw",
            W,
            case::people::withdraw,
        )
        .post("/cases/{id}/plan/items", W, case::plan::add_item)
        .post(
            "/cases/{id}/plan/items/{item}/remove",
            W,
            case::plan::remove_item,
        )
        .post("/cases/{id}/plan/submit", W, case::plan::submit)
        .post("/cases/{id}/plan/decide", APPROVE, case::plan::decide)
        .post("/cases/{id}/assistance", W, case::assistance::pay)
        .get(
            "/receipts/{receipt}",
            A::Permission(P::CaseRead),
            case::assistance::receipt,
        )
        .post("/cases/{id}/referrals", W, case::referrals::refer)
        .post(
            "/cases/{id}/referrals/{referral}",
            W,
            case::referrals::update,
        )
        .post(
            "/referrals/{referral}/respond",
            A::Permission(P::ReferralRespond),
            case::referrals::respond,
        )
        .post("/cases/{id}/details", W, case::people::details)
        .post("/cases/{id}/receipts", W, case::assistance::upload)
        .post("/cases/{id}/return-again", W, case::flow::return_again)
        .post("/cases/{id}/follow-ups", W, case::tasks::follow_up)
        .post("/cases/{id}/surveys", W, case::surveys::add)
        .post("/cases/{id}/tasks", W, case::tasks::add)
        .post("/cases/{id}/tasks/{task}/done", W, case::tasks::done)
        .get("/stats", A::Permission(P::Aggregates), stats::show)
        .get("/dashboard", A::Permission(P::Aggregates), dashboard::show)
        .get(
            "/dashboard/{file}",
            A::Permission(P::Aggregates),
            dashboard::download,
        )
        // The community and structural levels: public pages, then the staff's.
        .get("/community", A::Public, community::public::list)
        .get(
            "/community/export/{format}",
            A::Public,
            community::export::community,
        )
        .get("/community/{id}", A::Public, community::public::show)
        .get("/capacity", A::Public, community::capacity::list)
        .get(
            "/capacity/export/{format}",
            A::Public,
            community::export::capacity,
        )
        .get("/capacity/{id}", A::Public, community::capacity::show)
        .get("/pools/{id}", A::Public, community::pool::show)
        .get("/countries/{code}", A::Public, community::country::show)
        .get("/work", A::Signed, community::work::show)
        .get(
            "/community/new",
            A::Permission(P::CommunityManage),
            community::manage::new,
        )
        .post(
            "/community",
            A::Permission(P::CommunityManage),
            community::manage::add,
        )
        .get(
            "/community/{id}/manage",
            A::Permission(P::CommunityManage),
            community::manage::page,
        )
        .post(
            "/community/{id}",
            A::Permission(P::CommunityManage),
            community::manage::update,
        )
        .post(
            "/community/{id}/members",
            A::Permission(P::CommunityManage),
            community::manage::members,
        )
        .post(
            "/community/{id}/participants",
            A::Permission(P::CommunityManage),
            community::manage::participants,
        )
        .post(
            "/community/{id}/outputs",
            A::Permission(P::CommunityManage),
            community::staff::community_output,
        )
        .post(
            "/community/{id}/expenses",
            A::Permission(P::CommunityManage),
            community::staff::community_expense,
        )
        .post(
            "/community/{id}/pools",
            A::Permission(P::CommunityManage),
            community::manage::add_pool,
        )
        .post(
            "/community/{id}/participants/{case}/remove",
            A::Permission(P::CommunityManage),
            community::manage::remove_participant,
        )
        .post(
            "/community/{id}/outputs/{row}/remove",
            A::Permission(P::CommunityManage),
            community::staff::community_output_remove,
        )
        .post(
            "/community/{id}/expenses/{row}/remove",
            A::Permission(P::CommunityManage),
            community::staff::community_expense_remove,
        )
        .post(
            "/capacity/{id}/outputs/{row}/remove",
            A::Permission(P::CommunityManage),
            community::staff::capacity_output_remove,
        )
        .post(
            "/capacity/{id}/expenses/{row}/remove",
            A::Permission(P::CommunityManage),
            community::staff::capacity_expense_remove,
        )
        .get(
            "/capacity/new",
            A::Permission(P::CommunityManage),
            community::capacity_manage::new,
        )
        .post(
            "/capacity",
            A::Permission(P::CommunityManage),
            community::capacity_manage::add,
        )
        .get(
            "/capacity/{id}/manage",
            A::Permission(P::CommunityManage),
            community::capacity_manage::page,
        )
        .post(
            "/capacity/{id}",
            A::Permission(P::CommunityManage),
            community::capacity_manage::update,
        )
        .post(
            "/capacity/{id}/participants",
            A::Permission(P::CommunityManage),
            community::capacity_manage::add_participant,
        )
        .post(
            "/capacity/{id}/outputs",
            A::Permission(P::CommunityManage),
            community::staff::capacity_output,
        )
        .post(
            "/capacity/{id}/expenses",
            A::Permission(P::CommunityManage),
            community::staff::capacity_expense,
        )
        .get(
            "/pools/{id}/counter",
            A::Permission(P::AssetsLend),
            community::counter::page,
        )
        .post(
            "/pools/{id}/lend",
            A::Permission(P::AssetsLend),
            community::counter::lend,
        )
        .post(
            "/pools/{id}/loans/{loan}/return",
            A::Permission(P::AssetsLend),
            community::counter::take_back,
        )
        .post(
            "/pools/{id}/tools",
            A::Permission(P::CommunityManage),
            community::counter::add_tool,
        )
        .post(
            "/pools/{id}/tools/{tool}",
            A::Permission(P::CommunityManage),
            community::counter::update_tool,
        )
        .get(
            "/indicators",
            A::Permission(P::PackageManage),
            indicator_bindings::find,
        )
        .get(
            "/projects/{id}/indicators",
            A::Permission(P::PackageManage),
            indicator_bindings::show,
        )
        .post(
            "/projects/{id}/indicators",
            A::Permission(P::PackageManage),
            indicator_bindings::save,
        )
        .get("/packages", A::Permission(P::PackageManage), packages::list)
        .post("/packages", A::Permission(P::PackageManage), packages::add)
        .post(
            "/packages/{id}",
            A::Permission(P::PackageManage),
            packages::update,
        )
        .post(
            "/packages/rules/{key}",
            A::Permission(P::PackageManage),
            packages::rule,
        )
        // Administration.
        .get("/admin", A::Signed, admin::index)
        .get(
            "/admin/offices",
            A::Permission(P::OfficesManage),
            admin::offices::list,
        )
        .post(
            "/admin/offices",
            A::Permission(P::OfficesManage),
            admin::offices::add,
        )
        .post(
            "/admin/offices/{id}",
            A::Permission(P::OfficesManage),
            admin::offices::update,
        )
        .get(
            "/admin/users",
            A::Permission(P::UsersManage),
            admin::users::list,
        )
        .post(
            "/admin/users",
            A::Permission(P::UsersManage),
            admin::users::invite,
        )
        .post(
            "/admin/users/{id}/role",
            A::Permission(P::UsersManage),
            admin::users::set_role,
        )
        .post(
            "/admin/users/{id}/disable",
            A::Permission(P::UsersManage),
            admin::users::disable,
        )
        .post(
            "/admin/users/{id}/enable",
            A::Permission(P::UsersManage),
            admin::users::enable,
        )
        .post(
            "/admin/users/{id}/reset",
            A::Permission(P::UsersManage),
            admin::users::reset,
        )
        .get(
            "/admin/roles",
            A::Permission(P::RolesManage),
            admin::roles::list,
        )
        .post(
            "/admin/roles/{role}",
            A::Permission(P::RolesManage),
            admin::roles::update,
        )
        .get(
            "/admin/rates",
            A::Permission(P::ReferenceManage),
            admin::rates::list,
        )
        .post(
            "/admin/rates",
            A::Permission(P::ReferenceManage),
            admin::rates::add,
        )
        .post(
            "/admin/rates/import",
            A::Permission(P::ReferenceManage),
            admin::rates::import,
        )
        .get(
            "/admin/instruments",
            A::Permission(P::InstrumentsManage),
            admin::instruments::list,
        )
        .post(
            "/admin/instruments",
            A::Permission(P::InstrumentsManage),
            admin::instruments::upload,
        )
        .get(
            "/admin/instruments/{id}",
            A::Permission(P::InstrumentsManage),
            admin::instruments::show,
        )
        .get(
            "/admin/instruments/{id}/toml",
            A::Permission(P::InstrumentsManage),
            admin::instruments::toml,
        )
        .get(
            "/admin/instruments/{id}/xlsform",
            A::Permission(P::InstrumentsManage),
            admin::instruments::xlsform,
        )
        .post(
            "/admin/instruments/{id}/adopt",
            A::Permission(P::InstrumentsManage),
            admin::instruments::adopt,
        )
        .get(
            "/admin/audit",
            A::Permission(P::AuditRead),
            admin::audit::search,
        )
        .get(
            "/admin/audit/export",
            A::Permission(P::AuditRead),
            admin::audit::export,
        )
        // The API.
        .api_get("/api/v1/projects", A::Public, api::projects_list::list)
        .api_get("/api/v1/projects/{id}", A::Public, api::project_get::get)
        .api_get("/api/v1/openapi.json", A::Public, api::openapi::spec)
        .api_get("/api/v1/me", A::Signed, api::me::get)
        .api_get(
            "/api/v1/cases",
            A::Permission(P::CaseRead),
            api::cases_list::list,
        )
        .api_get(
            "/api/v1/cases/{id}",
            A::Permission(P::CaseRead),
            api::case_get::get,
        )
        .api_get(
            "/api/v1/cases/{id}/plan",
            A::Permission(P::CaseRead),
            api::case_plan_get::get,
        )
        .api_post(
            "/api/v1/cases/{id}/plan/items",
            A::Permission(P::CaseWrite),
            api::case_plan_item_add::add,
        )
        .api_get(
            "/api/v1/cases/{id}/assistance",
            A::Permission(P::CaseRead),
            api::case_assistance_get::get,
        )
        .api_post(
            "/api/v1/cases/{id}/assistance",
            A::Permission(P::CaseWrite),
            api::case_payment_add::add,
        )
        .api_post(
            "/api/v1/cases/{id}/receipts",
            A::Permission(P::CaseWrite),
            api::case_receipt_add::add,
        )
        .api_get(
            "/api/v1/cases/{id}/referrals",
            A::Permission(P::CaseRead),
            api::case_referrals_get::get,
        )
        .api_post(
            "/api/v1/cases/{id}/referrals",
            A::Permission(P::CaseWrite),
            api::case_referral_add::add,
        )
        .api_get(
            "/api/v1/cases/{id}/visits",
            A::Permission(P::CaseRead),
            api::case_visits_get::get,
        )
        .api_post(
            "/api/v1/cases/{id}/visits",
            A::Permission(P::CaseWrite),
            api::case_visit_add::add,
        )
        .api_get(
            "/api/v1/cases/{id}/surveys",
            A::Permission(P::CaseRead),
            api::case_surveys_get::get,
        )
        .api_post(
            "/api/v1/cases/{id}/surveys",
            A::Permission(P::CaseWrite),
            api::case_survey_add::add,
        )
        .api_get(
            "/api/v1/cases/{id}/tasks",
            A::Permission(P::CaseRead),
            api::case_tasks_get::get,
        )
        .api_post(
            "/api/v1/cases/{id}/tasks",
            A::Permission(P::CaseWrite),
            api::case_task_add::add,
        )
        .api_get(
            "/api/v1/returnees",
            A::Permission(P::CaseRead),
            api::returnees_list::list,
        )
        .api_post(
            "/api/v1/returnees",
            A::Permission(P::CaseWrite),
            api::returnee_register::register,
        )
        .api_get(
            "/api/v1/community-projects",
            A::Public,
            api::community_projects_list::list,
        )
        .api_post(
            "/api/v1/community-projects",
            A::Permission(P::CommunityManage),
            api::community_project_add::add,
        )
        .api_get(
            "/api/v1/community-projects/{id}",
            A::Public,
            api::community_project_get::get,
        )
        .api_get(
            "/api/v1/asset-pools",
            A::Public,
            api::asset_pools_list::list,
        )
        .api_get(
            "/api/v1/asset-pools/{id}",
            A::Public,
            api::asset_pool_get::get,
        )
        .api_get(
            "/api/v1/asset-pools/{id}/tools",
            A::Public,
            api::asset_pool_get::tools,
        )
        .api_post(
            "/api/v1/asset-pools/{id}/tools",
            A::Permission(P::CommunityManage),
            api::pool_tool_add::add,
        )
        .api_get(
            "/api/v1/asset-pools/{id}/loans",
            A::Permission(P::AssetsLend),
            api::pool_loans::list,
        )
        .api_post(
            "/api/v1/asset-pools/{id}/loans",
            A::Permission(P::AssetsLend),
            api::pool_loans::lend,
        )
        .api_post(
            "/api/v1/asset-pools/{id}/loans/{loan}/return",
            A::Permission(P::AssetsLend),
            api::pool_loans::take_back,
        )
        .api_get(
            "/api/v1/capacity-activities",
            A::Public,
            api::capacity_list::list,
        )
        .api_post(
            "/api/v1/capacity-activities",
            A::Permission(P::CommunityManage),
            api::capacity_add::add,
        )
        .api_get(
            "/api/v1/capacity-activities/{id}",
            A::Public,
            api::capacity_get::get,
        )
        .api_get(
            "/api/v1/stats",
            A::Permission(P::Aggregates),
            api::stats::get,
        )
        .finish();
    let router = router
        .fallback(pages::not_found)
        // Receipts are uploaded whole; the gate has already bounded every other body.
        .layer(axum::extract::DefaultBodyLimit::max(
            auth::gate::UPLOAD_LIMIT,
        ))
        .layer(axum::middleware::from_fn(error::localize))
        .layer(axum::middleware::from_fn(security_headers))
        .with_state(state);
    (router, rules)
}

/// The whole application as one router.
pub fn router(state: AppState) -> Router {
    app(state).0
}

/// Headers every response carries: no framing, no type sniffing, scripts and styles only
/// from Homeward itself, no referrer to other sites.
async fn security_headers(
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    use axum::http::{HeaderValue, header};
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; \
             frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
        ),
    );
    res
}

/// Runs blocking store work off the async runtime.
pub(crate) async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> T + Send + 'static,
) -> Result<T, String> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| format!("a background task failed: {e}"))
}
