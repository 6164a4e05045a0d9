//! Homeward's HTTP face: server-rendered pages (askama, readable without JavaScript) and
//! the JSON API under `/api/v1`, described by OpenAPI. One file per action; handlers call
//! the store and never write SQL. Pages and API are grouped by the domain's concepts, and
//! each group declares its routes with their access rules (its `routes.rs`); `app`
//! assembles the one table of routes, and every route passes the gate in `auth` before its
//! handler runs.

pub mod api;
mod assets;
pub mod auth;
pub mod caseload;
mod charts;
pub mod download;
mod error;
pub mod form;
pub mod i18n;
pub mod links;
pub mod mail;
pub mod metrics;
pub mod pages;
pub mod request_id;
pub mod routes;
mod state;
mod task;

use axum::Router;
use routes::{RouteRule, Routes};

pub use error::{ApiError, PageError};
pub use state::{AppState, WebConfig};
pub use task::{TaskFailed, blocking};

/// The whole application as one router, and the table of its routes and rules.
pub fn app(state: AppState) -> (Router, Vec<RouteRule>) {
    let mut routes = Routes::new(state.clone());
    for add in [
        pages::site::routes::add,
        pages::access::routes::add,
        pages::catalogue::routes::add,
        pages::cases::routes::add,
        pages::survey::routes::add,
        pages::insight::routes::add,
        pages::community::routes::add,
        pages::retention::routes::add,
        api::openapi::add,
        api::access::routes::add,
        api::catalogue::routes::add,
        api::cases::routes::add,
        api::community::routes::add,
        api::insight::routes::add,
    ] {
        routes = add(routes);
    }
    let (router, rules) = routes.finish();
    let router = router
        .fallback(pages::not_found)
        // Receipts are uploaded whole; the gate has already bounded every other body.
        .layer(axum::extract::DefaultBodyLimit::max(
            auth::gate::UPLOAD_LIMIT,
        ))
        // Inside `localize`, which renders the refusal's page.
        .layer(axum::middleware::from_fn(form::strict_query))
        .layer(axum::middleware::from_fn(pages::error::localize))
        .layer(axum::middleware::from_fn(error::api_errors_as_json))
        .layer(axum::middleware::from_fn(security_headers))
        .layer(axum::middleware::from_fn(request_id::tag))
        .layer(axum::middleware::from_fn_with_state(
            state.metrics.clone(),
            metrics::track,
        ))
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
