//! `GET /`: the catalogue is the public front page.

use axum::response::Redirect;

pub async fn redirect() -> Redirect {
    Redirect::to("/projects")
}
