//! The staff side of a community project (`community.manage` over its office):
//! `GET /community/new` and `POST /community` add one; `GET /community/{id}/manage` shows
//! the forms, and `POST /community/{id}` (details, with the version read),
//! `/community/{id}/members`, `/participants` (a returnee by case number), `/outputs`,
//! `/expenses` (see `staff`) and `/pools` change it. A refusal shows the form again with what was wrong.

use super::activity::{Asking, Forms, Managed, Showing, Stored, lines};
use crate::PageError;
use crate::form::Fields;
use crate::i18n::Tr;
use crate::pages::page;
use crate::pages::{Frame, LangLink, Nav, render};
use askama::Template;
use axum::extract::Path;
use axum::response::{IntoResponse, Response};
use homeward_domain::access::ReadCases;
use homeward_domain::community::project::{CommunityProjectDraft, MemberCounts, SEXES};
use homeward_domain::dashboard::AgeGroup;
use homeward_store::community::projects::Participant;

#[derive(Template)]
#[template(path = "community/manage.html")]
pub struct ManagePage {
    pub tr: Tr,
    pub lang_links: Vec<LangLink>,
    pub nav: Option<Nav>,
    pub title: String,
    pub sexes: Vec<(String, String)>,
    /// (age label, cells of (field, value))
    pub member_rows: Vec<(String, Vec<(String, u32)>)>,
    pub participants: Vec<Participant>,
    pub reads_cases: bool,
    pub pools: Vec<(i64, String, String)>,
    /// What both kinds of activity show the same way.
    pub forms: Forms,
}

/// `POST /community/{id}/members`: the community members taking part, by sex and age.
pub async fn members(r: Asking, Path(id): Path<i64>, f: Fields) -> Result<Response, PageError> {
    let counts = MemberCounts::parse(|k| f.get(k)).map_err(|e| lines(&e));
    r.change::<CommunityProjects, _, _>(id, "members", counts, move |store, auth, actor, counts| {
        store.set_community_members(&auth, &actor, id, &counts)
    })
    .await
}

/// `POST /community/{id}/participants`: links a returnee by case number, from a day up to
/// today (today when empty).
pub async fn participants(
    r: Asking,
    Path(id): Path<i64>,
    f: Fields,
) -> Result<Response, PageError> {
    let read = r.s.authorize::<ReadCases>()?;
    let today = homeward_store::today();
    let joined = match f.get("joined_on").trim() {
        "" => Ok(today),
        t => match t.parse::<homeward_domain::date::Ymd>() {
            Ok(d) if d <= today => Ok(d),
            _ => Err(vec![format!("joined_on: {t:?} is not a date up to today")]),
        },
    };
    let reference = f.get("case").to_owned();
    r.change::<CommunityProjects, _, _>(
        id,
        "participants",
        joined,
        move |store, auth, actor, joined| {
            store.add_community_participant(&auth, &read, &actor, id, &reference, joined)
        },
    )
    .await
}

/// `POST /community/{id}/pools`: adds a pool of tools, run by an office, in a currency.
pub async fn add_pool(r: Asking, Path(id): Path<i64>, f: Fields) -> Result<Response, PageError> {
    let office = f.int("office")?;
    let name = f.get("name").to_owned();
    let currency = f
        .get("currency")
        .trim()
        .parse::<homeward_domain::CurrencyCode>()
        .map_err(|e| vec![format!("currency: {e}")]);
    r.change::<CommunityProjects, _, _>(
        id,
        "pools",
        currency,
        move |store, auth, actor, currency| {
            store.add_pool(&auth, &actor, id, office, &name, currency)
        },
    )
    .await
}

/// `POST /community/{id}/participants/{case}/remove`: unlinks a returnee.
pub async fn remove_participant(
    r: Asking,
    Path((id, case)): Path<(i64, i64)>,
) -> Result<Response, PageError> {
    r.change::<CommunityProjects, _, _>(
        id,
        "participants",
        Ok(case),
        move |store, auth, actor, case| store.remove_community_participant(&auth, &actor, id, case),
    )
    .await
}

/// Community projects, managed at `/community/{id}/manage`.
pub struct CommunityProjects;

impl Managed for CommunityProjects {
    type Draft = CommunityProjectDraft;

    async fn show(p: Showing<'_>) -> Result<Response, PageError> {
        let read = p.s.authorize::<ReadCases>().ok();
        let reads_cases = read.is_some();
        let (store, id) = (p.state.store.clone(), p.id);
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
        let stored = project
            .as_ref()
            .map(|x| Stored::new(&x.line, &x.outputs, &x.expenses));
        let forms = p.forms::<CommunityProjects, _>(stored, &offices, &[])?;
        let members = project.as_ref().map(|p| p.members).unwrap_or_default();
        let tr = &p.tr;
        let title = match &project {
            Some(p) => p.line.name.clone(),
            None => tr.t("community-new"),
        };
        let page = page!(ManagePage, Frame::new(tr.clone(), p.uri, Some(p.s)), title, {
            forms,
            sexes: SEXES.iter().map(|x| ((*x).to_owned(), tr.t(&format!("sex-{x}")))).collect(),
            member_rows: AgeGroup::ALL.iter().enumerate().map(|(ai, a)| (
                a.label().to_owned(),
                SEXES.iter().enumerate().map(|(si, sx)| (MemberCounts::field(sx, *a), members.get(si, ai))).collect(),
            )).collect(),
            participants,
            reads_cases,
            pools: project.as_ref().map(|p| p.pools.iter().map(|x| (x.id, x.name.clone(), x.office_name.clone())).collect()).unwrap_or_default(),
        });
        Ok((p.status(), render(&page)?).into_response())
    }
}
