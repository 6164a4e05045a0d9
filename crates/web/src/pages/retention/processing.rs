//! `GET /admin/processing` and `GET /admin/processing.md`: the record of processing a data
//! protection officer keeps, generated from the installation as it stands (purposes,
//! categories of data, recipients, retention per office, where the data is stored, who
//! holds which permission), as a page and as Markdown to file with the organisation's own.

use crate::auth::Signed;
use crate::i18n::{FluentArg, Tr};
use crate::pages::page;
use crate::pages::{Frame, LangLink, Nav, render};
use crate::{AppState, PageError};
use askama::Template;
use axum::extract::State;
use axum::http::{Uri, header};
use axum::response::{IntoResponse, Response};
use homeward_domain::access::{ManageRetention, Permission};
use homeward_domain::reintegration::consent::Purpose;
use homeward_domain::reintegration::documents::DocumentKind;
use homeward_store::Backend;
use homeward_store::retention::processing::Processing;

/// One part of the record: its heading, sentences or items, and a table.
pub struct Part {
    pub id: &'static str,
    pub title: String,
    pub items: Vec<String>,
    pub head: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

#[derive(Template)]
#[template(path = "retention/processing.html")]
pub struct ProcessingPage {
    pub tr: Tr,
    pub lang_links: Vec<LangLink>,
    pub nav: Option<Nav>,
    pub title: String,
    pub parts: Vec<Part>,
}

fn part(id: &'static str, title: String, items: Vec<String>) -> Part {
    Part {
        id,
        title,
        items,
        head: vec![],
        rows: vec![],
    }
}

fn num(n: i64) -> FluentArg {
    FluentArg::Num(n)
}

/// The record, in the reader's language where Homeward has words for it (permissions,
/// purposes and kinds of document read as their codes' labels).
fn record(tr: &Tr, p: &Processing) -> Vec<Part> {
    let stored = match p.backend {
        Backend::Sqlite if p.encrypted => tr.t("processing-stored-sqlite-encrypted"),
        Backend::Sqlite => tr.t("processing-stored-sqlite"),
        Backend::Postgres => tr.t("processing-stored-postgres"),
    };
    let mut parts = vec![part(
        "system",
        tr.t("processing-system"),
        vec![
            tr.t("processing-system-what"),
            stored,
            tr.ta(
                "processing-volume",
                &[
                    ("returnees", num(p.returnees)),
                    ("cases", num(p.cases)),
                    ("anonymised", num(p.anonymised)),
                ],
            ),
            tr.ta(
                "processing-generated",
                &[("on", FluentArg::Str(homeward_store::today().to_string()))],
            ),
        ],
    )];
    let mut purposes: Vec<String> = Purpose::ALL
        .iter()
        .map(|x| {
            format!(
                "{} ({})",
                tr.t(&format!("purpose-{}", x.code())),
                tr.t("processing-on-consent")
            )
        })
        .collect();
    purposes.push(tr.t("processing-purpose-monitoring"));
    purposes.push(tr.t("processing-purpose-accountability"));
    parts.push(part("purposes", tr.t("processing-purposes"), purposes));
    let documents: Vec<String> = DocumentKind::ALL
        .iter()
        .map(|k| tr.t(&format!("document-{}", k.code())))
        .collect();
    parts.push(part(
        "categories",
        tr.t("processing-categories"),
        vec![
            tr.t("processing-category-identity"),
            tr.t("processing-category-contact"),
            tr.t("processing-category-sensitive"),
            tr.t("processing-category-household"),
            tr.t("processing-category-assistance"),
            tr.t("processing-category-surveys"),
            tr.ta(
                "processing-category-documents",
                &[("kinds", FluentArg::Str(documents.join(", ")))],
            ),
            tr.t("processing-category-staff"),
        ],
    ));
    let mut recipients = part(
        "recipients",
        tr.t("processing-recipients"),
        vec![tr.t("processing-recipients-note")],
    );
    recipients.head = vec![
        tr.t("retention-office"),
        tr.t("field-country"),
        tr.t("field-kind"),
        tr.t("processing-received"),
        tr.t("processing-referrals"),
    ];
    recipients.rows = p
        .offices
        .iter()
        .map(|o| {
            vec![
                o.name.clone(),
                o.country.clone(),
                tr.t(&format!("office-kind-{}", o.kind)),
                o.received.to_string(),
                o.referrals.to_string(),
            ]
        })
        .collect();
    parts.push(recipients);
    let mut retention = part(
        "retention",
        tr.t("processing-retention"),
        vec![tr.t("processing-retention-note")],
    );
    retention.head = vec![tr.t("retention-office"), tr.t("retention-years")];
    retention.rows = p
        .offices
        .iter()
        .map(|o| vec![o.name.clone(), o.years.to_string()])
        .collect();
    parts.push(retention);
    let mut access = part(
        "access",
        tr.t("processing-access"),
        vec![tr.t("processing-access-note")],
    );
    access.head = vec![
        tr.t("processing-role"),
        tr.t("processing-people"),
        tr.t("processing-permissions"),
        tr.t("processing-totp"),
    ];
    access.rows = p
        .roles
        .iter()
        .map(|(r, people)| {
            let grants: Vec<String> = r
                .grants
                .iter()
                .map(|(perm, scope)| {
                    let what = tr.t(&format!("perm-{}", perm.code().replace('.', "-")));
                    if Permission::is_scoped(&perm) {
                        format!("{what} ({})", tr.t(&format!("scope-{}", scope.code())))
                    } else {
                        what
                    }
                })
                .collect();
            vec![
                tr.t(&format!("role-{}", r.role.code())),
                people.to_string(),
                grants.join("; "),
                tr.t(if r.require_totp {
                    "processing-yes"
                } else {
                    "processing-no"
                }),
            ]
        })
        .collect();
    parts.push(access);
    parts.push(part(
        "security",
        tr.t("processing-security"),
        vec![
            tr.t("processing-security-audit"),
            tr.t("processing-security-small"),
            tr.t("processing-security-signin"),
            tr.t("processing-security-anonymise"),
        ],
    ));
    parts
}

/// The record as Markdown: headings, items as a list, tables as pipe tables.
pub fn markdown(title: &str, parts: &[Part]) -> String {
    let cell = |s: &str| s.replace('|', "\\|").replace('\n', " ");
    let mut out = format!("# {title}\n");
    for p in parts {
        out.push_str(&format!("\n## {}\n\n", p.title));
        for i in &p.items {
            out.push_str(&format!("- {}\n", cell(i)));
        }
        if !p.head.is_empty() {
            out.push('\n');
            let head: Vec<String> = p.head.iter().map(|h| cell(h)).collect();
            out.push_str(&format!("| {} |\n", head.join(" | ")));
            out.push_str(&format!("|{}\n", " --- |".repeat(head.len())));
            for r in &p.rows {
                let row: Vec<String> = r.iter().map(|c| cell(c)).collect();
                out.push_str(&format!("| {} |\n", row.join(" | ")));
            }
        }
    }
    out
}

async fn facts(state: &AppState, s: &Signed) -> Result<Processing, PageError> {
    let auth = s.authorize::<ManageRetention>()?;
    let store = state.store.clone();
    crate::pages::run(move || store.processing_facts(&auth)).await
}

pub async fn show(
    State(state): State<AppState>,
    tr: Tr,
    uri: Uri,
    s: Signed,
) -> Result<Response, PageError> {
    let p = facts(&state, &s).await?;
    let parts = record(&tr, &p);
    let title = tr.t("admin-processing");
    let page = page!(ProcessingPage, Frame::new(tr, &uri, Some(&s)), title, {
        parts
    });
    Ok(render(&page)?.into_response())
}

pub async fn download(
    State(state): State<AppState>,
    tr: Tr,
    s: Signed,
) -> Result<Response, PageError> {
    let p = facts(&state, &s).await?;
    let text = markdown(&tr.t("admin-processing"), &record(&tr, &p));
    Ok((
        [
            (header::CONTENT_TYPE, "text/markdown; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"homeward-record-of-processing.md\"",
            ),
        ],
        text,
    )
        .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_keeps_tables_whole() {
        let parts = vec![Part {
            id: "x",
            title: "Retention".into(),
            items: vec!["Kept | then anonymised".into()],
            head: vec!["Office".into(), "Years".into()],
            rows: vec![vec!["IOM Tirana".into(), "5".into()]],
        }];
        let md = markdown("Record", &parts);
        assert!(md.starts_with("# Record\n\n## Retention\n\n- Kept \\| then anonymised\n"));
        assert!(
            md.contains("| Office | Years |\n| --- | --- |\n| IOM Tirana | 5 |\n"),
            "{md}"
        );
    }
}
