//! `GET /healthz`: the process lives and answers (no database call, so a slow database
//! does not get a healthy server restarted). `GET /readyz`: it can serve: the database
//! answers and holds every migration of this version; 503 saying which is not the case,
//! so a load balancer sends no traffic to it.

use crate::{AppState, blocking};
use axum::extract::State;
use axum::http::StatusCode;

pub async fn healthz() -> (StatusCode, &'static str) {
    (StatusCode::OK, "ok")
}

pub async fn readyz(State(state): State<AppState>) -> (StatusCode, String) {
    let store = state.store.clone();
    match blocking(move || store.ping().and_then(|()| store.pending_migrations())).await {
        Ok(Ok(0)) => (StatusCode::OK, "ready".into()),
        Ok(Ok(n)) => (
            StatusCode::SERVICE_UNAVAILABLE,
            format!("not ready: the database lacks {n} migration(s) of this version"),
        ),
        _ => (
            StatusCode::SERVICE_UNAVAILABLE,
            "not ready: the database does not answer".into(),
        ),
    }
}
