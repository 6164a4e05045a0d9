//! `GET /cases/{id}`: one case, recorded as viewed; sensitive fields only for those who
//! may see them. `POST /cases/{id}/share`, `/handover` and `/assign` change who holds it.

use super::cases::office_names;
use super::{Frame, render};
use crate::auth::Signed;
use crate::form::Fields;
use crate::i18n::Tr;
use crate::{AppState, PageError, page};
use askama::Template;
use axum::extract::{Path, State};
use axum::http::Uri;
use axum::response::{IntoResponse, Redirect, Response};
use homeward_domain::FieldError;
use homeward_domain::access::{AssignCases, ReadCases, WriteCases};
use homeward_store::cases::ShareKind;

pub struct Choice {
    pub value: i64,
    pub label: String,
}

#[derive(Template)]
#[template(path = "cases/show.html")]
pub struct CasePage {
    pub tr: Tr,
    pub lang_links: Vec<super::LangLink>,
    pub nav: Option<super::Nav>,
    pub title: String,
    pub csrf: String,
    pub id: i64,
    pub facts: Vec<(String, String)>,
    pub shares: Vec<(String, String)>,
    pub sensitive: Option<(Vec<String>, String)>,
    pub can_write: bool,
    pub can_hand_over: bool,
    pub share_to: Vec<Choice>,
    pub assign_to: Vec<Choice>,
}

pub async fn show(
    State(state): State<AppState>,
    tr: Tr,
    uri: Uri,
    s: Signed,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let read = s.authorize::<ReadCases>()?;
    let store = state.store.clone();
    let actor = s.actor();
    let (c, offices) =
        super::run(move || Ok((store.case(&read, &actor, id)?, office_names(&store)?))).await?;
    let facts = c.facts();
    let write_covers = s
        .principal
        .authorize::<WriteCases>()
        .is_ok_and(|w| w.covers(&facts));
    let assign = s
        .principal
        .authorize::<AssignCases>()
        .ok()
        .filter(|a| a.covers(&facts));
    let assignees = match assign {
        Some(a) => {
            let store = state.store.clone();
            let office = c.owning_office_id;
            super::run(move || store.office_users(&a, office)).await?
        }
        None => vec![],
    };
    let assigned = match c.assigned_user_id {
        Some(uid) => {
            let store = state.store.clone();
            super::run(move || store.user(uid))
                .await
                .map(|u| u.email)
                .unwrap_or_default()
        }
        None => tr.t("case-unassigned"),
    };
    let office = |id: i64| offices.get(&id).cloned().unwrap_or_default();
    let title = format!("{} · {} {}", c.reference, c.given_name, c.family_name);
    let p = page!(CasePage, Frame::new(tr.clone(), &uri, Some(&s)), title, {
        csrf: s.csrf.clone(),
        id: c.id,
        facts: vec![
            (tr.t("case-reference"), c.reference.clone()),
            (tr.t("field-given-name"), c.given_name.clone()),
            (tr.t("field-family-name"), c.family_name.clone()),
            (tr.t("field-sex"), tr.t(&format!("sex-{}", c.sex))),
            (tr.t("field-birth-date"), c.birth_date.clone().unwrap_or_else(|| "–".into())),
            (tr.t("field-nationality"), c.nationality.clone()),
            (tr.t("case-host-office"), office(c.host_office_id)),
            (tr.t("case-origin-office"), office(c.origin_office_id)),
            (tr.t("case-owner"), office(c.owning_office_id)),
            (tr.t("case-assigned"), assigned),
            (tr.t("case-status"), tr.t(&format!("status-{}", c.status))),
            (tr.t("case-registered"), c.created_at[..10].to_owned()),
        ],
        shares: c.shares.iter().map(|sh| (office(sh.office_id), tr.t(&format!("share-{}", sh.kind)))).collect(),
        sensitive: c.sensitive.as_ref().map(|x| (
            x.vulnerabilities.iter().map(|v| tr.t(&format!("vuln-{}", v.code()))).collect(),
            x.health_notes.clone(),
        )),
        can_write: write_covers,
        can_hand_over: write_covers && c.owning_office_id != c.origin_office_id,
        share_to: offices.iter().filter(|(oid, _)| **oid != c.owning_office_id).map(|(oid, n)| Choice { value: *oid, label: n.clone() }).collect(),
        assign_to: assignees.into_iter().map(|u| Choice { value: u.id, label: u.email }).collect(),
    });
    Ok(render(&p)?.into_response())
}

pub async fn share(
    State(state): State<AppState>,
    s: Signed,
    Path(id): Path<i64>,
    f: Fields,
) -> Result<Response, PageError> {
    let auth = s.authorize::<WriteCases>()?;
    let office = f.int("office")?;
    let kind = match f.get("kind") {
        "referral" => ShareKind::Referral,
        "shared" => ShareKind::Shared,
        other => {
            return Err(PageError::BadRequest(vec![FieldError::new(
                "kind",
                format!("{other:?} is not one of: shared, referral"),
            )]));
        }
    };
    let consent = f.get("consent") == "yes";
    let store = state.store.clone();
    let actor = s.actor();
    super::run(move || store.share_case(&auth, &actor, id, office, kind, consent)).await?;
    Ok(Redirect::to(&format!("/cases/{id}")).into_response())
}

pub async fn handover(
    State(state): State<AppState>,
    s: Signed,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let auth = s.authorize::<WriteCases>()?;
    let store = state.store.clone();
    let actor = s.actor();
    super::run(move || store.hand_over_case(&auth, &actor, id)).await?;
    Ok(Redirect::to(&format!("/cases/{id}")).into_response())
}

pub async fn assign(
    State(state): State<AppState>,
    s: Signed,
    Path(id): Path<i64>,
    f: Fields,
) -> Result<Response, PageError> {
    let auth = s.authorize::<AssignCases>()?;
    let user = f.int("user")?;
    let store = state.store.clone();
    let actor = s.actor();
    super::run(move || store.assign_case(&auth, &actor, id, user)).await?;
    Ok(Redirect::to(&format!("/cases/{id}")).into_response())
}
