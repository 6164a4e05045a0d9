//! `POST /cases/bulk`: one action on the cases ticked in a list: assign them to a
//! caseworker of the office (who assigns), or hand them over to their origin office
//! (who writes them). Each case is done on its own, under the same rules, versions and
//! audit as on its page; the page that follows says which were done and why the others
//! were not. (Export of the ticked cases goes to `POST /cases/export`.)

use super::list::picked;
use crate::auth::Signed;
use crate::form::Fields;
use crate::i18n::Tr;
use crate::pages::page;
use crate::pages::{Frame, LangLink, Nav, render};
use crate::{AppState, PageError};
use askama::Template;
use axum::extract::State;
use axum::http::Uri;
use axum::response::Html;
use homeward_domain::FieldError;
use homeward_domain::access::{AssignCases, ReadCases, WriteCases};
use homeward_store::StoreError;
use homeward_store::cases::handover::HandTo;
use homeward_store::cases::registration::reference_of as reference;

#[derive(Template)]
#[template(path = "cases/bulk.html")]
pub struct BulkPage {
    pub tr: Tr,
    pub lang_links: Vec<LangLink>,
    pub nav: Option<Nav>,
    pub title: String,
    /// What was done, in words.
    pub what: String,
    /// The cases done: id and reference.
    pub done: Vec<(i64, String)>,
    /// The cases not done: id, reference, why.
    pub refused: Vec<(i64, String, String)>,
}

pub async fn run(
    State(state): State<AppState>,
    tr: Tr,
    uri: Uri,
    s: Signed,
    f: Fields,
) -> Result<Html<String>, PageError> {
    let ids = picked(&f)?;
    if ids.is_empty() {
        return Err(PageError::BadRequest(vec![FieldError::new(
            "case",
            "tick the cases to act on",
        )]));
    }
    let read = s.authorize::<ReadCases>()?;
    let (store, actor) = (state.store.clone(), s.actor());
    // One case's change, from its current version.
    type Change = Box<dyn Fn(&homeward_store::Store, i64, i64) -> Result<(), StoreError> + Send>;
    let (what, change): (String, Change) = match f.get("do") {
        "assign" => {
            let auth = s.authorize::<AssignCases>()?;
            let user = f.int("user")?;
            let a = actor.clone();
            (
                tr.t("bulk-assigned"),
                Box::new(move |st, id, v| st.assign_case(&auth, &a, id, v, user)),
            )
        }
        "handover" => {
            let auth = s.authorize::<WriteCases>()?;
            let a = actor.clone();
            (
                tr.t("bulk-handed-over"),
                Box::new(move |st, id, v| {
                    st.hand_over_case(&auth, &a, id, v, HandTo::Origin, None)
                }),
            )
        }
        other => {
            return Err(PageError::BadRequest(vec![FieldError::new(
                "do",
                format!("{other:?} is not one of: assign, handover"),
            )]));
        }
    };
    let outcomes = crate::blocking(move || {
        ids.into_iter()
            .map(|id| {
                let r = store
                    .case_version(&read, id)
                    .and_then(|v| change(&store, id, v));
                (id, r)
            })
            .collect::<Vec<_>>()
    })
    .await?;
    let mut done = vec![];
    let mut refused = vec![];
    for (id, r) in outcomes {
        match r {
            Ok(()) => done.push((id, reference(id))),
            Err(StoreError::Conflict { message, .. }) => refused.push((id, reference(id), message)),
            Err(StoreError::NotFound(_) | StoreError::Forbidden(_)) => {
                refused.push((id, reference(id), tr.t("bulk-out-of-reach")))
            }
            Err(StoreError::Stale(m)) => refused.push((id, reference(id), m)),
            Err(e) => return Err(e.into()),
        }
    }
    if !done.is_empty() {
        state.waiting.forget(s.principal.user_id());
    }
    let title = tr.t("bulk-title");
    let p = page!(BulkPage, Frame::new(tr, &uri, Some(&s)), title, {
        what,
        done,
        refused,
    });
    render(&p)
}
