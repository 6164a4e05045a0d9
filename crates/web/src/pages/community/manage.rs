//! The staff side of a community project (`community.manage` over its office):
//! `GET /community/new` and `POST /community` add one; `GET /community/{id}/manage` shows
//! the forms, and `POST /community/{id}` (details, with the version read),
//! `/community/{id}/members`, `/participants` (a returnee by case number), `/outputs`,
//! `/expenses` (see `staff`) and `/pools` change it. A refusal shows the form again with what was wrong.

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
use homeward_domain::access::{ManageCommunity, ReadCases};
use homeward_domain::community::activity::{ActivityStatus, Level};
use homeward_domain::community::project::{CommunityProjectDraft, MemberCounts, SEXES};
use homeward_domain::dashboard::AgeGroup;
use homeward_store::community::{CommunityProject, Participant};

/// The details form, filled.
pub struct Details {
    pub name: String,
    pub project: String,
    pub office: i64,
    pub country: String,
    pub area: String,
    pub place: String,
    pub partner: String,
    pub start_on: String,
    pub end_on: String,
    pub status: String,
    pub description: String,
}

#[derive(Template)]
#[template(path = "community/manage.html")]
pub struct ManagePage {
    pub tr: Tr,
    pub lang_links: Vec<LangLink>,
    pub nav: Option<Nav>,
    pub title: String,
    pub csrf: String,
    pub errors: Vec<String>,
    /// None for a new project.
    pub id: Option<i64>,
    pub version: i64,
    pub details: Details,
    pub offices: Vec<(i64, String)>,
    pub statuses: Vec<(String, String)>,
    pub sexes: Vec<(String, String)>,
    /// (age label, cells of (field, value))
    pub member_rows: Vec<(String, Vec<(String, u32)>)>,
    pub participants: Vec<Participant>,
    pub reads_cases: bool,
    pub outputs: Vec<OutputView>,
    pub expenses: Vec<ExpenseView>,
    pub pools: Vec<(i64, String, String)>,
    pub today: String,
}

fn details_of(c: &CommunityProject) -> Details {
    let l = &c.line;
    Details {
        name: l.name.clone(),
        project: l.project_code.clone(),
        office: l.office_id,
        country: l.country.clone(),
        area: l.area.clone(),
        place: l.place.clone(),
        partner: l.partner.clone(),
        start_on: l.start_on.clone().unwrap_or_default(),
        end_on: l.end_on.clone().unwrap_or_default(),
        status: l.status.clone(),
        description: l.description.clone(),
    }
}

fn typed(f: &Fields) -> Details {
    Details {
        name: f.get("name").to_owned(),
        project: f.get("project").to_owned(),
        office: f.get("office").parse().unwrap_or(0),
        country: f.get("country").to_owned(),
        area: f.get("area").to_owned(),
        place: f.get("place").to_owned(),
        partner: f.get("partner").to_owned(),
        start_on: f.get("start_on").to_owned(),
        end_on: f.get("end_on").to_owned(),
        status: f.get("status").to_owned(),
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
    let read = s.authorize::<ReadCases>().ok();
    let store = state.store.clone();
    let (project, offices, participants) = crate::pages::run(move || {
        let project = match id {
            Some(id) => Some(store.community_project(id)?),
            None => None,
        };
        let participants = match (id, &read) {
            (Some(id), Some(r)) => store.community_participants(r, id)?,
            _ => vec![],
        };
        Ok((project, store.offices()?, participants))
    })
    .await?;
    if let Some(p) = &project {
        // Only the staff who may change it see its forms.
        let facts = homeward_domain::access::CaseFacts {
            owning_office: p.line.office_id,
            ..Default::default()
        };
        if !auth.covers(&facts) {
            return Err(PageError::Forbidden(tr.t("community-not-yours")));
        }
    }
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::BAD_REQUEST
    };
    let details = typed_details.unwrap_or_else(|| match &project {
        Some(p) => details_of(p),
        None => Details {
            name: String::new(),
            project: String::new(),
            office: s.principal.office_id(),
            country: String::new(),
            area: String::new(),
            place: String::new(),
            partner: String::new(),
            start_on: String::new(),
            end_on: String::new(),
            status: "planned".into(),
            description: String::new(),
        },
    });
    let members = project.as_ref().map(|p| p.members).unwrap_or_default();
    let title = match &project {
        Some(p) => p.line.name.clone(),
        None => tr.t("community-new"),
    };
    let p = page!(ManagePage, Frame::new(tr.clone(), uri, Some(s)), title, {
        csrf: s.csrf.clone(),
        errors,
        id,
        version: project.as_ref().map_or(0, |p| p.line.version),
        details,
        offices: offices.iter().map(|o| (o.id, o.name.clone())).collect(),
        statuses: ActivityStatus::ALL.iter().map(|x| (x.code().to_owned(), tr.t(&format!("activity-status-{}", x.code())))).collect(),
        sexes: SEXES.iter().map(|x| ((*x).to_owned(), tr.t(&format!("sex-{x}")))).collect(),
        member_rows: AgeGroup::ALL.iter().enumerate().map(|(ai, a)| (
            a.label().to_owned(),
            SEXES.iter().enumerate().map(|(si, sx)| (MemberCounts::field(sx, *a), members.get(si, ai))).collect(),
        )).collect(),
        participants,
        reads_cases: s.authorize::<ReadCases>().is_ok(),
        outputs: project.as_ref().map(|p| outputs(&p.outputs)).unwrap_or_default(),
        expenses: project.as_ref().map(|p| expenses(&p.expenses)).unwrap_or_default(),
        pools: project.as_ref().map(|p| p.pools.iter().map(|x| (x.id, x.name.clone(), x.office_name.clone())).collect()).unwrap_or_default(),
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
        |fields| CommunityProjectDraft::parse(|k| fields.get(k)),
        move |target, draft| store.save_community_project(&auth, &actor, target, &draft),
    )
    .await?;
    match saved {
        Saved::Done(new) => Ok(Redirect::to(&format!("/community/{new}/manage")).into_response()),
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

pub async fn members(
    State(state): State<AppState>,
    tr: Tr,
    uri: Uri,
    s: Signed,
    Path(id): Path<i64>,
    f: Fields,
) -> Result<Response, PageError> {
    let auth = s.authorize::<ManageCommunity>()?;
    let counts = match MemberCounts::parse(|k| f.get(k)) {
        Ok(c) => c,
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
        Level::Community,
        id,
        "members",
        move || store.set_community_members(&auth, &actor, id, &counts),
    )
    .await
}

pub async fn participants(
    State(state): State<AppState>,
    tr: Tr,
    uri: Uri,
    s: Signed,
    Path(id): Path<i64>,
    f: Fields,
) -> Result<Response, PageError> {
    let auth = s.authorize::<ManageCommunity>()?;
    let read = s.authorize::<ReadCases>()?;
    let today = homeward_store::today();
    let joined = match f.get("joined_on").trim() {
        "" => today,
        t => match t.parse::<homeward_domain::date::Ymd>() {
            Ok(d) if d <= today => d,
            _ => {
                return show(
                    &state,
                    tr,
                    &uri,
                    &s,
                    Some(id),
                    None,
                    vec![format!("joined_on: {t:?} is not a date up to today")],
                )
                .await;
            }
        },
    };
    let reference = f.get("case").to_owned();
    let (store, actor) = (state.store.clone(), s.actor());
    super::staff::part(
        state,
        tr,
        uri,
        s,
        Level::Community,
        id,
        "participants",
        move || store.add_community_participant(&auth, &read, &actor, id, &reference, joined),
    )
    .await
}

pub async fn add_pool(
    State(state): State<AppState>,
    tr: Tr,
    uri: Uri,
    s: Signed,
    Path(id): Path<i64>,
    f: Fields,
) -> Result<Response, PageError> {
    let auth = s.authorize::<ManageCommunity>()?;
    let currency = match f
        .get("currency")
        .trim()
        .parse::<homeward_domain::CurrencyCode>()
    {
        Ok(c) => c,
        Err(e) => {
            return show(
                &state,
                tr,
                &uri,
                &s,
                Some(id),
                None,
                vec![format!("currency: {e}")],
            )
            .await;
        }
    };
    let office = f.int("office")?;
    let name = f.get("name").to_owned();
    let (store, actor) = (state.store.clone(), s.actor());
    super::staff::part(
        state,
        tr,
        uri,
        s,
        Level::Community,
        id,
        "pools",
        move || store.add_pool(&auth, &actor, id, office, &name, currency),
    )
    .await
}

/// `POST /community/{id}/participants/{case}/remove`: unlinks a returnee.
pub async fn remove_participant(
    State(state): State<AppState>,
    tr: Tr,
    uri: Uri,
    s: Signed,
    Path((id, case)): Path<(i64, i64)>,
) -> Result<Response, PageError> {
    let auth = s.authorize::<ManageCommunity>()?;
    let (store, actor) = (state.store.clone(), s.actor());
    super::staff::part(
        state,
        tr,
        uri,
        s,
        Level::Community,
        id,
        "participants",
        move || store.remove_community_participant(&auth, &actor, id, case),
    )
    .await
}
