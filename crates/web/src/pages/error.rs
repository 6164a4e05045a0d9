//! The error page people see: what went wrong, in the reader's language, with the page
//! frame. Handlers only return a [`PageError`](crate::PageError); this layer turns the
//! marker it leaves on the response into the page.

use super::{LangLink, Nav, lang_links};
use crate::error::{ErrorKind, ErrorPage};
use crate::i18n::Tr;
use askama::Template;
use axum::extract::{FromRequestParts, Request};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Response};

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorTemplate {
    nav: Option<Nav>,
    tr: Tr,
    title: String,
    lang_links: Vec<LangLink>,
    lines: Vec<String>,
}

/// Middleware: renders any [`ErrorPage`] a handler returned as a page in the reader's
/// language, keeping the status.
pub async fn localize(req: Request, next: Next) -> Response {
    let (mut parts, body) = req.into_parts();
    let tr = match Tr::from_request_parts(&mut parts, &()).await {
        Ok(tr) => tr,
        Err(never) => match never {},
    };
    let uri = parts.uri.clone();
    let res = next.run(Request::from_parts(parts, body)).await;
    let Some(page) = res.extensions().get::<ErrorPage>().cloned() else {
        return res;
    };
    let (title, mut lines) = match page.kind {
        ErrorKind::BadRequest => (
            tr.t("error-bad-request"),
            vec![tr.t("error-bad-request-intro")],
        ),
        ErrorKind::NotFound => (tr.t("error-not-found"), vec![tr.t("error-not-found-text")]),
        ErrorKind::Forbidden => (tr.t("error-forbidden"), vec![tr.t("error-forbidden-text")]),
        ErrorKind::Csrf => (tr.t("error-csrf"), vec![tr.t("error-csrf-text")]),
        ErrorKind::Unavailable => (
            tr.t("error-unavailable"),
            vec![tr.t("error-unavailable-text")],
        ),
        ErrorKind::Internal => (tr.t("error-internal"), vec![tr.t("error-internal-text")]),
    };
    lines.extend(page.lines);
    let body = ErrorTemplate {
        nav: None,
        lang_links: lang_links(&tr, &uri),
        title,
        lines,
        tr,
    }
    .render()
    .unwrap_or_else(|_| "Error".to_owned());
    (res.status(), Html(body)).into_response()
}
