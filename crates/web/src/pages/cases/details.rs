//! `POST /cases/{id}/details`: corrects the returnee's names, birth, nationality, contact
//! and place of return, and the sensitive part for who may see it (the store leaves it
//! alone otherwise); the name keys follow, so the corrected name is found at once.
//!
//! When someone else saved the case first, the two edits are merged field by field from
//! the values the form started from (its `was_*` fields): fields only one person changed
//! are saved without asking; fields both changed are shown with what each wrote, the
//! second person's values kept in the form, saved over the others' with one click.

use super::act::{outcome, refuse};
use super::{At, Refused, Said, form_values, show};
use crate::auth::Signed;
use crate::form::Fields;
use crate::i18n::Tr;
use crate::{AppState, PageError};
use axum::extract::{Path, State};
use axum::http::{StatusCode, Uri};
use axum::response::Response;
use homeward_domain::access::{Permission, ReadCases, WriteCases};
use homeward_domain::merge::merge;
use homeward_store::StoreError;

/// The fields of the correction form everyone may change.
const FIELDS: &[&str] = &[
    "given_name",
    "family_name",
    "sex",
    "birth_date",
    "birth_date_estimated",
    "nationality",
    "languages",
    "phone",
    "email",
    "return_country",
    "return_area",
    "return_place",
];

/// The fields only readers of sensitive fields see and change.
const SENSITIVE: &[&str] = &["vulnerabilities", "health_notes"];

/// What the person sent, as the same pairs (vulnerabilities joined).
fn sent(f: &Fields) -> Vec<(String, String)> {
    let mut codes = f.all("vulnerabilities");
    codes.sort_unstable();
    FIELDS
        .iter()
        .chain(SENSITIVE)
        .map(|k| match *k {
            "vulnerabilities" => ((*k).to_owned(), codes.join(",")),
            _ => ((*k).to_owned(), f.get(k).to_owned()),
        })
        .collect()
}

/// Field values as the form sends them (the vulnerabilities one field per code).
fn as_form(origin_office: &str, values: impl IntoIterator<Item = (String, String)>) -> Fields {
    let mut f = Fields(vec![("origin_office".into(), origin_office.to_owned())]);
    for (k, val) in values {
        if k == "vulnerabilities" {
            let codes = val.split(',').filter(|c| !c.is_empty());
            f.0.extend(codes.map(|c| (k.clone(), c.to_owned())));
        } else {
            f.0.push((k, val));
        }
    }
    f
}

fn get<'a>(pairs: &'a [(String, String)], k: &str) -> &'a str {
    pairs.iter().find(|(x, _)| x == k).map_or("", |(_, v)| v)
}

/// A field's value in the reader's words.
fn in_words(tr: &Tr, field: &str, v: &str) -> String {
    match field {
        _ if v.is_empty() => "–".to_owned(),
        "sex" => tr.t(&format!("sex-{v}")),
        "birth_date_estimated" => tr.t("case-estimated"),
        "vulnerabilities" => v
            .split(',')
            .map(|c| tr.t(&format!("vuln-{c}")))
            .collect::<Vec<_>>()
            .join(", "),
        _ => v.to_owned(),
    }
}

pub async fn update(
    State(state): State<AppState>,
    tr: Tr,
    uri: Uri,
    s: Signed,
    Path(id): Path<i64>,
    f: Fields,
) -> Result<Response, PageError> {
    let auth = s.authorize::<WriteCases>()?;
    let v = super::version(&f)?;
    let reg = match super::registration_form(&f, &s).parse(homeward_store::today()) {
        Ok(r) => r,
        Err(errs) => return refuse(&state, tr, &uri, &s, id, At::typed("details", &f), errs).await,
    };
    let (store, actor, w) = (state.store.clone(), s.actor(), auth.clone());
    let first = crate::blocking(move || store.update_returnee(&w, &actor, id, v, &reg)).await?;
    if !matches!(first, Err(StoreError::Stale(_))) || !f.has("was_given_name") {
        return outcome(&state, tr, &uri, &s, id, At::typed("details", &f), first).await;
    }
    // Someone saved first: merge from what this form started with.
    let read = s.authorize::<ReadCases>()?;
    let (store, actor) = (state.store.clone(), s.actor());
    let file = crate::pages::run(move || store.case_file(&read, &actor, id)).await?;
    let theirs = form_values(&file.case);
    let mine = sent(&f);
    let mut fields: Vec<&str> = FIELDS.to_vec();
    if file.case.sensitive.is_some() && s.principal.can(Permission::Sensitive) {
        fields.extend(SENSITIVE);
    }
    let m = merge(
        &fields,
        |k| f.get(&format!("was_{k}")),
        |k| get(&theirs, k),
        |k| get(&mine, k),
    );
    if m.conflicts.is_empty() {
        let merged = as_form(f.get("origin_office"), m.values.clone());
        let reg = match super::registration_form(&merged, &s).parse(homeward_store::today()) {
            Ok(r) => r,
            Err(errs) => {
                return refuse(&state, tr, &uri, &s, id, At::typed("details", &f), errs).await;
            }
        };
        let (store, actor, now) = (state.store.clone(), s.actor(), file.case.version);
        let done =
            crate::blocking(move || store.update_returnee(&auth, &actor, id, now, &reg)).await?;
        return outcome(&state, tr, &uri, &s, id, At::typed("details", &f), done).await;
    }
    let mut by: Vec<String> = file
        .events
        .iter()
        .filter(|e| e.version > v)
        .filter_map(|e| e.by.clone())
        .collect();
    by.dedup();
    let conflicts = m
        .conflicts
        .iter()
        .map(|c| {
            (
                tr.t(&format!("field-{}", c.field.replace('_', "-"))),
                in_words(&tr, &c.field, &c.was),
                in_words(&tr, &c.field, &c.theirs),
                in_words(&tr, &c.field, &c.mine),
            )
        })
        .collect();
    // The form comes back with their other changes in it and this person's values where
    // both changed: saving it puts these over theirs.
    let kept = as_form(
        f.get("origin_office"),
        m.values.iter().map(|(k, val)| {
            let mine = m.conflicts.iter().find(|c| &c.field == k).map(|c| &c.mine);
            (k.clone(), mine.unwrap_or(val).clone())
        }),
    );
    let said = Said {
        refused: Some(Refused {
            at: At::typed("details", &kept),
            lines: vec![tr.t("case-edit-conflict")],
            conflicts,
            saved_by: by.join(", "),
        }),
        done: None,
        proposed: None,
    };
    show::page(&state, tr, &uri, &s, id, said, StatusCode::CONFLICT).await
}
