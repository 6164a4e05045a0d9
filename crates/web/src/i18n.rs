//! Every user-facing string goes through Fluent. The language comes from `?lang=`, then
//! the `lang` cookie set by the language switch, then the browser's Accept-Language.

use axum::extract::FromRequestParts;
use axum::http::header;
use axum::http::request::Parts;
use fluent_templates::fluent_bundle::FluentValue;
use fluent_templates::{Loader, static_loader};
use std::borrow::Cow;
use std::collections::HashMap;
use unic_langid::LanguageIdentifier;

static_loader! {
    static LOCALES = {
        locales: "./locales",
        fallback_language: "en",
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

/// Languages offered in the switch: code and the language's own name.
pub const LANGUAGES: &[(&str, &str)] = &[("en", "English"), ("fr", "Français")];

/// The language of one request, and its translations.
#[derive(Debug, Clone)]
pub struct Tr {
    pub code: &'static str,
    id: LanguageIdentifier,
}

impl Tr {
    pub fn new(code: &str) -> Tr {
        let code = LANGUAGES
            .iter()
            .map(|(c, _)| *c)
            .find(|c| *c == code)
            .unwrap_or("en");
        let id = code.parse().unwrap_or_default();
        Tr { code, id }
    }

    /// The message `key`.
    pub fn t(&self, key: &str) -> String {
        LOCALES.lookup(&self.id, key)
    }

    /// The message `key` with named arguments.
    pub fn ta(&self, key: &str, args: &[(&'static str, FluentArg)]) -> String {
        let map: HashMap<Cow<'static, str>, FluentValue<'_>> = args
            .iter()
            .map(|(k, v)| {
                let value = match v {
                    FluentArg::Num(n) => FluentValue::from(*n),
                    FluentArg::Str(s) => FluentValue::from(s.clone()),
                };
                (Cow::Borrowed(*k), value)
            })
            .collect();
        LOCALES.lookup_with_args(&self.id, key, &map)
    }
}

#[derive(Debug, Clone)]
pub enum FluentArg {
    Num(i64),
    Str(String),
}

fn from_query(parts: &Parts) -> Option<String> {
    let q = parts.uri.query()?;
    form_urlencoded::parse(q.as_bytes())
        .find(|(k, _)| k == "lang")
        .map(|(_, v)| v.into_owned())
}

fn from_cookie(parts: &Parts) -> Option<String> {
    parts
        .headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|c| c.trim().split_once('='))
        .find(|(k, _)| *k == "lang")
        .map(|(_, v)| v.to_owned())
}

fn from_accept_language(parts: &Parts) -> Option<String> {
    let v = parts.headers.get(header::ACCEPT_LANGUAGE)?.to_str().ok()?;
    v.split(',')
        .filter_map(|item| item.split(';').next())
        .map(|tag| {
            tag.trim()
                .split('-')
                .next()
                .unwrap_or("")
                .to_ascii_lowercase()
        })
        .find(|tag| LANGUAGES.iter().any(|(c, _)| c == tag))
}

pub fn is_offered(code: &str) -> bool {
    LANGUAGES.iter().any(|(c, _)| *c == code)
}

impl<S: Send + Sync> FromRequestParts<S> for Tr {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let code = [
            from_query(parts),
            from_cookie(parts),
            from_accept_language(parts),
        ]
        .into_iter()
        .flatten()
        .find(|c| is_offered(c))
        .unwrap_or_else(|| "en".to_owned());
        Ok(Tr::new(&code))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(ftl: &str) -> Vec<&str> {
        ftl.lines()
            .filter(|l| !l.starts_with([' ', '#']) && l.contains(" = "))
            .filter_map(|l| l.split(" = ").next())
            .collect()
    }

    #[test]
    fn every_english_message_has_a_french_one() {
        let en = keys(include_str!("../locales/en/main.ftl"));
        let fr = keys(include_str!("../locales/fr/main.ftl"));
        assert!(en.len() > 50);
        let missing: Vec<&&str> = en.iter().filter(|k| !fr.contains(k)).collect();
        assert!(missing.is_empty(), "French lacks {missing:?}");
    }

    #[test]
    fn english_and_french_differ_and_fall_back() {
        let en = Tr::new("en");
        let fr = Tr::new("fr");
        assert_eq!(en.t("field-start-date"), "Start Date");
        assert_eq!(fr.t("field-start-date"), "Date de début");
        assert_eq!(Tr::new("xx").code, "en");
        let n = en.ta("results-count", &[("count", FluentArg::Num(1))]);
        assert_eq!(n, "1 project");
        let n = fr.ta("results-count", &[("count", FluentArg::Num(3))]);
        assert_eq!(n, "3 projets");
    }
}
