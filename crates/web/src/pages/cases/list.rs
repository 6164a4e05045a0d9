//! `GET /cases`: caseloads (mine, my office's, shared with my office, all I may read),
//! filtered by stage, package, vulnerability, overdue tasks and place of return, and
//! searched by case number or by a name however it is spelt; the listing is recorded in
//! the audit trail. `POST /cases/export`: the cases the user may export as CSV or XLSX,
//! with the purpose stated; sensitive columns stay empty where the user may not see them.

use crate::auth::Signed;
use crate::caseload::{Filters, PAGE, default_view, parse_filters};
use crate::form::Fields;
use crate::i18n::Tr;
use crate::pages::page;
use crate::pages::{Frame, render};
use crate::{AppState, PageError};
use askama::Template;
use axum::extract::{Query, State};
use axum::http::{Uri, header};
use axum::response::{IntoResponse, Response};
use homeward_domain::FieldError;
use homeward_domain::access::{AssignCases, ExportCases, Permission, ReadCases};
use homeward_domain::case::Vulnerability;
use homeward_domain::reintegration::stage::Stage;
use homeward_store::StoreError;
use homeward_store::cases::caseload::{CaseloadQuery, View};
use std::collections::HashMap;

pub struct CaseRow {
    pub id: i64,
    pub reference: String,
    pub name: String,
    pub place: String,
    pub package: String,
    pub owner: String,
    pub assigned: String,
    pub status: String,
    pub next_due: String,
    pub overdue: bool,
}

pub struct Opt {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

#[derive(Template)]
#[template(path = "cases/list.html")]
pub struct CasesPage {
    pub tr: Tr,
    pub lang_links: Vec<crate::pages::LangLink>,
    pub nav: Option<crate::pages::Nav>,
    pub title: String,
    pub csrf: String,
    pub rows: Vec<CaseRow>,
    pub can_write: bool,
    pub can_export: bool,
    pub views: Vec<Opt>,
    pub stages: Vec<Opt>,
    pub packages: Vec<Opt>,
    pub vulnerabilities: Vec<Opt>,
    pub q: String,
    pub place: String,
    pub overdue: bool,
    pub errors: Vec<String>,
    pub next_page: Option<String>,
    pub prev_page: Option<String>,
    /// Caseworkers of the office to assign ticked cases to, for who assigns.
    pub assign_to: Vec<Opt>,
    /// The current filters, to save under a name.
    pub filters: String,
    /// A search was just saved.
    pub saved: bool,
}

fn page_link(uri: &Uri, page: i64) -> String {
    let kept: Vec<(String, String)> = uri
        .query()
        .map(|q| {
            form_urlencoded::parse(q.as_bytes())
                .filter(|(k, _)| k != "page")
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect()
        })
        .unwrap_or_default();
    let p = page.to_string();
    crate::links::with_pairs(
        "/cases",
        kept.iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .chain([("page", p.as_str())]),
    )
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
    Query(filters): Query<Filters>,
) -> Result<Response, PageError> {
    let auth = s.authorize::<ReadCases>()?;
    let (query, mut errors) = match parse_filters(&filters, s.principal.role()) {
        Ok(q) => (q, vec![]),
        Err(errs) => (
            CaseloadQuery {
                view: default_view(s.principal.role()),
                limit: PAGE,
                ..Default::default()
            },
            errs.iter().map(|e| e.to_string()).collect(),
        ),
    };
    let sensitive = s.principal.can(Permission::Sensitive);
    let store = state.store.clone();
    let actor = s.actor();
    let q2 = query.clone();
    let assign = s.authorize::<AssignCases>().ok();
    let office = s.principal.office_id();
    let (result, assignable) = crate::pages::run(move || {
        // The packages to filter by come with the page; a refused search still offers them.
        let r = match store.caseload(&auth, &actor, &q2) {
            Err(StoreError::Conflict { field, message }) => Err((
                format!("{field}: {message}"),
                store
                    .packages()?
                    .into_iter()
                    .map(|p| (p.id, p.name))
                    .collect(),
            )),
            other => Ok(other?),
        };
        let users = match &assign {
            Some(a) => store.office_users(a, office)?,
            None => vec![],
        };
        Ok((r, users))
    })
    .await?;
    let load = match result {
        Ok(l) => l,
        Err((refused, packages)) => {
            errors.push(refused);
            homeward_store::cases::caseload::Caseload {
                lines: vec![],
                more: false,
                packages,
            }
        }
    };
    let today = homeward_store::today().to_string();
    let rows = load
        .lines
        .iter()
        .map(|c| CaseRow {
            id: c.id,
            reference: c.reference.clone(),
            // An anonymised record has no name left; the list says why it is blank.
            name: match format!("{} {}", c.given_name, c.family_name).trim() {
                "" => format!("({})", tr.t("case-anonymised-name")),
                n => n.to_owned(),
            },
            place: [c.return_place.as_str(), c.return_area.as_str()]
                .iter()
                .filter(|x| !x.is_empty())
                .copied()
                .collect::<Vec<_>>()
                .join(", "),
            package: c.package.clone().unwrap_or_default(),
            owner: c.office.clone(),
            assigned: c.assigned.clone().unwrap_or_default(),
            status: tr.t(&format!("stage-{}", c.status)),
            next_due: c.next_due.clone().unwrap_or_default(),
            overdue: c.next_due.as_deref().is_some_and(|d| d < today.as_str()),
        })
        .collect();
    let page_no = query.offset / PAGE + 1;
    let opt = |value: &str, label: String, selected: bool| Opt {
        value: value.to_owned(),
        label,
        selected,
    };
    let title = tr.t("cases-title");
    let p = page!(CasesPage, Frame::new(tr.clone(), &uri, Some(&s)), title, {
        csrf: s.csrf.clone(),
        rows: rows,
        can_write: s.principal.can(Permission::CaseWrite),
        can_export: s.principal.can(Permission::CaseExport),
        views: [View::Mine, View::Office, View::Shared, View::All].iter().map(|v| opt(v.code(), tr.t(&format!("view-{}", v.code())), *v == query.view)).collect(),
        stages: Stage::ALL.iter().map(|x| opt(x.code(), tr.t(&format!("stage-{}", x.code())), query.stage == Some(*x))).collect(),
        packages: load.packages.iter().map(|(id, name)| opt(&id.to_string(), name.clone(), query.package == Some(*id))).collect(),
        vulnerabilities: if sensitive { Vulnerability::ALL.iter().map(|x| opt(x.code(), tr.t(&format!("vuln-{}", x.code())), query.vulnerability == Some(*x))).collect() } else { vec![] },
        q: filters.q.clone(),
        place: filters.place.clone(),
        overdue: query.overdue,
        errors: errors,
        next_page: load.more.then(|| page_link(&uri, page_no + 1)),
        prev_page: (page_no > 1 && query.q.is_none()).then(|| page_link(&uri, page_no - 1)),
        assign_to: assignable.iter().map(|u| opt(&u.id.to_string(), format!("{} <{}>", u.name, u.email), false)).collect(),
        filters: super::searches::filters_of(uri.query().unwrap_or_default()),
        saved: uri.query().is_some_and(|q| q.split('&').any(|p| p == "saved=1")),
    });
    Ok(render(&p)?.into_response())
}

/// The most cases one action takes at once.
pub const MAX_PICKED: usize = 500;

/// The cases ticked in a list (`case` fields), each a case number.
pub fn picked(form: &Fields) -> Result<Vec<i64>, PageError> {
    let ids = form
        .all("case")
        .iter()
        .map(|v| v.trim().parse::<i64>())
        .collect::<Result<Vec<_>, _>>()
        .map_err(|_| {
            PageError::BadRequest(vec![FieldError::new("case", "tick cases from the list")])
        })?;
    if ids.len() > MAX_PICKED {
        return Err(PageError::BadRequest(vec![FieldError::new(
            "case",
            format!(
                "at most {MAX_PICKED} cases at once; {} were ticked",
                ids.len()
            ),
        )]));
    }
    Ok(ids)
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
    let xlsx = match form.get("format") {
        "" | "csv" => false,
        "xlsx" => true,
        other => {
            return Err(PageError::BadRequest(vec![FieldError::new(
                "format",
                format!("{other:?} is not one of: csv, xlsx"),
            )]));
        }
    };
    // The cases ticked in the list, or all the user may export when none is.
    let only = picked(&form)?;
    let store = state.store.clone();
    let actor = s.actor();
    let (cases, offices) = crate::pages::run(move || {
        Ok((
            store.export_cases(&auth, &actor, &purpose, &only)?,
            office_names(&store)?,
        ))
    })
    .await?;
    let (body, content_type, name) = if xlsx {
        (
            homeward_interop::case_list::write_xlsx(&cases, &offices)
                .map_err(PageError::Internal)?,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "homeward-cases.xlsx",
        )
    } else {
        (
            homeward_interop::case_list::write_csv(&cases, &offices)
                .map_err(PageError::Internal)?,
            "text/csv; charset=utf-8",
            "homeward-cases.csv",
        )
    };
    Ok((
        [
            (header::CONTENT_TYPE, content_type.to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        body,
    )
        .into_response())
}
