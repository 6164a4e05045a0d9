//! `GET /cases`: caseloads (mine, my office's, shared with my office, all I may read),
//! filtered by stage, package, vulnerability, overdue tasks and place of return, and
//! searched by case number or by a name however it is spelt; the listing is recorded in
//! the audit trail. `POST /cases/export`: the cases the user may export as CSV or XLSX,
//! with the purpose stated; sensitive columns stay empty where the user may not see them.

use super::{Frame, render};
use crate::auth::Signed;
use crate::form::Fields;
use crate::i18n::Tr;
use crate::{AppState, PageError, page};
use askama::Template;
use axum::extract::{Query, State};
use axum::http::{Uri, header};
use axum::response::{IntoResponse, Response};
use homeward_domain::FieldError;
use homeward_domain::access::{ExportCases, Permission, ReadCases, Role};
use homeward_domain::case::Vulnerability;
use homeward_domain::reintegration::stage::Stage;
use homeward_store::StoreError;
use homeward_store::caseload::{CaseloadQuery, View};
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
    pub lang_links: Vec<super::LangLink>,
    pub nav: Option<super::Nav>,
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
}

/// The filters as the address bar holds them.
#[derive(Debug, Default, serde::Deserialize)]
pub struct Filters {
    #[serde(default)]
    pub view: String,
    #[serde(default)]
    pub stage: String,
    #[serde(default)]
    pub package: String,
    #[serde(default)]
    pub vulnerability: String,
    #[serde(default)]
    pub overdue: String,
    #[serde(default)]
    pub place: String,
    #[serde(default)]
    pub q: String,
    #[serde(default)]
    pub page: String,
}

/// The list a role starts on: a caseworker their own cases, a partner what was
/// referred to them, others their office's.
pub fn default_view(role: Role) -> View {
    match role {
        Role::Caseworker => View::Mine,
        Role::Partner => View::Shared,
        _ => View::Office,
    }
}

/// Reads the filters, naming each one that is not valid.
pub fn parse_filters(f: &Filters, role: Role) -> Result<CaseloadQuery, Vec<FieldError>> {
    let mut errs = vec![];
    let view = match f.view.as_str() {
        "" => default_view(role),
        v => View::parse(v).unwrap_or_else(|| {
            errs.push(FieldError::new(
                "view",
                "is one of mine, office, shared, all",
            ));
            View::All
        }),
    };
    let stage = match f.stage.as_str() {
        "" => None,
        s => s
            .parse::<Stage>()
            .map_err(|e| errs.push(FieldError::new("stage", e)))
            .ok(),
    };
    let package = match f.package.as_str() {
        "" => None,
        p => p
            .parse::<i64>()
            .map_err(|_| errs.push(FieldError::new("package", "choose a package")))
            .ok(),
    };
    let vulnerability = match f.vulnerability.as_str() {
        "" => None,
        v => v
            .parse::<Vulnerability>()
            .map_err(|e| errs.push(FieldError::new("vulnerability", e)))
            .ok(),
    };
    let page = match f.page.as_str() {
        "" => 1,
        p => p
            .parse::<i64>()
            .ok()
            .filter(|p| (1..=10_000).contains(p))
            .unwrap_or_else(|| {
                errs.push(FieldError::new("page", "must be a page number from 1"));
                1
            }),
    };
    let overdue = match f.overdue.as_str() {
        "" | "no" | "0" | "false" => false,
        "yes" | "1" | "true" | "on" => true,
        _ => {
            errs.push(FieldError::new("overdue", "is yes or no"));
            false
        }
    };
    if f.q.chars().count() > 200 || f.place.chars().count() > 100 {
        errs.push(FieldError::new("q", "is too long"));
    }
    if !errs.is_empty() {
        return Err(errs);
    }
    Ok(CaseloadQuery {
        view,
        stage,
        package,
        vulnerability,
        overdue,
        place: Some(f.place.clone()).filter(|p| !p.trim().is_empty()),
        q: Some(f.q.clone()).filter(|q| !q.trim().is_empty()),
        offset: (page - 1) * PAGE,
        limit: PAGE,
    })
}

const PAGE: i64 = 50;

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
    let (result, packages) = super::run(move || {
        let r = store.caseload(&auth, &actor, &q2);
        Ok((r, store.packages()?))
    })
    .await?;
    let load = match result {
        Ok(l) => l,
        Err(StoreError::Conflict { field, message }) => {
            errors.push(format!("{field}: {message}"));
            homeward_store::caseload::Caseload {
                lines: vec![],
                more: false,
            }
        }
        Err(e) => return Err(e.into()),
    };
    let today = homeward_store::today().to_string();
    let rows = load
        .lines
        .iter()
        .map(|c| CaseRow {
            id: c.id,
            reference: c.reference.clone(),
            name: format!("{} {}", c.given_name, c.family_name),
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
        packages: packages.iter().map(|p| opt(&p.id.to_string(), p.name.clone(), query.package == Some(p.id))).collect(),
        vulnerabilities: if sensitive { Vulnerability::ALL.iter().map(|x| opt(x.code(), tr.t(&format!("vuln-{}", x.code())), query.vulnerability == Some(*x))).collect() } else { vec![] },
        q: filters.q.clone(),
        place: filters.place.clone(),
        overdue: query.overdue,
        errors: errors,
        next_page: load.more.then(|| page_link(&uri, page_no + 1)),
        prev_page: (page_no > 1 && query.q.is_none()).then(|| page_link(&uri, page_no - 1)),
    });
    Ok(render(&p)?.into_response())
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
    let store = state.store.clone();
    let actor = s.actor();
    let (cases, offices) = super::run(move || {
        Ok((
            store.export_cases(&auth, &actor, &purpose)?,
            office_names(&store)?,
        ))
    })
    .await?;
    let (body, content_type, name) = if xlsx {
        (
            homeward_interop::case_list::write_xlsx(&cases, &offices)?,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "homeward-cases.xlsx",
        )
    } else {
        (
            homeward_interop::case_list::write_csv(&cases, &offices)?,
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
