//! `GET /lang/{code}?next=PATH`: remembers the chosen language in a cookie and goes back.

use crate::PageError;
use crate::i18n::is_offered;
use crate::links::safe_next;
use axum::extract::{Path, Query};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use homeward_domain::FieldError;
use serde::Deserialize;

#[derive(Deserialize)]
pub struct Next {
    next: Option<String>,
}

pub async fn switch(Path(code): Path<String>, Query(n): Query<Next>) -> Response {
    if !is_offered(&code) {
        return PageError::BadRequest(vec![FieldError::new(
            "lang",
            format!("{code:?} is not an offered language"),
        )])
        .into_response();
    }
    let cookie = format!("lang={code}; Path=/; Max-Age=31536000; SameSite=Lax; HttpOnly");
    (
        [(header::SET_COOKIE, cookie)],
        Redirect::to(safe_next(n.next.as_deref())),
    )
        .into_response()
}
