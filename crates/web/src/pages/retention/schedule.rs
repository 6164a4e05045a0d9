//! `GET /admin/retention` and its forms: offices' terms, a case's own term, holds and
//! releases. Each change says what was refused and where, and keeps the schedule in view.

use crate::auth::Signed;
use crate::form::Fields;
use crate::i18n::Tr;
use crate::pages::page;
use crate::pages::{Frame, LangLink, Nav, render};
use crate::{AppState, PageError};
use askama::Template;
use axum::extract::{Path, State};
use axum::http::{StatusCode, Uri};
use axum::response::{IntoResponse, Redirect, Response};
use homeward_domain::access::ManageRetention;
use homeward_domain::retention::{Reason, Standing, Years};
use homeward_store::retention::schedule::{Schedule, Scheduled};

/// One case as a line of the schedule.
pub struct Line {
    pub reference: String,
    pub office: String,
    pub closed_on: String,
    pub last_day: String,
    /// The hold's reason, or the case's own term and its reason.
    pub why: String,
}

/// One list of the schedule.
pub struct Section {
    /// Its message key, also its heading's id.
    pub key: &'static str,
    pub lines: Vec<Line>,
    /// Whether each line can be released (held cases).
    pub release: bool,
}

#[derive(Template)]
#[template(path = "retention/schedule.html")]
pub struct SchedulePage {
    pub tr: Tr,
    pub lang_links: Vec<LangLink>,
    pub nav: Option<Nav>,
    pub title: String,
    pub csrf: String,
    pub schedule: Schedule,
    pub sections: Vec<Section>,
    pub errors: Vec<String>,
    pub done: String,
    pub min_years: u8,
    pub max_years: u8,
}

fn line(tr: &Tr, s: &Scheduled) -> Line {
    let why = match (&s.held_reason, &s.own_term) {
        (Some(r), _) => r.clone(),
        (None, Some((years, r))) => tr.ta(
            "retention-own-term-why",
            &[
                ("years", crate::i18n::FluentArg::Num(*years)),
                ("reason", crate::i18n::FluentArg::Str(r.clone())),
            ],
        ),
        (None, None) => String::new(),
    };
    let last_day = match s.standing {
        Standing::Open => tr.t("retention-open"),
        _ => s.last_day.map(|d| d.to_string()).unwrap_or_default(),
    };
    Line {
        reference: s.reference.clone(),
        office: s.office.clone(),
        closed_on: s.closed_on.clone().unwrap_or_default(),
        last_day,
        why,
    }
}

async fn page(
    state: &AppState,
    tr: Tr,
    uri: &Uri,
    s: &Signed,
    errors: Vec<String>,
) -> Result<Response, PageError> {
    let auth = s.authorize::<ManageRetention>()?;
    let store = state.store.clone();
    let schedule =
        crate::pages::run(move || store.retention_schedule(&auth, homeward_store::today())).await?;
    let sections = [
        ("retention-due", &schedule.due, false),
        ("retention-coming", &schedule.coming, false),
        ("retention-held", &schedule.held, true),
        ("retention-own-terms", &schedule.own_terms, false),
    ]
    .into_iter()
    .map(|(key, list, release)| Section {
        key,
        lines: list.iter().map(|x| line(&tr, x)).collect(),
        release,
    })
    .collect();
    let done = match uri.query().unwrap_or("") {
        "saved=1" => tr.t("retention-saved"),
        _ => String::new(),
    };
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::BAD_REQUEST
    };
    let title = tr.t("admin-retention");
    let p = page!(SchedulePage, Frame::new(tr, uri, Some(s)), title, {
        csrf: s.csrf.clone(), schedule: schedule, sections: sections, errors: errors, done: done, min_years: Years::MIN,
        max_years: Years::MAX,
    });
    Ok((status, render(&p)?).into_response())
}

pub async fn show(
    State(state): State<AppState>,
    tr: Tr,
    uri: Uri,
    s: Signed,
) -> Result<Response, PageError> {
    page(&state, tr, &uri, &s, vec![]).await
}

/// Back to the schedule once saved; the refusal above it otherwise.
async fn after(
    state: &AppState,
    tr: Tr,
    uri: &Uri,
    s: &Signed,
    outcome: Result<(), Vec<String>>,
) -> Result<Response, PageError> {
    match outcome {
        Ok(()) => Ok(Redirect::to("/admin/retention?saved=1").into_response()),
        Err(errors) => page(state, tr, uri, s, errors).await,
    }
}

fn reason(f: &Fields) -> Result<Reason, Vec<String>> {
    Reason::parse("reason", f.get("reason")).map_err(|e| vec![e.to_string()])
}

pub async fn office_term(
    State(state): State<AppState>,
    tr: Tr,
    uri: Uri,
    s: Signed,
    Path(id): Path<i64>,
    f: Fields,
) -> Result<Response, PageError> {
    let auth = s.authorize::<ManageRetention>()?;
    let outcome = match f.get("years").parse::<Years>() {
        Ok(years) => {
            let (store, actor) = (state.store.clone(), s.actor());
            crate::pages::attempt(move || store.set_office_retention(&auth, &actor, id, years))
                .await?
        }
        Err(e) => Err(vec![e.to_string()]),
    };
    after(&state, tr, &uri, &s, outcome).await
}

pub async fn case_term(
    State(state): State<AppState>,
    tr: Tr,
    uri: Uri,
    s: Signed,
    f: Fields,
) -> Result<Response, PageError> {
    let auth = s.authorize::<ManageRetention>()?;
    // No years: the case goes back to its office's term.
    let term = match f.get("years").trim() {
        "" => Ok(None),
        y => match (y.parse::<Years>(), reason(&f)) {
            (Ok(y), Ok(r)) => Ok(Some((y, r))),
            (y, r) => Err(y
                .err()
                .map(|e| e.to_string())
                .into_iter()
                .chain(r.err().unwrap_or_default())
                .collect()),
        },
    };
    let outcome = match term {
        Ok(term) => {
            let (store, actor) = (state.store.clone(), s.actor());
            let reference = f.get("reference").to_owned();
            crate::pages::attempt(move || {
                store
                    .set_case_retention(&auth, &actor, &reference, term)
                    .map(|_| ())
            })
            .await?
        }
        Err(e) => Err(e),
    };
    after(&state, tr, &uri, &s, outcome).await
}

pub async fn hold(
    State(state): State<AppState>,
    tr: Tr,
    uri: Uri,
    s: Signed,
    f: Fields,
) -> Result<Response, PageError> {
    match reason(&f) {
        Ok(r) => set_hold(&state, tr, &uri, &s, f.get("reference"), Some(r)).await,
        Err(e) => after(&state, tr, &uri, &s, Err(e)).await,
    }
}

pub async fn release(
    State(state): State<AppState>,
    tr: Tr,
    uri: Uri,
    s: Signed,
    f: Fields,
) -> Result<Response, PageError> {
    set_hold(&state, tr, &uri, &s, f.get("reference"), None).await
}

/// Holds case `reference` with the reason, or (None) releases it.
async fn set_hold(
    state: &AppState,
    tr: Tr,
    uri: &Uri,
    s: &Signed,
    reference: &str,
    hold: Option<Reason>,
) -> Result<Response, PageError> {
    let auth = s.authorize::<ManageRetention>()?;
    let (store, actor, reference) = (state.store.clone(), s.actor(), reference.to_owned());
    let outcome =
        crate::pages::attempt(move || store.hold_case(&auth, &actor, &reference, hold).map(|_| ()))
            .await?;
    after(state, tr, uri, s, outcome).await
}
