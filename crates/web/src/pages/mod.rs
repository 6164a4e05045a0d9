//! Server-rendered pages, one file per action.

pub mod catalogue;
pub mod export;
pub mod health;
pub mod home;
pub mod lang;
pub mod project;

use crate::PageError;
use crate::i18n::{LANGUAGES, Tr};
use crate::links::with_pairs;
use axum::http::Uri;

/// A link in the language switch.
#[derive(Debug, Clone)]
pub struct LangLink {
    pub code: &'static str,
    pub name: &'static str,
    pub href: String,
    pub current: bool,
}

/// Links that switch language and come back to this page.
pub fn lang_links(tr: &Tr, uri: &Uri) -> Vec<LangLink> {
    let next = match uri.query() {
        Some(q) => {
            let kept: Vec<(String, String)> = form_urlencoded::parse(q.as_bytes())
                .filter(|(k, _)| k != "lang")
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect();
            with_pairs(
                uri.path(),
                kept.iter().map(|(k, v)| (k.as_str(), v.as_str())),
            )
        }
        None => uri.path().to_owned(),
    };
    LANGUAGES
        .iter()
        .map(|(code, name)| LangLink {
            code,
            name,
            href: with_pairs(&format!("/lang/{code}"), [("next", next.as_str())]),
            current: *code == tr.code,
        })
        .collect()
}

pub async fn not_found(uri: Uri) -> PageError {
    PageError::NotFound(format!("The page {}", uri.path()))
}
