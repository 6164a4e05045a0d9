//! Homeward's HTTP face: server-rendered pages (askama, readable without JavaScript) and
//! the JSON API under `/api/v1`, described by OpenAPI. One file per action; handlers call
//! the store and never write SQL.

pub mod api;
mod assets;
mod error;
pub mod i18n;
pub mod links;
pub mod pages;

use axum::Router;
use axum::routing::get;
use homeward_store::Store;

pub use error::{ApiError, PageError};

/// What every handler can reach.
#[derive(Clone, Debug)]
pub struct AppState {
    pub store: Store,
}

/// The whole application as one router.
pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/", get(pages::home::redirect))
        .route("/healthz", get(pages::health::healthz))
        .route("/projects", get(pages::catalogue::show))
        .route("/projects/export/{format}", get(pages::export::download))
        .route("/projects/{id}", get(pages::project::show))
        .route("/lang/{code}", get(pages::lang::switch))
        .route("/static/{file}", get(assets::serve))
        .merge(api::router())
        .fallback(pages::not_found)
        .layer(axum::middleware::from_fn(error::localize))
        .with_state(state)
}

/// Runs blocking store work off the async runtime.
pub(crate) async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> T + Send + 'static,
) -> Result<T, String> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| format!("a background task failed: {e}"))
}
