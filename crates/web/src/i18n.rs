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

    /// Every literal key given to `tr.t` in the templates and the code, and every key made from a code
    /// list, has an English message (a missing one would show its key to the reader).
    #[test]
    fn every_key_used_has_a_message() {
        use homeward_domain::reintegration::{consent, forms, plan, stage};
        let en = keys(include_str!("../locales/en/main.ftl"));
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut used: Vec<String> = vec![];
        let mut dirs = vec![root.join("templates"), root.join("src")];
        while let Some(d) = dirs.pop() {
            for e in std::fs::read_dir(&d).expect("read dir").flatten() {
                let path = e.path();
                if path.is_dir() {
                    dirs.push(path);
                    continue;
                }
                let text = std::fs::read_to_string(&path).unwrap_or_default();
                for part in text.split("tr.t(\"").skip(1) {
                    if let Some(k) = part.split('"').next() {
                        used.push(k.to_owned());
                    }
                }
            }
        }
        let family = |prefix: &str, codes: Vec<&str>| -> Vec<String> {
            codes.into_iter().map(|c| format!("{prefix}-{c}")).collect()
        };
        used.extend(family(
            "stage",
            stage::Stage::ALL.iter().map(|x| x.code()).collect(),
        ));
        used.extend(family(
            "closure",
            stage::ClosureReason::ALL.iter().map(|x| x.code()).collect(),
        ));
        used.extend(family(
            "category",
            plan::Category::ALL.iter().map(|x| x.code()).collect(),
        ));
        used.extend(family(
            "dimension",
            plan::Dimension::ALL.iter().map(|x| x.code()).collect(),
        ));
        used.extend(family(
            "purpose",
            consent::Purpose::ALL.iter().map(|x| x.code()).collect(),
        ));
        used.extend(family(
            "kind",
            forms::Kind::ALL.iter().map(|x| x.code()).collect(),
        ));
        used.extend(family(
            "referral",
            forms::ReferralStatus::ALL
                .iter()
                .map(|x| x.code())
                .collect(),
        ));
        used.extend(family(
            "follow-up",
            forms::FollowUpKind::ALL.iter().map(|x| x.code()).collect(),
        ));
        used.extend(family(
            "relation",
            homeward_domain::case::Relation::ALL
                .iter()
                .map(|x| x.code())
                .collect(),
        ));
        used.extend(family(
            "plan",
            vec!["draft", "requested", "approved", "rejected"],
        ));
        {
            use homeward_domain::community::{activity, capacity, pool};
            used.extend(family(
                "activity-status",
                activity::ActivityStatus::ALL
                    .iter()
                    .map(|x| x.code())
                    .collect(),
            ));
            used.extend(family(
                "capacity-kind",
                capacity::CapacityKind::ALL
                    .iter()
                    .map(|x| x.code())
                    .collect(),
            ));
            used.extend(family(
                "tool-category",
                pool::ToolCategory::ALL.iter().map(|x| x.code()).collect(),
            ));
            used.extend(family(
                "condition",
                pool::Condition::ALL.iter().map(|x| x.code()).collect(),
            ));
        }
        used.extend(
            homeward_domain::access::Permission::ALL
                .iter()
                .map(|p| format!("perm-{}", p.code().replace('.', "-"))),
        );
        used.extend(case_page_codes());
        let missing: Vec<&String> = used.iter().filter(|k| !en.contains(&k.as_str())).collect();
        assert!(missing.is_empty(), "no English message for {missing:?}");
    }

    /// The codes a case page, its timeline, its paper file, notifications and their
    /// emails show in words, each as the key of its message.
    fn case_page_codes() -> Vec<String> {
        use homeward_domain::case::{Sex, Vulnerability};
        use homeward_domain::reintegration::{documents, forms, notes, notifications, tasks};
        use homeward_domain::survey::SurveyKind;
        let mut keys: Vec<String> = vec![];
        let mut family = |prefix: &str, codes: &mut dyn Iterator<Item = &str>| {
            keys.extend(codes.map(|c| format!("{prefix}-{c}")));
        };
        family("sex", &mut Sex::ALL.iter().map(|x| x.code()));
        family("vuln", &mut Vulnerability::ALL.iter().map(|x| x.code()));
        family("note", &mut notes::NoteKind::ALL.iter().map(|x| x.code()));
        family(
            "document",
            &mut documents::DocumentKind::ALL.iter().map(|x| x.code()),
        );
        family(
            "notify",
            &mut notifications::NotificationKind::ALL
                .iter()
                .map(|x| x.code()),
        );
        family(
            "email-choice",
            &mut notifications::EmailChoice::ALL.iter().map(|x| x.code()),
        );
        family("survey-kind", &mut SurveyKind::ALL.iter().map(|x| x.code()));
        family("band", &mut ["low", "medium", "high"].into_iter());
        family("share", &mut ["shared", "handover", "referral"].into_iter());
        family(
            "task",
            &mut tasks::default_rules()
                .iter()
                .map(|r| r.key.as_str())
                .collect::<Vec<_>>()
                .into_iter(),
        );
        // Timeline entries: every kind the store writes, and the follow-ups' own kinds.
        family(
            "event",
            &mut forms::FollowUpKind::ALL.iter().map(|x| x.code()),
        );
        keys.extend(event_kinds().into_iter().map(|k| format!("event-{k}")));
        keys
    }

    /// The kinds of timeline entries the store writes: the string literals in the kind
    /// argument of every `log::note(c, backend, case, actor, KIND, …)` and
    /// `log::edit(c, backend, case, version, actor, KIND, …)` call.
    fn event_kinds() -> Vec<String> {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../store/src");
        let mut kinds = vec![];
        let mut dirs = vec![root];
        while let Some(d) = dirs.pop() {
            for e in std::fs::read_dir(&d).expect("read dir").flatten() {
                let path = e.path();
                if path.is_dir() {
                    dirs.push(path);
                    continue;
                }
                let text = std::fs::read_to_string(&path).unwrap_or_default();
                for (call, at) in [("log::note(", 4), ("log::edit(", 5)] {
                    for part in text.split(call).skip(1) {
                        let args = part.split(")?").next().unwrap_or_default();
                        let args: Vec<&str> = args.split(',').map(str::trim).collect();
                        if let Some(kind) = args.get(at) {
                            kinds.extend(
                                kind.split('"')
                                    .skip(1)
                                    .step_by(2)
                                    .filter(|k| !k.is_empty())
                                    .map(str::to_owned),
                            );
                        }
                    }
                }
            }
        }
        kinds.sort();
        kinds.dedup();
        assert!(
            kinds.len() > 20,
            "the timeline's kinds are found: {kinds:?}"
        );
        kinds
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
