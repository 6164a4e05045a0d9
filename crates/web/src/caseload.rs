//! The caseload's filters as an address holds them (`?view=office&stage=arrived&q=…`),
//! read into the store's query with each filter that is not valid named: shared by the
//! caseload page and `GET /api/v1/returnees`.

use homeward_domain::FieldError;
use homeward_domain::access::Role;
use homeward_domain::case::Vulnerability;
use homeward_domain::reintegration::stage::Stage;
use homeward_store::cases::caseload::{CaseloadQuery, View};

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

/// Cases on a page of the caseload.
pub const PAGE: i64 = 50;
