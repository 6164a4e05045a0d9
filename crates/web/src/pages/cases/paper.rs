//! The case file on paper: `GET /cases/{id}/print` lays out what the reader may see of a
//! case (the returnee, household, consents, stage, plan, assistance, visits, notes,
//! documents, referrals, timeline) for printing or the browser's *Save as PDF*, with no
//! menu or form; recorded as a view. `GET /cases/{id}/record` is the right-of-access
//! record as a readable page for the returnee, in their language when Homeward speaks it
//! (`?lang=` to choose), across their cases; recorded as an export.

use super::show::{in_words, items, payments, person_facts, stage_dates};
use crate::auth::Signed;
use crate::i18n::{LANGUAGES, Tr, is_offered};
use crate::{AppState, PageError};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Html;
use homeward_domain::access::{ExportCases, ReadCases};
use homeward_store::cases::file::CaseFile;
use serde::Deserialize;

/// One case as paper shows it.
pub struct PaperCase {
    pub reference: String,
    pub stage: String,
    pub dates: Vec<(String, String)>,
    pub package: String,
    pub plan_state: String,
    pub plan_comment: String,
    pub items: Vec<super::show::ItemLine>,
    pub plan_total: String,
    pub given_total: String,
    pub payments: Vec<super::show::PaymentLine>,
    /// Visits and calls: day, kind, by whom, what was seen.
    pub follow_ups: Vec<(String, String, String, String)>,
    /// Notes the reader may see: kind, when, by whom, words.
    pub notes: Vec<(String, String, String, String)>,
    /// Documents: kind, name, day.
    pub documents: Vec<(String, String, String)>,
    /// Referrals: to whom, what, where it stands, its outcome.
    pub referrals: Vec<(String, String, String, String)>,
    /// The timeline: when, who, what, its facts in words.
    pub events: Vec<(String, String, String, String)>,
}

#[derive(Template)]
#[template(path = "cases/paper.html")]
pub struct PaperPage {
    pub tr: Tr,
    pub title: String,
    /// For the returnee (the right of access) rather than the office's file.
    pub for_returnee: bool,
    pub printed_at: String,
    pub by: String,
    pub person: Vec<(String, String)>,
    /// Vulnerabilities and health notes, for readers of sensitive fields.
    pub sensitive: Option<(Vec<String>, String)>,
    pub household: Vec<String>,
    pub consents: Vec<String>,
    pub cases: Vec<PaperCase>,
    /// Surveys: case, kind, day, composite score, band.
    pub surveys: Vec<(String, String, String, String, String)>,
    /// Languages to read the record in: code, name, href; for the returnee's record.
    pub languages: Vec<(String, String, String)>,
    pub json_href: String,
    /// To whom the data was given: case, office, how, since; for the returnee's record.
    pub given_to: Vec<(String, String, String, String)>,
}

fn paper_case(tr: &Tr, f: &CaseFile) -> PaperCase {
    let c = &f.case;
    PaperCase {
        reference: c.reference.clone(),
        stage: tr.t(&format!("stage-{}", c.status)),
        dates: stage_dates(tr, c),
        package: f
            .package
            .as_ref()
            .map_or_else(|| tr.t("case-no-package"), |p| p.name.clone()),
        plan_state: tr.t(&format!("plan-{}", c.plan_state)),
        plan_comment: c.plan_comment.clone(),
        items: items(tr, f),
        plan_total: f.totals.plan_usd.to_string(),
        given_total: f.totals.given_usd.to_string(),
        payments: payments(tr, f),
        follow_ups: f
            .follow_ups
            .iter()
            .map(|x| {
                let kind = tr.t(&format!("follow-up-{}", x.kind));
                (x.on_date.clone(), kind, x.by.clone(), x.notes.clone())
            })
            .collect(),
        notes: f
            .notes
            .iter()
            .map(|n| {
                let at = n.created_at.get(..10).unwrap_or(&n.created_at).to_owned();
                (
                    tr.t(&format!("note-{}", n.kind)),
                    at,
                    n.author.clone(),
                    n.text.clone(),
                )
            })
            .collect(),
        documents: f
            .documents
            .iter()
            .map(|d| {
                let on = d.created_at.get(..10).unwrap_or(&d.created_at).to_owned();
                (
                    tr.t(&format!("document-{}", d.kind)),
                    d.file_name.clone(),
                    on,
                )
            })
            .collect(),
        referrals: f
            .referrals
            .iter()
            .map(|r| {
                let status = tr.t(&format!("referral-{}", r.status));
                (
                    r.office_name.clone(),
                    r.service.clone(),
                    status,
                    r.outcome.clone(),
                )
            })
            .collect(),
        events: f
            .events
            .iter()
            .map(|e| {
                (
                    e.at.replace('T', " ").trim_end_matches('Z').to_owned(),
                    e.by.clone().unwrap_or_default(),
                    tr.t(&format!("event-{}", e.kind)),
                    in_words(tr, &e.kind, &e.detail),
                )
            })
            .collect(),
    }
}

/// The returnee's own part of the file: who they are, their household and consents.
fn person_parts(tr: &Tr, f: &CaseFile) -> PaperPage {
    let c = &f.case;
    PaperPage {
        tr: tr.clone(),
        title: String::new(),
        for_returnee: false,
        printed_at: homeward_store::utc_now()
            .replace('T', " ")
            .replace('Z', " UTC"),
        by: String::new(),
        person: person_facts(tr, c),
        sensitive: c.sensitive.as_ref().map(|x| {
            let v = x
                .vulnerabilities
                .iter()
                .map(|v| tr.t(&format!("vuln-{}", v.code())));
            (v.collect(), x.health_notes.clone())
        }),
        household: f
            .household
            .iter()
            .map(|m| {
                let rel = tr.t(&format!("relation-{}", m.member.relation.code()));
                let year = m
                    .member
                    .birth_year
                    .map(|y| format!(" · {y}"))
                    .unwrap_or_default();
                format!("{} · {rel}{year}", m.member.name)
            })
            .collect(),
        consents: f
            .consents
            .iter()
            .map(|k| {
                let what = tr.t(&format!("purpose-{}", k.consent.purpose.code()));
                match k.consent.withdrawn_on {
                    Some(w) => format!(
                        "{what} · {} → {} {w}",
                        k.consent.given_on,
                        tr.t("case-consent-withdrawn")
                    ),
                    None => format!("{what} · {}", k.consent.given_on),
                }
            })
            .collect(),
        cases: vec![],
        surveys: vec![],
        languages: vec![],
        json_href: String::new(),
        given_to: vec![],
    }
}

/// `GET /cases/{id}/print`: the case file on paper, in the reader's language.
pub async fn print(
    State(state): State<AppState>,
    tr: Tr,
    s: Signed,
    Path(id): Path<i64>,
) -> Result<Html<String>, PageError> {
    let auth = s.authorize::<ReadCases>()?;
    let (store, actor) = (state.store.clone(), s.actor());
    let f = crate::pages::run(move || store.case_file(&auth, &actor, id)).await?;
    let mut page = person_parts(&tr, &f);
    page.title = format!(
        "{} · {} · {} {}",
        tr.t("paper-title"),
        f.case.reference,
        f.case.given_name,
        f.case.family_name
    );
    page.by = s.principal.email().to_owned();
    page.cases = vec![paper_case(&tr, &f)];
    crate::pages::render(&page)
}

#[derive(Deserialize)]
pub struct RecordQuery {
    #[serde(default)]
    lang: Option<String>,
}

/// The language to give the record in: the one asked, else the first of the returnee's
/// languages that Homeward speaks, else the reader's.
fn record_language(asked: Option<&str>, spoken: &str, reader: &Tr) -> Tr {
    if let Some(l) = asked.filter(|l| is_offered(l)) {
        return Tr::new(l);
    }
    let words: Vec<String> = spoken
        .split(|c: char| !c.is_alphabetic())
        .map(str::to_lowercase)
        .collect();
    for (code, name) in LANGUAGES {
        if words.iter().any(|w| {
            w == code
                || *w == name.to_lowercase()
                || (*code == "en" && w == "english")
                || (*code == "fr" && w == "french")
        }) {
            return Tr::new(code);
        }
    }
    reader.clone()
}

/// `GET /cases/{id}/record`: the right-of-access record as a page for the returnee.
pub async fn record(
    State(state): State<AppState>,
    reader: Tr,
    s: Signed,
    Path(id): Path<i64>,
    Query(q): Query<RecordQuery>,
) -> Result<Html<String>, PageError> {
    let auth = s.authorize::<ExportCases>()?;
    let (store, actor) = (state.store.clone(), s.actor());
    let r = crate::pages::run(move || store.returnee_record_files(&auth, &actor, id)).await?;
    let first = &r.cases[0];
    let tr = record_language(q.lang.as_deref(), &first.case.details.languages, &reader);
    let mut page = person_parts(&tr, first);
    page.title = format!(
        "{} · {} {}",
        tr.t("record-title"),
        first.case.given_name,
        first.case.family_name
    );
    page.for_returnee = true;
    page.cases = r.cases.iter().map(|f| paper_case(&tr, f)).collect();
    page.surveys = r
        .surveys
        .iter()
        .map(|(case, sv)| {
            (
                case.clone(),
                tr.t(&format!("survey-kind-{}", sv.kind.code())),
                sv.taken_on.clone(),
                sv.scores
                    .composite
                    .map(|x| format!("{x:.2}"))
                    .unwrap_or_else(|| "–".into()),
                sv.band
                    .as_ref()
                    .map(|b| tr.t(&format!("band-{b}")))
                    .unwrap_or_default(),
            )
        })
        .collect();
    page.languages = LANGUAGES
        .iter()
        .map(|(c, n)| {
            (
                (*c).to_owned(),
                (*n).to_owned(),
                format!("/cases/{id}/record?lang={c}"),
            )
        })
        .collect();
    page.json_href = format!("/cases/{id}/record.json");
    page.given_to = r
        .given_to
        .iter()
        .map(|g| {
            let how = tr.t(&format!("given-{}", g.kind));
            let how = if g.service.is_empty() {
                how
            } else {
                format!("{how}: {}", g.service)
            };
            (
                g.reference.clone(),
                g.office.clone(),
                how,
                super::day_of(&g.since).to_owned(),
            )
        })
        .collect();
    crate::pages::render(&page)
}
