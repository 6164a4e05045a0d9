//! `GET /my-work`: where a caseworker or office manager starts the day. The cases they
//! carry, each with its next step one click away; cases in their office waiting for a
//! caseworker (for who assigns); plans waiting for a decision (for who approves); tasks
//! due this week or overdue; referrals partners answered lately.

use crate::auth::Signed;
use crate::i18n::Tr;
use crate::pages::page;
use crate::pages::{Frame, LangLink, Nav, render};
use crate::{AppState, PageError};
use askama::Template;
use axum::extract::State;
use axum::http::Uri;
use axum::response::Html;
use homeward_domain::access::{ApproveCases, AssignCases, ReadCases};
use homeward_domain::reintegration::stage::Stage;
use homeward_store::cases::work::{About, MyWork, WorkCase};

/// One line of a list: what to open, who it is about, and what to do.
pub struct Item {
    pub href: String,
    pub reference: String,
    pub name: String,
    /// What to do, or what happened.
    pub what: String,
    /// A date beside it (a task's due day, an answer's day), and whether it is late.
    pub when: String,
    pub late: bool,
}

#[derive(Template)]
#[template(path = "cases/my_work.html")]
pub struct MyWorkPage {
    pub tr: Tr,
    pub lang_links: Vec<LangLink>,
    pub nav: Option<Nav>,
    pub title: String,
    pub tasks: Vec<Item>,
    pub to_decide: Option<Vec<Item>>,
    pub unassigned: Option<Vec<Item>>,
    pub answered: Vec<Item>,
    pub assigned: Vec<Item>,
    /// The person's saved searches of the caseload.
    pub searches: Vec<homeward_store::cases::searches::SavedSearch>,
    pub csrf: String,
    /// May register a returnee (the day often starts with one).
    pub can_register: bool,
}

fn case_item(tr: &Tr, c: &WorkCase, today: &str) -> Item {
    let step = c.status.parse::<Stage>().ok().and_then(Stage::next_step);
    Item {
        href: format!(
            "/cases/{}#{}",
            c.id,
            step.map_or("stage", super::step_anchor)
        ),
        reference: c.reference.clone(),
        name: format!("{} {}", c.given_name, c.family_name),
        what: step.map_or_else(String::new, |s| tr.t(&format!("next-{}", s.code()))),
        when: c.next_due.clone().unwrap_or_default(),
        late: c.next_due.as_deref().is_some_and(|d| d < today),
    }
}

/// An item about a case, opening it at `anchor`.
fn about(a: &About, anchor: &str) -> Item {
    Item {
        href: format!("/cases/{}#{anchor}", a.case_id),
        reference: a.reference.clone(),
        name: format!("{} {}", a.given_name, a.family_name),
        what: String::new(),
        when: String::new(),
        late: false,
    }
}

/// The lists of `w` as the page shows them.
pub fn items(tr: &Tr, w: &MyWork, today: &str) -> [Vec<Item>; 5] {
    let cases = |list: &[WorkCase]| list.iter().map(|c| case_item(tr, c, today)).collect();
    let assign = |list: &[WorkCase]| {
        list.iter()
            .map(|c| Item {
                href: format!("/cases/{}#offices", c.id),
                what: tr.t("work-assign"),
                ..case_item(tr, c, today)
            })
            .collect()
    };
    [
        w.tasks
            .iter()
            .map(|t| Item {
                what: t.title.clone(),
                when: t.due_on.clone(),
                late: t.due_on.as_str() < today,
                ..about(&t.about, "tasks")
            })
            .collect(),
        cases(&w.to_decide),
        assign(&w.unassigned),
        w.answered
            .iter()
            .map(|r| Item {
                what: format!(
                    "{} · {}: {}",
                    r.partner,
                    r.service,
                    tr.t(&format!("referral-{}", r.status))
                ),
                when: r.updated_at.get(..10).unwrap_or(&r.updated_at).to_owned(),
                ..about(&r.about, "referrals")
            })
            .collect(),
        cases(&w.assigned),
    ]
}

pub async fn show(
    State(state): State<AppState>,
    tr: Tr,
    uri: Uri,
    s: Signed,
) -> Result<Html<String>, PageError> {
    let read = s.authorize::<ReadCases>()?;
    let assign = s.authorize::<AssignCases>().ok();
    let approve = s.authorize::<ApproveCases>().ok();
    let (may_assign, may_approve) = (assign.is_some(), approve.is_some());
    let store = state.store.clone();
    let today = homeward_store::today();
    let user = s.principal.user_id();
    let (w, searches) = crate::pages::run(move || {
        Ok((
            store.my_work(&read, assign.as_ref(), approve.as_ref(), today)?,
            store.saved_searches(user)?,
        ))
    })
    .await?;
    let [tasks, to_decide, unassigned, answered, assigned] = items(&tr, &w, &today.to_string());
    let title = tr.t("work-mine");
    let p = page!(MyWorkPage, Frame::new(tr, &uri, Some(&s)), title, {
        tasks,
        to_decide: may_approve.then_some(to_decide),
        unassigned: may_assign.then_some(unassigned),
        answered,
        assigned,
        searches,
        csrf: s.csrf.clone(),
        can_register: s.principal.can(homeward_domain::access::Permission::CaseWrite),
    });
    render(&p)
}
