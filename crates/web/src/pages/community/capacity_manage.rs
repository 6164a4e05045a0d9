//! The staff side of a capacity-building activity (`community.manage` over its office):
//! `GET /capacity/new` and `POST /capacity` add one; `GET /capacity/{id}/manage` shows
//! the forms, and `POST /capacity/{id}` (details, with the version read),
//! `/capacity/{id}/participants` (names optional, scores before and after), `/outputs` and
//! `/expenses` change it.

use super::staff::Saved;
use super::{ExpenseView, OutputView, expenses, outputs};
use crate::auth::Signed;
use crate::form::Fields;
use crate::i18n::Tr;
use crate::pages::{Frame, LangLink, Nav, render};
use crate::{AppState, PageError, page};
use askama::Template;
use axum::extract::{Path, State};
use axum::http::{StatusCode, Uri};
use axum::response::{IntoResponse, Redirect, Response};
use homeward_domain::access::ManageCommunity;
use homeward_domain::case::Sex;
use homeward_domain::community::activity::{ActivityStatus, Level};
use homeward_domain::community::capacity::{CapacityDraft, CapacityKind, ParticipantDraft};
use homeward_store::capacity::{CapacityActivity, ListedParticipant};

pub struct Details {
    pub title: String,
    pub kind: String,
    pub project: String,
    pub office: i64,
    pub country: String,
    pub institution: String,
    pub start_on: String,
    pub end_on: String,
    pub status: String,
    pub female: String,
    pub male: String,
    pub other: String,
    pub description: String,
}

#[derive(Template)]
#[template(path = "community/capacity_manage.html")]
pub struct ManagePage {
    pub tr: Tr,
    pub lang_links: Vec<LangLink>,
    pub nav: Option<Nav>,
    pub title: String,
    pub csrf: String,
    pub errors: Vec<String>,
    pub id: Option<i64>,
    pub version: i64,
    pub details: Details,
    pub offices: Vec<(i64, String)>,
    pub kinds: Vec<(String, String)>,
    pub statuses: Vec<(String, String)>,
    pub sexes: Vec<(String, String)>,
    pub participants: Vec<ListedParticipant>,
    pub outputs: Vec<OutputView>,
    pub expenses: Vec<ExpenseView>,
    pub today: String,
}

fn details_of(a: &CapacityActivity) -> Details {
    let l = &a.line;
    Details {
        title: l.title.clone(),
        kind: l.kind.clone(),
        project: l.project_code.clone(),
        office: l.office_id,
        country: l.country.clone(),
        institution: l.institution.clone(),
        start_on: l.start_on.clone().unwrap_or_default(),
        end_on: l.end_on.clone().unwrap_or_default(),
        status: l.status.clone(),
        female: l.female.to_string(),
        male: l.male.to_string(),
        other: l.other.to_string(),
        description: l.description.clone(),
    }
}

fn typed(f: &Fields) -> Details {
    Details {
        title: f.get("title").to_owned(),
        kind: f.get("kind").to_owned(),
        project: f.get("project").to_owned(),
        office: f.get("office").parse().unwrap_or(0),
        country: f.get("country").to_owned(),
        institution: f.get("institution").to_owned(),
        start_on: f.get("start_on").to_owned(),
        end_on: f.get("end_on").to_owned(),
        status: f.get("status").to_owned(),
        female: f.get("female").to_owned(),
        male: f.get("male").to_owned(),
        other: f.get("other").to_owned(),
        description: f.get("description").to_owned(),
    }
}

pub(super) async fn show(
    state: &AppState,
    tr: Tr,
    uri: &Uri,
    s: &Signed,
    id: Option<i64>,
    typed_details: Option<Details>,
    errors: Vec<String>,
) -> Result<Response, PageError> {
    let auth = s.authorize::<ManageCommunity>()?;
    let store = state.store.clone();
    let (activity, offices, participants) = crate::pages::run(move || {
        let (activity, people) = match id {
            Some(id) => (
                Some(store.capacity_activity(id)?),
                store.capacity_participants(&auth, id)?,
            ),
            None => (None, vec![]),
        };
        Ok((activity, store.offices()?, people))
    })
    .await?;
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::BAD_REQUEST
    };
    let details = typed_details.unwrap_or_else(|| match &activity {
        Some(a) => details_of(a),
        None => Details {
            title: String::new(),
            kind: "training".into(),
            project: String::new(),
            office: s.principal.office_id(),
            country: String::new(),
            institution: String::new(),
            start_on: String::new(),
            end_on: String::new(),
            status: "planned".into(),
            female: "0".into(),
            male: "0".into(),
            other: "0".into(),
            description: String::new(),
        },
    });
    let title = match &activity {
        Some(a) => a.line.title.clone(),
        None => tr.t("capacity-new"),
    };
    let p = page!(ManagePage, Frame::new(tr.clone(), uri, Some(s)), title, {
        csrf: s.csrf.clone(),
        errors,
        id,
        version: activity.as_ref().map_or(0, |a| a.line.version),
        details,
        offices: offices.iter().map(|o| (o.id, o.name.clone())).collect(),
        kinds: CapacityKind::ALL.iter().map(|k| (k.code().to_owned(), tr.t(&format!("capacity-kind-{}", k.code())))).collect(),
        statuses: ActivityStatus::ALL.iter().map(|x| (x.code().to_owned(), tr.t(&format!("activity-status-{}", x.code())))).collect(),
        sexes: [Sex::Female, Sex::Male, Sex::Other, Sex::Unknown].iter().map(|x| (x.code().to_owned(), tr.t(&format!("sex-{}", x.code())))).collect(),
        participants,
        outputs: activity.as_ref().map(|a| outputs(&a.outputs)).unwrap_or_default(),
        expenses: activity.as_ref().map(|a| expenses(&a.expenses)).unwrap_or_default(),
        today: homeward_store::today().to_string(),
    });
    Ok((status, render(&p)?).into_response())
}

pub async fn new(
    State(state): State<AppState>,
    tr: Tr,
    uri: Uri,
    s: Signed,
) -> Result<Response, PageError> {
    show(&state, tr, &uri, &s, None, None, vec![]).await
}

pub async fn page(
    State(state): State<AppState>,
    tr: Tr,
    uri: Uri,
    s: Signed,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    show(&state, tr, &uri, &s, Some(id), None, vec![]).await
}

async fn save(
    state: AppState,
    tr: Tr,
    uri: Uri,
    s: Signed,
    id: Option<i64>,
    f: Fields,
) -> Result<Response, PageError> {
    let auth = s.authorize::<ManageCommunity>()?;
    let (store, actor) = (state.store.clone(), s.actor());
    let saved = super::staff::save_details(
        &state,
        &f,
        id,
        |fields| CapacityDraft::parse(|k| fields.get(k)),
        move |target, draft| store.save_capacity_activity(&auth, &actor, target, &draft),
    )
    .await?;
    match saved {
        Saved::Done(new) => Ok(Redirect::to(&format!("/capacity/{new}/manage")).into_response()),
        Saved::Again { lines, keep_typed } => {
            let typed = keep_typed.then(|| typed(&f));
            show(&state, tr, &uri, &s, id, typed, lines).await
        }
    }
}

pub async fn add(
    State(state): State<AppState>,
    tr: Tr,
    uri: Uri,
    s: Signed,
    f: Fields,
) -> Result<Response, PageError> {
    save(state, tr, uri, s, None, f).await
}

pub async fn update(
    State(state): State<AppState>,
    tr: Tr,
    uri: Uri,
    s: Signed,
    Path(id): Path<i64>,
    f: Fields,
) -> Result<Response, PageError> {
    save(state, tr, uri, s, Some(id), f).await
}

pub async fn add_participant(
    State(state): State<AppState>,
    tr: Tr,
    uri: Uri,
    s: Signed,
    Path(id): Path<i64>,
    f: Fields,
) -> Result<Response, PageError> {
    let auth = s.authorize::<ManageCommunity>()?;
    let p = match ParticipantDraft::parse(
        f.get("name"),
        f.get("sex"),
        f.get("pre_score"),
        f.get("post_score"),
    ) {
        Ok(p) => p,
        Err(errs) => {
            return show(
                &state,
                tr,
                &uri,
                &s,
                Some(id),
                None,
                super::staff::lines(&errs),
            )
            .await;
        }
    };
    let (store, actor) = (state.store.clone(), s.actor());
    super::staff::part(
        state,
        tr,
        uri,
        s,
        Level::Structural,
        id,
        "participants",
        move || store.add_capacity_participant(&auth, &actor, id, &p),
    )
    .await
}
