//! `POST /signout` ends this session; `POST /account/signout-everywhere` ends every
//! session of the user, on every device.

use crate::auth::{Signed, cookies};
use crate::{AppState, PageError};
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};

fn leave(state: &AppState) -> Response {
    (
        [(
            header::SET_COOKIE,
            cookies::clear(cookies::SESSION, state.config.secure_cookies),
        )],
        Redirect::to("/signin"),
    )
        .into_response()
}

pub async fn one(State(state): State<AppState>, s: Signed) -> Result<Response, PageError> {
    let store = state.store.clone();
    let (actor, id, token) = (
        s.actor(),
        s.principal.user_id(),
        s.session.clone().unwrap_or_default(),
    );
    crate::pages::run(move || store.sign_out(&actor, id, &token)).await?;
    Ok(leave(&state))
}

pub async fn everywhere(State(state): State<AppState>, s: Signed) -> Result<Response, PageError> {
    let store = state.store.clone();
    let (actor, id) = (s.actor(), s.principal.user_id());
    crate::pages::run(move || store.sign_out_everywhere(&actor, id)).await?;
    Ok(leave(&state))
}
