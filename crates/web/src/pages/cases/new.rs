//! `GET /cases/new` and `POST /cases`: registering a returnee and opening their case in
//! the caseworker's office. Every wrong field is named; nothing is saved until all are
//! right.

use crate::auth::Signed;
use crate::form::Fields;
use crate::i18n::Tr;
use crate::pages::page;
use crate::pages::{Frame, render};
use crate::{AppState, PageError};
use askama::Template;
use axum::extract::State;
use axum::http::{StatusCode, Uri};
use axum::response::{IntoResponse, Redirect, Response};
use homeward_domain::access::{ReadCases, WriteCases};
use homeward_domain::account::OfficeKind;
use homeward_domain::case::{Sex, Vulnerability};
use homeward_domain::reintegration::consent::Purpose;

pub struct Choice {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

#[derive(Template)]
#[template(path = "cases/new.html")]
pub struct NewCasePage {
    pub tr: Tr,
    pub lang_links: Vec<crate::pages::LangLink>,
    pub nav: Option<crate::pages::Nav>,
    pub title: String,
    pub csrf: String,
    pub errors: Vec<String>,
    pub given_name: String,
    pub family_name: String,
    pub birth_date: String,
    pub nationality: String,
    pub health_notes: String,
    pub sexes: Vec<Choice>,
    pub offices: Vec<Choice>,
    pub vulnerabilities: Vec<Choice>,
    pub sensitive: bool,
    pub languages: String,
    pub phone: String,
    pub email: String,
    pub return_country: String,
    pub return_area: String,
    pub return_place: String,
    pub estimated: bool,
    pub duplicates: Vec<Duplicate>,
    /// Consents the returnee can give at registration (a partner's is given by name, on
    /// the case).
    pub consents: Vec<Choice>,
}

async fn show(
    state: &AppState,
    tr: Tr,
    uri: &Uri,
    s: &Signed,
    f: &Fields,
    errors: Vec<String>,
) -> Result<Response, PageError> {
    show_with(state, tr, uri, s, f, errors, vec![]).await
}

/// A case that may be the same person, linked for the caseworker to check.
pub struct Duplicate {
    pub id: i64,
    pub label: String,
    /// A closed case: the person may be returning again.
    pub closed: bool,
}

async fn show_with(
    state: &AppState,
    tr: Tr,
    uri: &Uri,
    s: &Signed,
    f: &Fields,
    errors: Vec<String>,
    duplicates: Vec<Duplicate>,
) -> Result<Response, PageError> {
    let store = state.store.clone();
    let offices = crate::pages::run(move || store.offices()).await?;
    let chosen = f.all("vulnerabilities");
    let status = if errors.is_empty() && duplicates.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::BAD_REQUEST
    };
    let title = tr.t("cases-new");
    let p = page!(NewCasePage, Frame::new(tr.clone(), uri, Some(s)), title, {
        csrf: s.csrf.clone(),
        errors: errors,
        given_name: f.get("given_name").to_owned(),
        family_name: f.get("family_name").to_owned(),
        birth_date: f.get("birth_date").to_owned(),
        nationality: f.get("nationality").to_owned(),
        health_notes: f.get("health_notes").to_owned(),
        languages: f.get("languages").to_owned(),
        phone: f.get("phone").to_owned(),
        email: f.get("email").to_owned(),
        return_country: f.get("return_country").to_owned(),
        return_area: f.get("return_area").to_owned(),
        return_place: f.get("return_place").to_owned(),
        estimated: f.get("birth_date_estimated") == "yes",
        duplicates,
        sexes: Sex::ALL.iter().map(|x| Choice { value: x.code().into(), label: tr.t(&format!("sex-{}", x.code())), selected: f.get("sex") == x.code() }).collect(),
        // The organisation's own offices only, by country: a partner is reached by a referral.
        offices: offices.into_iter().filter(|o| o.id != s.principal.office_id() && o.kind == OfficeKind::IomMission.code()).map(|o| Choice { selected: f.get("origin_office") == o.id.to_string(), value: o.id.to_string(), label: format!("{} ({})", o.name, o.country) }).collect(),
        vulnerabilities: Vulnerability::ALL.iter().map(|v| Choice { value: v.code().into(), label: tr.t(&format!("vuln-{}", v.code())), selected: chosen.contains(&v.code()) }).collect(),
        sensitive: s.principal.can(homeward_domain::access::Permission::Sensitive),
        consents: Purpose::ALL.iter().filter(|p| **p != Purpose::SharePartner).map(|p| Choice { value: p.code().into(), label: tr.t(&format!("purpose-{}", p.code())), selected: f.all("consents").contains(&p.code()) }).collect(),
    });
    Ok((status, render(&p)?).into_response())
}

pub async fn form(
    State(state): State<AppState>,
    tr: Tr,
    uri: Uri,
    s: Signed,
) -> Result<Response, PageError> {
    s.authorize::<WriteCases>()?;
    show(&state, tr, &uri, &s, &Fields::default(), vec![]).await
}

pub async fn submit(
    State(state): State<AppState>,
    tr: Tr,
    uri: Uri,
    s: Signed,
    f: Fields,
) -> Result<Response, PageError> {
    let auth = s.authorize::<WriteCases>()?;
    let form = super::registration_form(&f, &s);
    let reg = match form.parse(homeward_store::today()) {
        Ok(r) => r,
        Err(errs) => {
            let lines = errs.iter().map(|e| e.to_string()).collect();
            return show(&state, tr, &uri, &s, &f, lines).await;
        }
    };
    // Likely duplicates are shown first; the caseworker decides.
    if f.get("not_duplicate") != "yes"
        && let Ok(read) = s.principal.authorize::<ReadCases>()
    {
        let (store, actor, r) = (state.store.clone(), s.actor(), reg.clone());
        let found = crate::pages::run(move || {
            store.likely_duplicates(
                &read,
                &actor,
                &r.given_name,
                &r.family_name,
                r.birth_date,
                Some(r.nationality),
            )
        })
        .await?;
        if !found.is_empty() {
            let dups = found
                .into_iter()
                .map(|(l, _)| Duplicate {
                    id: l.id,
                    closed: l.status == "closed",
                    label: format!(
                        "{} · {} {} · {} · {} · {}",
                        l.reference,
                        l.given_name,
                        l.family_name,
                        l.birth_date.unwrap_or_else(|| "–".into()),
                        l.nationality,
                        l.office
                    ),
                })
                .collect();
            return show_with(&state, tr, &uri, &s, &f, vec![], dups).await;
        }
    }
    // Consents given at registration, recorded with it (today).
    let consents = match f
        .all("consents")
        .iter()
        .map(|c| c.parse::<Purpose>())
        .collect::<Result<Vec<_>, _>>()
    {
        Ok(c) if !c.contains(&Purpose::SharePartner) => c,
        _ => {
            let why = "consents: choose among the purposes listed".to_owned();
            return show(&state, tr, &uri, &s, &f, vec![why]).await;
        }
    };
    let store = state.store.clone();
    let actor = s.actor();
    let today = homeward_store::today();
    match crate::pages::attempt(move || {
        let id = store.register_case(&auth, &actor, &reg)?;
        for purpose in consents {
            store.record_consent(&auth, &actor, id, purpose, None, today)?;
        }
        Ok(id)
    })
    .await?
    {
        Ok(id) => Ok(Redirect::to(&format!("/cases/{id}")).into_response()),
        Err(errors) => show(&state, tr, &uri, &s, &f, errors).await,
    }
}
