//! `GET /cases`: the cases the user may read, with names (the listing is recorded in the
//! audit trail). `POST /cases/export`: a CSV of the cases the user may export, with the
//! purpose stated; sensitive columns stay empty where the user may not see them.

use super::{Frame, render};
use crate::auth::Signed;
use crate::form::Fields;
use crate::i18n::Tr;
use crate::{AppState, PageError, page};
use askama::Template;
use axum::extract::State;
use axum::http::{Uri, header};
use axum::response::{IntoResponse, Response};
use homeward_domain::FieldError;
use homeward_domain::access::{ExportCases, Permission, ReadCases};
use homeward_store::StoreError;
use homeward_store::cases::CaseView;
use std::collections::HashMap;

pub struct CaseRow {
    pub id: i64,
    pub reference: String,
    pub name: String,
    pub nationality: String,
    pub owner: String,
    pub status: String,
}

#[derive(Template)]
#[template(path = "cases/list.html")]
pub struct CasesPage {
    pub tr: Tr,
    pub lang_links: Vec<super::LangLink>,
    pub nav: Option<super::Nav>,
    pub title: String,
    pub csrf: String,
    pub rows: Vec<CaseRow>,
    pub can_write: bool,
    pub can_export: bool,
}

pub fn office_names(store: &homeward_store::Store) -> Result<HashMap<i64, String>, StoreError> {
    Ok(store
        .offices()?
        .into_iter()
        .map(|o| (o.id, o.name))
        .collect())
}

pub async fn list(
    State(state): State<AppState>,
    tr: Tr,
    uri: Uri,
    s: Signed,
) -> Result<Response, PageError> {
    let auth = s.authorize::<ReadCases>()?;
    let store = state.store.clone();
    let actor = s.actor();
    let (cases, offices) =
        super::run(move || Ok((store.cases(&auth, &actor, 200)?, office_names(&store)?))).await?;
    let rows = cases
        .into_iter()
        .map(|c| CaseRow {
            id: c.id,
            name: format!("{} {}", c.given_name, c.family_name),
            nationality: c.nationality,
            owner: offices
                .get(&c.owning_office_id)
                .cloned()
                .unwrap_or_default(),
            status: tr.t(&format!("status-{}", c.status)),
            reference: c.reference,
        })
        .collect();
    let title = tr.t("cases-title");
    let p = page!(CasesPage, Frame::new(tr, &uri, Some(&s)), title, {
        csrf: s.csrf.clone(),
        rows: rows,
        can_write: s.principal.can(Permission::CaseWrite),
        can_export: s.principal.can(Permission::CaseExport),
    });
    Ok(render(&p)?.into_response())
}

fn csv_rows(cases: &[CaseView], offices: &HashMap<i64, String>) -> Result<Vec<u8>, String> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let header = [
        "reference",
        "given_name",
        "family_name",
        "sex",
        "birth_date",
        "nationality",
        "owning_office",
        "status",
        "vulnerabilities",
        "health_notes",
    ];
    w.write_record(header).map_err(|e| e.to_string())?;
    for c in cases {
        let (vuln, health) = match &c.sensitive {
            Some(s) => (
                s.vulnerabilities
                    .iter()
                    .map(|v| v.code())
                    .collect::<Vec<_>>()
                    .join(";"),
                s.health_notes.clone(),
            ),
            None => (String::new(), String::new()),
        };
        let owner = offices
            .get(&c.owning_office_id)
            .cloned()
            .unwrap_or_default();
        let row = [
            c.reference.as_str(),
            &c.given_name,
            &c.family_name,
            &c.sex,
            c.birth_date.as_deref().unwrap_or(""),
            &c.nationality,
            &owner,
            &c.status,
            &vuln,
            &health,
        ];
        // Cells a spreadsheet would run as formulas get a leading quote.
        let guarded: Vec<String> = row
            .iter()
            .map(|v| homeward_interop::table::guard((*v).to_owned()))
            .collect();
        w.write_record(&guarded).map_err(|e| e.to_string())?;
    }
    w.into_inner().map_err(|e| e.to_string())
}

pub async fn export(
    State(state): State<AppState>,
    s: Signed,
    form: Fields,
) -> Result<Response, PageError> {
    let auth = s.authorize::<ExportCases>()?;
    let purpose = form.get("purpose").to_owned();
    if purpose.trim().chars().count() < 5 {
        return Err(PageError::BadRequest(vec![FieldError::new(
            "purpose",
            "say what the export is for (at least 5 characters)",
        )]));
    }
    let store = state.store.clone();
    let actor = s.actor();
    let (cases, offices) = super::run(move || {
        Ok((
            store.export_cases(&auth, &actor, &purpose)?,
            office_names(&store)?,
        ))
    })
    .await?;
    let body = csv_rows(&cases, &offices)?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"homeward-cases.csv\"",
            ),
        ],
        body,
    )
        .into_response())
}
