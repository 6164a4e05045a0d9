//! The staff side of a capacity-building activity (`community.manage` over its office):
//! `GET /capacity/new` and `POST /capacity` add one; `GET /capacity/{id}/manage` shows
//! the forms, and `POST /capacity/{id}` (details, with the version read),
//! `/capacity/{id}/participants` (names optional, scores before and after), `/outputs` and
//! `/expenses` change it.

use super::activity::{Asking, Forms, Managed, Showing, Stored, lines};
use crate::PageError;
use crate::form::Fields;
use crate::i18n::Tr;
use crate::pages::page;
use crate::pages::{Frame, LangLink, Nav, render};
use askama::Template;
use axum::extract::Path;
use axum::response::{IntoResponse, Response};
use homeward_domain::access::ManageCommunity;
use homeward_domain::case::Sex;
use homeward_domain::community::capacity::{CapacityDraft, CapacityKind, ParticipantDraft};
use homeward_store::community::capacity::ListedParticipant;

#[derive(Template)]
#[template(path = "community/capacity_manage.html")]
pub struct ManagePage {
    pub tr: Tr,
    pub lang_links: Vec<LangLink>,
    pub nav: Option<Nav>,
    pub title: String,
    pub kinds: Vec<(String, String)>,
    pub sexes: Vec<(String, String)>,
    pub participants: Vec<ListedParticipant>,
    /// What both kinds of activity show the same way.
    pub forms: Forms,
}

/// `POST /capacity/{id}/participants`: lists a participant (name optional) with their
/// scores before and after.
pub async fn add_participant(
    r: Asking,
    Path(id): Path<i64>,
    f: Fields,
) -> Result<Response, PageError> {
    let (name, sex) = (f.get("name"), f.get("sex"));
    let p = ParticipantDraft::parse(name, sex, f.get("pre_score"), f.get("post_score"));
    r.change::<CapacityActivities, _, _>(
        id,
        "participants",
        p.map_err(|e| lines(&e)),
        move |store, auth, actor, p| store.add_capacity_participant(&auth, &actor, id, &p),
    )
    .await
}

/// Capacity-building activities, managed at `/capacity/{id}/manage`.
pub struct CapacityActivities;

impl Managed for CapacityActivities {
    type Draft = CapacityDraft;

    async fn show(p: Showing<'_>) -> Result<Response, PageError> {
        let auth = p.s.authorize::<ManageCommunity>()?;
        let (store, id) = (p.state.store.clone(), p.id);
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
        let stored = activity
            .as_ref()
            .map(|x| Stored::new(&x.line, &x.outputs, &x.expenses));
        let defaults = [
            ("kind", "training"),
            ("female", "0"),
            ("male", "0"),
            ("other", "0"),
        ];
        let forms = p.forms::<CapacityActivities, _>(stored, &offices, &defaults)?;
        let tr = &p.tr;
        let title = match &activity {
            Some(a) => a.line.title.clone(),
            None => tr.t("capacity-new"),
        };
        let page = page!(ManagePage, Frame::new(tr.clone(), p.uri, Some(p.s)), title, {
            forms,
            kinds: CapacityKind::ALL.iter().map(|k| (k.code().to_owned(), tr.t(&format!("capacity-kind-{}", k.code())))).collect(),
            sexes: [Sex::Female, Sex::Male, Sex::Other, Sex::Unknown].iter().map(|x| (x.code().to_owned(), tr.t(&format!("sex-{}", x.code())))).collect(),
            participants,
        });
        Ok((p.status(), render(&page)?).into_response())
    }
}
