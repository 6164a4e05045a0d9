//! `GET /healthz`: `ok` once the database answers, for load balancers and monitors.

use crate::{AppState, blocking};
use axum::extract::State;
use axum::http::StatusCode;

pub async fn healthz(State(state): State<AppState>) -> (StatusCode, &'static str) {
    match blocking(move || state.store.ping()).await {
        Ok(Ok(())) => (StatusCode::OK, "ok"),
        _ => (StatusCode::SERVICE_UNAVAILABLE, "database unreachable"),
    }
}
