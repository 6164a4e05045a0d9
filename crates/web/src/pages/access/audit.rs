//! `GET /admin/audit`: the audit trail, searchable by user, record, action and period,
//! newest first; `GET /admin/audit/export` downloads the same search as CSV (and is
//! itself recorded).

use crate::auth::Signed;
use crate::i18n::Tr;
use crate::links::with_pairs;
use crate::pages::page;
use crate::pages::{Frame, LangLink, Nav, render};
use crate::{AppState, PageError};
use askama::Template;
use axum::extract::{RawQuery, State};
use axum::http::{Uri, header};
use axum::response::{IntoResponse, Response};
use homeward_domain::FieldError;
use homeward_domain::access::ReadAudit;
use homeward_domain::audit::{Action, Entry};
use homeward_domain::date::Ymd;
use homeward_store::audit::{AuditQuery, Change};

const PAGE: i64 = 100;
const EXPORT_MAX: i64 = 10_000;

#[derive(Template)]
#[template(path = "admin/audit.html")]
pub struct AuditPage {
    pub tr: Tr,
    pub lang_links: Vec<LangLink>,
    pub nav: Option<Nav>,
    pub title: String,
    pub actor: String,
    pub record_type: String,
    pub record_id: String,
    pub action: String,
    pub from: String,
    pub to: String,
    pub actions: Vec<&'static str>,
    pub entries: Vec<Entry>,
    pub older: String,
    pub export: String,
}

/// The search from the query string, every bad parameter named.
fn parse(raw: &str) -> Result<(AuditQuery, Vec<(String, String)>), PageError> {
    let pairs: Vec<(String, String)> = form_urlencoded::parse(raw.as_bytes())
        .into_owned()
        .collect();
    let get = |k: &str| {
        pairs
            .iter()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.trim().to_owned())
            .filter(|v| !v.is_empty())
    };
    let mut errs = vec![];
    let mut q = AuditQuery {
        limit: PAGE,
        ..Default::default()
    };
    q.actor = get("actor");
    q.record_type = get("record_type");
    q.record_id = get("record_id");
    if let Some(a) = get("action") {
        match a.parse::<Action>() {
            Ok(a) => q.action = Some(a),
            Err(e) => errs.push(FieldError::new("action", e)),
        }
    }
    for (k, slot) in [("from", &mut q.from), ("to", &mut q.to)] {
        if let Some(d) = get(k) {
            match d.parse::<Ymd>() {
                Ok(d) => *slot = Some(d.to_string()),
                Err(e) => errs.push(FieldError::new(k, e)),
            }
        }
    }
    if let Some(b) = get("before") {
        match b.parse::<i64>() {
            Ok(b) => q.before_seq = Some(b),
            Err(_) => errs.push(FieldError::new("before", "must be a whole number")),
        }
    }
    if errs.is_empty() {
        Ok((q, pairs))
    } else {
        Err(PageError::BadRequest(errs))
    }
}

pub async fn search(
    State(state): State<AppState>,
    tr: Tr,
    uri: Uri,
    s: Signed,
    RawQuery(raw): RawQuery,
) -> Result<Response, PageError> {
    let auth = s.authorize::<ReadAudit>()?;
    let (q, pairs) = parse(raw.as_deref().unwrap_or(""))?;
    let store = state.store.clone();
    let query = q.clone();
    let entries = crate::pages::run(move || store.audit_search(&auth, &query)).await?;
    let kept: Vec<(&str, &str)> = pairs
        .iter()
        .filter(|(k, _)| k != "before")
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let older = match entries.last() {
        Some(e) if entries.len() as i64 == PAGE => {
            let b = e.seq.to_string();
            let mut p = kept.clone();
            p.push(("before", b.as_str()));
            with_pairs("/admin/audit", p)
        }
        _ => String::new(),
    };
    let export = with_pairs("/admin/audit/export", kept.clone());
    let opt = |v: &Option<String>| v.clone().unwrap_or_default();
    let title = tr.t("admin-audit");
    let p = page!(AuditPage, Frame::new(tr, &uri, Some(&s)), title, {
        actor: opt(&q.actor),
        record_type: opt(&q.record_type),
        record_id: opt(&q.record_id),
        action: q.action.map(|a| a.code().to_owned()).unwrap_or_default(),
        from: opt(&q.from),
        to: opt(&q.to),
        actions: Action::ALL.iter().map(|a| a.code()).collect(),
        entries: entries,
        older: older,
        export: export,
    });
    Ok(render(&p)?.into_response())
}

pub async fn export(
    State(state): State<AppState>,
    s: Signed,
    RawQuery(raw): RawQuery,
) -> Result<Response, PageError> {
    let auth = s.authorize::<ReadAudit>()?;
    let (mut q, _) = parse(raw.as_deref().unwrap_or(""))?;
    q.limit = EXPORT_MAX;
    let store = state.store.clone();
    let actor = s.actor();
    let raw = raw.unwrap_or_default();
    let entries = crate::pages::run(move || {
        let entries = store.audit_search(&auth, &q)?;
        store.record(
            &actor,
            Change::new(Action::Export, "audit", "")
                .after(serde_json::json!({"query": raw, "count": entries.len()})),
        )?;
        Ok(entries)
    })
    .await?;
    let mut w = csv::Writer::from_writer(Vec::new());
    let fail = |e: csv::Error| PageError::Internal(e.to_string());
    w.write_record([
        "seq",
        "at",
        "actor_id",
        "actor",
        "ip",
        "action",
        "record_type",
        "record_id",
        "before",
        "after",
        "prev_hash",
        "hash",
    ])
    .map_err(fail)?;
    for e in entries {
        let row = [
            e.seq.to_string(),
            e.at,
            e.actor_id.map(|i| i.to_string()).unwrap_or_default(),
            e.actor,
            e.ip,
            e.action,
            e.record_type,
            e.record_id,
            e.before,
            e.after,
            e.prev_hash,
            e.hash,
        ];
        let guarded: Vec<String> = row
            .into_iter()
            .map(homeward_interop::table::guard)
            .collect();
        w.write_record(&guarded).map_err(fail)?;
    }
    let body = w
        .into_inner()
        .map_err(|e| PageError::Internal(e.to_string()))?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"homeward-audit.csv\"",
            ),
        ],
        body,
    )
        .into_response())
}
