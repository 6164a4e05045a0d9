//! `GET /notifications`: what happened on cases that the person must act on or know
//! (hand-overs, assignments, plans submitted and decided, exceptions asked, referrals
//! answered, tasks overdue), newest first, unread ones marked, each one click from the
//! place on the case where they act; with the person's email choice for each kind.
//! `POST /notifications/read` marks them all read; `POST /notifications/email` saves the
//! email choices.

use crate::auth::Signed;
use crate::form::Fields;
use crate::i18n::Tr;
use crate::pages::page;
use crate::pages::{Frame, LangLink, Nav, render};
use crate::{AppState, PageError};
use askama::Template;
use axum::extract::{Query, State};
use axum::http::Uri;
use axum::response::{Html, IntoResponse, Redirect, Response};
use homeward_domain::access::ReadCases;
use homeward_domain::reintegration::notifications::{EmailChoice, EmailChoices};
use homeward_store::cases::notifications::NotificationRow;
use serde::Deserialize;

/// One notification as the page lists it.
pub struct Line {
    pub href: String,
    pub reference: String,
    pub name: String,
    pub what: String,
    pub detail: String,
    pub by: String,
    pub at: String,
    pub unread: bool,
}

/// A kind with the email choices offered for it.
pub struct ChoiceRow {
    pub code: &'static str,
    pub label: String,
    pub options: Vec<crate::pages::Choice>,
}

#[derive(Template)]
#[template(path = "cases/notifications.html")]
pub struct NotificationsPage {
    pub tr: Tr,
    pub lang_links: Vec<LangLink>,
    pub nav: Option<Nav>,
    pub title: String,
    pub csrf: String,
    pub lines: Vec<Line>,
    pub unread: i64,
    pub choices: Vec<ChoiceRow>,
    /// Whether this server sends email at all.
    pub mail_on: bool,
    /// What was just saved, said back.
    pub done: Option<String>,
}

/// A notification as the reader's words: what happened, in their language.
pub fn line(tr: &Tr, n: &NotificationRow) -> Line {
    let kind = n.kind();
    Line {
        href: format!(
            "/cases/{}#{}",
            n.about.case_id,
            kind.map_or("timeline", |k| k.anchor())
        ),
        reference: n.about.reference.clone(),
        name: format!("{} {}", n.about.given_name, n.about.family_name),
        what: tr.t(&format!("notify-{}", n.kind)),
        detail: crate::mail::compose::detail(tr, &n.kind, &n.detail),
        by: n.by.clone().unwrap_or_default(),
        at: n
            .created_at
            .get(..16)
            .unwrap_or(&n.created_at)
            .replace('T', " "),
        unread: n.read_at.is_none(),
    }
}

#[derive(Deserialize)]
pub struct Shown {
    #[serde(default)]
    done: Option<String>,
}

pub async fn show(
    State(state): State<AppState>,
    tr: Tr,
    uri: Uri,
    s: Signed,
    Query(q): Query<Shown>,
) -> Result<Html<String>, PageError> {
    let read = s.authorize::<ReadCases>()?;
    let store = state.store.clone();
    let user = s.principal.user_id();
    let ((rows, unread), mine) =
        crate::pages::run(move || Ok((store.notifications(&read)?, store.email_choices(user)?)))
            .await?;
    let lines: Vec<Line> = rows.iter().map(|n| line(&tr, n)).collect();
    let choices = mine
        .all()
        .into_iter()
        .map(|(kind, chosen)| ChoiceRow {
            code: kind.code(),
            label: tr.t(&format!("notify-{}", kind.code())),
            options: EmailChoice::ALL
                .iter()
                .map(|c| crate::pages::Choice {
                    value: c.code().to_owned(),
                    label: tr.t(&format!("email-choice-{}", c.code())),
                    selected: *c == chosen,
                })
                .collect(),
        })
        .collect();
    let done = match q.done.as_deref() {
        Some("read") => Some(tr.t("notifications-all-read")),
        Some("email") => Some(tr.t("notifications-email-saved")),
        _ => None,
    };
    let title = tr.t("notifications-title");
    let csrf = s.csrf.clone();
    let p = page!(NotificationsPage, Frame::new(tr, &uri, Some(&s)), title, {
        csrf,
        lines,
        unread,
        choices,
        mail_on: state.config.mail_server.is_some(),
        done,
    });
    render(&p)
}

/// `POST /notifications/read`: all of the person's notifications read.
pub async fn read_all(State(state): State<AppState>, s: Signed) -> Result<Response, PageError> {
    let read = s.authorize::<ReadCases>()?;
    let store = state.store.clone();
    crate::pages::run(move || store.mark_notifications_read(&read, &[])).await?;
    Ok(Redirect::to("/notifications?done=read").into_response())
}

/// `POST /notifications/email`: how the person hears of each kind by email.
pub async fn email(
    State(state): State<AppState>,
    s: Signed,
    f: Fields,
) -> Result<Response, PageError> {
    s.authorize::<ReadCases>()?;
    let choices = EmailChoices::parse(|k| f.get(k)).map_err(PageError::BadRequest)?;
    let (store, actor, user) = (state.store.clone(), s.actor(), s.principal.user_id());
    crate::pages::run(move || store.set_email_choices(&actor, user, &choices)).await?;
    Ok(Redirect::to("/notifications?done=email#email").into_response())
}
