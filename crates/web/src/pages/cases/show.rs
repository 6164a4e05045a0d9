//! The case page: gathers the case file and what the reader may do with it.

use crate::auth::Signed;
use crate::i18n::Tr;
use crate::pages::Choice;
use crate::pages::page;
use crate::pages::{Frame, render};
use crate::{AppState, PageError};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use homeward_domain::access::{
    ApproveCases, AssignCases, ExportCases, ReadAccessLog, ReadCases, WriteCases,
};
use homeward_domain::case::{Relation, Sex, Vulnerability};
use homeward_domain::reintegration::consent::{self, Purpose};
use homeward_domain::reintegration::documents::DocumentKind;
use homeward_domain::reintegration::forms::{FollowUpKind, Kind, ReferralStatus};
use homeward_domain::reintegration::notes::{NoteKind, may_correct};
use homeward_domain::reintegration::plan::{Category, Dimension};
use homeward_domain::reintegration::stage::{ClosureReason, NextStep, Stage};
use homeward_domain::retention::Basis;
use homeward_domain::{CurrencyCode, Money};
use homeward_store::cases::file::CaseFile;
use homeward_store::parse_unix;

fn choice(value: impl ToString, label: impl Into<String>) -> Choice {
    Choice {
        value: value.to_string(),
        label: label.into(),
        selected: false,
    }
}

pub struct ItemLine {
    pub id: i64,
    pub dimension: String,
    pub category: String,
    pub description: String,
    pub cost: String,
    pub cost_usd: String,
    /// The rate the cost was converted at and its day; empty for USD.
    pub rate: String,
    pub given_usd: String,
    pub supplier: String,
    pub referral: bool,
    /// The package does not pay for its category: a manager must approve an exception.
    pub outside: bool,
}

pub struct PaymentLine {
    pub id: i64,
    pub paid_on: String,
    pub kind: String,
    pub item: String,
    pub amount: String,
    pub rate: String,
    /// The day of the rate, when it was kept.
    pub rate_on: String,
    pub usd: String,
    pub note: String,
    pub excess: bool,
    pub receipts: Vec<(i64, String)>,
}

pub struct ReferralLine {
    pub id: i64,
    pub office: String,
    pub service: String,
    pub status: String,
    pub outcome: String,
    pub next: Vec<Choice>,
}

pub struct TaskLine {
    pub id: i64,
    pub title: String,
    pub due: String,
    pub done: Option<String>,
    pub overdue: bool,
}

pub struct ConsentLine {
    pub id: i64,
    pub purpose: String,
    pub partner: String,
    pub given_on: String,
    pub withdrawn_on: Option<String>,
}

/// A timeline entry's detail in the reader's words: the codes it names (stages, a
/// closure's reason, a relation, a consent's purpose, how assistance was given) by their
/// labels. Only whole words that are codes of the entry's kind change; the rest (names,
/// amounts, what people wrote) stays as it is.
pub fn in_words(tr: &Tr, kind: &str, detail: &str) -> String {
    let (prefix, known, first_only): (&str, Vec<&str>, bool) = match kind {
        "stage" => ("stage", Stage::ALL.iter().map(Stage::code).collect(), false),
        "closed" => (
            "closure",
            ClosureReason::ALL.iter().map(ClosureReason::code).collect(),
            true,
        ),
        "household_added" => (
            "relation",
            Relation::ALL.iter().map(Relation::code).collect(),
            true,
        ),
        "consent_given" | "consent_withdrawn" => (
            "purpose",
            Purpose::ALL.iter().map(Purpose::code).collect(),
            true,
        ),
        "assistance" => ("kind", Kind::ALL.iter().map(Kind::code).collect(), true),
        _ => return detail.to_owned(),
    };
    let mut out = String::with_capacity(detail.len());
    let mut word = String::new();
    let mut replaced = false;
    let mut flush = |word: &mut String, out: &mut String| {
        if !word.is_empty() {
            if known.contains(&word.as_str()) && !(first_only && replaced) {
                out.push_str(&tr.t(&format!("{prefix}-{word}")));
                replaced = true;
            } else {
                out.push_str(word);
            }
            word.clear();
        }
    };
    for ch in detail.chars() {
        if ch.is_ascii_lowercase() || ch == '_' {
            word.push(ch);
        } else {
            flush(&mut word, &mut out);
            out.push(ch);
        }
    }
    flush(&mut word, &mut out);
    out
}

/// A note as the case page shows it.
/// A document as the case page lists it.
pub struct DocumentLine {
    pub id: i64,
    pub kind: String,
    pub name: String,
    pub size: String,
    pub sensitive: bool,
    pub by: String,
    pub at: String,
}

pub struct NoteLine {
    pub id: i64,
    pub kind: String,
    pub text: String,
    pub sensitive: bool,
    pub corrects: Option<i64>,
    pub by: String,
    pub at: String,
    /// Corrected in place by its author.
    pub edited: bool,
    /// The reader wrote it less than a day ago and may still correct it.
    pub correctable: bool,
}

/// The returnee's details as the correction form shows them.
pub struct PersonForm {
    pub given_name: String,
    pub family_name: String,
    pub sexes: Vec<Choice>,
    pub birth_date: String,
    pub estimated: bool,
    pub nationality: String,
    pub languages: String,
    pub phone: String,
    pub email: String,
    pub return_country: String,
    pub return_area: String,
    pub return_place: String,
    pub origin_office: i64,
    /// Vulnerabilities to tick and health notes, only for who may see them.
    pub sensitive: Option<(Vec<Choice>, String)>,
    /// The values the form starts from, sent back with it to merge with another's edit.
    pub was: Vec<(String, String)>,
}

/// The case at a glance: where it stands and what comes next.
pub struct Summary {
    /// The next step's words and where it is taken; `act` when the reader may take it.
    pub next: Option<(String, String, bool)>,
    /// A step taken in one click (counselling, departure, arrival, recorded today): the
    /// stage it moves to.
    pub one_click: Option<&'static str>,
    pub owner: String,
    pub caseworker: String,
    /// The open task due first: its title, its day, whether it is late.
    pub next_task: Option<(String, String, bool)>,
    /// The consents in force, in words.
    pub consents: Vec<String>,
}

/// An erasure request as the case page lists it.
pub struct ErasureLine {
    pub basis: String,
    pub record_given: bool,
    pub requested: String,
    pub status: String,
    pub decided: String,
    pub note: String,
}

/// One time the case was seen or given, as the case page lists it.
pub struct AccessLine {
    pub at: String,
    pub who: String,
    pub what: String,
}

#[derive(Template)]
#[template(path = "cases/show.html")]
pub struct CasePage {
    pub tr: Tr,
    pub lang_links: Vec<crate::pages::LangLink>,
    pub nav: Option<crate::pages::Nav>,
    pub title: String,
    pub csrf: String,
    /// Says when the record was anonymised; empty while it names the person.
    pub anonymised: String,
    /// The returnee's erasure requests, newest first.
    pub erasure: Vec<ErasureLine>,
    /// The request waiting for a manager's decision.
    pub erasure_waiting: Option<i64>,
    pub bases: Vec<Choice>,
    /// Who saw or was given the case's data, for readers with that permission.
    pub access_log: Option<Vec<AccessLine>>,
    /// The refusal beside the form that caused it, or what was just saved.
    pub said: super::Said,
    /// The case at a glance, at the top.
    pub summary: Summary,
    pub id: i64,
    pub version: i64,
    pub stage: String,
    pub closed: bool,
    pub facts: Vec<(String, String)>,
    pub person: PersonForm,
    pub dates: Vec<(String, String)>,
    pub shares: Vec<(String, String)>,
    pub sensitive: Option<(Vec<String>, String)>,
    pub household: Vec<(i64, String)>,
    pub consents: Vec<ConsentLine>,
    pub can_write: bool,
    pub can_approve: bool,
    pub can_export: bool,
    /// May open cases in their own office (a new return for this person).
    pub can_register: bool,
    pub hand_to: Option<(String, String)>,
    /// The returnee has not left yet: a hand-over says when they are expected to.
    pub before_departure: bool,
    /// The case is followed up now: the visit form is shown open.
    pub following_up: bool,
    pub share_to: Vec<Choice>,
    pub assign_to: Vec<Choice>,
    pub partners: Vec<Choice>,
    pub next_stages: Vec<Choice>,
    pub package: String,
    pub project: String,
    pub packages: Vec<Choice>,
    pub projects: Vec<Choice>,
    pub package_editable: bool,
    /// No package yet: the first plan item's form asks for it.
    pub no_package: bool,
    pub plan_state: String,
    pub plan_state_code: String,
    pub plan_comment: String,
    pub plan_editable: bool,
    pub items: Vec<ItemLine>,
    pub plan_total: String,
    pub given_total: String,
    pub cap: String,
    pub left: String,
    pub over_cap: bool,
    pub can_pay: bool,
    pub payments: Vec<PaymentLine>,
    pub referrals: Vec<ReferralLine>,
    pub follow_ups: Vec<(String, String, String, String)>,
    pub notes: Vec<NoteLine>,
    pub note_kinds: Vec<Choice>,
    pub documents: Vec<DocumentLine>,
    pub document_kinds: Vec<Choice>,
    /// Whether the reader may write (and so read) sensitive notes.
    pub sensitive_notes: bool,
    pub tasks: Vec<TaskLine>,
    pub events: Vec<(String, String, String, String)>,
    pub dimensions: Vec<Choice>,
    pub categories: Vec<Choice>,
    pub currencies: Vec<Choice>,
    pub kinds: Vec<Choice>,
    pub follow_up_kinds: Vec<Choice>,
    pub purposes: Vec<Choice>,
    pub relations: Vec<Choice>,
    pub sexes: Vec<Choice>,
    pub closure_reasons: Vec<Choice>,
    pub closure: Option<(String, String, String)>,
    pub today: String,
    /// None for readers who may not see the case's sensitive fields.
    pub surveys: Option<super::survey_section::SurveysPart>,
}

fn usd(m: Money) -> String {
    m.to_string()
}

/// The returnee's facts in words, as the case page and the case file on paper show them.
pub(crate) fn person_facts(tr: &Tr, c: &homeward_store::cases::CaseView) -> Vec<(String, String)> {
    let dash = || "–".to_owned();
    let d = &c.details;
    vec![
        (tr.t("case-reference"), c.reference.clone()),
        (tr.t("field-given-name"), c.given_name.clone()),
        (tr.t("field-family-name"), c.family_name.clone()),
        (tr.t("field-sex"), tr.t(&format!("sex-{}", c.sex))),
        (
            tr.t("field-birth-date"),
            match &c.birth_date {
                Some(b) if d.birth_date_estimated => format!("{b} ({})", tr.t("case-estimated")),
                Some(b) => b.clone(),
                None => dash(),
            },
        ),
        (tr.t("field-nationality"), c.nationality.clone()),
        (
            tr.t("field-languages"),
            if d.languages.is_empty() {
                dash()
            } else {
                d.languages.clone()
            },
        ),
        (
            tr.t("field-phone"),
            if d.phone.is_empty() {
                dash()
            } else {
                d.phone.clone()
            },
        ),
        (
            tr.t("field-email"),
            if d.email.is_empty() {
                dash()
            } else {
                d.email.clone()
            },
        ),
        (
            tr.t("case-place-of-return"),
            [
                d.return_place.as_str(),
                d.return_area.as_str(),
                d.return_country.as_str(),
            ]
            .iter()
            .filter(|x| !x.is_empty())
            .copied()
            .collect::<Vec<_>>()
            .join(", "),
        ),
    ]
}

/// The days a case went through its stages, in words (a departure not yet made shows the
/// day it is expected), as the case page and the case file on paper show them.
pub(crate) fn stage_dates(tr: &Tr, c: &homeward_store::cases::CaseView) -> Vec<(String, String)> {
    let opt = |v: &Option<String>| v.clone().unwrap_or_else(|| "–".to_owned());
    vec![
        (
            tr.t("case-registered"),
            c.created_at.chars().take(10).collect(),
        ),
        (tr.t("date-counselled"), opt(&c.counselled_on)),
        (
            tr.t("date-departed"),
            match (&c.departed_on, &c.expected_departure_on) {
                (None, Some(e)) => format!("{} {e}", tr.t("date-expected")),
                (d, _) => opt(d),
            },
        ),
        (tr.t("date-arrived"), opt(&c.arrived_on)),
        (tr.t("date-plan-agreed"), opt(&c.plan_agreed_on)),
        (tr.t("date-closed"), opt(&c.closed_on)),
    ]
}

/// The case page with what it says beside its forms, with `status`.
pub(crate) async fn page(
    state: &AppState,
    tr: Tr,
    uri: &Uri,
    s: &Signed,
    id: i64,
    said: super::Said,
    status: StatusCode,
) -> Result<Response, PageError> {
    let read = s.authorize::<ReadCases>()?;
    let assign = s.authorize::<AssignCases>().ok();
    let store = state.store.clone();
    let actor = s.actor();
    let homeward_store::cases::file::CasePage {
        file,
        surveys,
        instrument,
        assignable: assignees,
        assigned,
        offices,
        packages,
        projects,
        notifications_read,
        erasure: erasure_requests,
    } = crate::pages::run(move || store.case_page(&read, assign.as_ref(), &actor, id)).await?;
    let access_log = match s.authorize::<ReadAccessLog>() {
        Ok(auth) => {
            let store = state.store.clone();
            // A case outside the permission's scope shows no log (and says nothing).
            crate::pages::run(move || Ok(store.case_access_log(&auth, id).ok()))
                .await?
                .map(|entries| entries.iter().map(|e| access_line(&tr, e)).collect())
        }
        Err(_) => None,
    };
    if notifications_read > 0 {
        state.waiting.forget(s.principal.user_id());
    }
    let assigned = assigned.map(|u| u.name);
    let mut said = said;
    if let Some(p) = said.proposed.take() {
        let asked = |k: &str| {
            p.typed
                .iter()
                .find(|(n, _)| n == k)
                .map(|(_, v)| v.as_str())
                .unwrap_or_default()
        };
        said.proposed = asked("plan_item")
            .parse()
            .ok()
            .and_then(|item| proposed_payment(&file, item, asked("kind")));
    }
    let c = &file.case;
    let facts_ = c.facts();
    let p = &s.principal;
    let can_write = p.authorize::<WriteCases>().is_ok_and(|w| w.covers(&facts_));
    let now = i64::try_from(homeward_store::unix_now()).unwrap_or(i64::MAX);
    let can_approve = p
        .authorize::<ApproveCases>()
        .is_ok_and(|w| w.covers(&facts_));
    let can_export = p
        .authorize::<ExportCases>()
        .is_ok_and(|w| w.covers(&facts_));
    let assigned = assigned.unwrap_or_else(|| tr.t("case-unassigned"));
    let office = |oid: i64| {
        offices
            .iter()
            .find(|o| o.id == oid)
            .map(|o| o.name.clone())
            .unwrap_or_default()
    };
    let stage = c.stage();
    let closed = !stage.is_open();
    let hand_to = if closed || !can_write {
        None
    } else if c.owning_office_id != c.origin_office_id {
        Some(("origin".to_owned(), tr.t("case-handover-button")))
    } else if c.host_office_id != c.origin_office_id {
        Some(("host".to_owned(), tr.t("case-hand-back-button")))
    } else {
        None
    };
    let dash = || "–".to_owned();
    let d = &c.details;
    let mut facts = person_facts(&tr, c);
    facts.extend([
        (tr.t("case-host-office"), office(c.host_office_id)),
        (tr.t("case-origin-office"), office(c.origin_office_id)),
        (tr.t("case-owner"), office(c.owning_office_id)),
        (tr.t("case-assigned"), assigned.clone()),
    ]);
    let opt = |v: &Option<String>| v.clone().unwrap_or_else(dash);
    let dates = stage_dates(&tr, c);
    let today = homeward_store::today();
    let cap = file.totals.cap_usd;
    let items = items(&tr, &file);
    let t_stage = |st: &str| tr.t(&format!("stage-{st}"));
    let next_stages = stage
        .next()
        .iter()
        // A closed case is reopened with its own form, by a manager.
        .filter(|n| {
            !closed
                && !matches!(
                    n,
                    Stage::PlanSubmitted | Stage::PlanApproved | Stage::Closed | Stage::Registered
                )
        })
        .map(|n| choice(n.code(), t_stage(n.code())))
        .collect();
    let plan_editable = can_write
        && matches!(c.plan_state.as_str(), "draft" | "rejected")
        && matches!(stage, Stage::Arrived | Stage::Assessed);
    let tasks: Vec<TaskLine> = file
        .tasks
        .iter()
        .map(|t| TaskLine {
            id: t.id,
            title: t
                .rule_key
                .as_deref()
                .map(|k| tr.t(&format!("task-{k}")))
                .unwrap_or_else(|| t.title.clone()),
            due: t.due_on.clone(),
            done: t.done_on.clone(),
            overdue: t.is_overdue(today),
        })
        .collect();
    // A host office that saw the returnee leave has one thing left: the hand-over.
    let host_holds_departed = can_write
        && stage == Stage::Departed
        && c.owning_office_id == c.host_office_id
        && c.host_office_id != c.origin_office_id;
    let summary = Summary {
        next: if host_holds_departed {
            Some((tr.t("case-handover-button"), "#handover".to_owned(), true))
        } else {
            stage.next_step().map(|step| {
                let may = if step == NextStep::DecidePlan {
                    can_approve
                } else {
                    can_write
                };
                (
                    tr.t(&format!("next-{}", step.code())),
                    format!("#{}", super::step_anchor(step)),
                    may,
                )
            })
        },
        one_click: match stage.next_step() {
            _ if !can_write || host_holds_departed => None,
            Some(NextStep::Counsel) => Some(Stage::Counselled.code()),
            Some(NextStep::Depart) => Some(Stage::Departed.code()),
            Some(NextStep::Arrive) => Some(Stage::Arrived.code()),
            _ => None,
        },
        owner: office(c.owning_office_id),
        caseworker: assigned.clone(),
        next_task: tasks
            .iter()
            .filter(|t| t.done.is_none())
            .min_by(|a, b| a.due.cmp(&b.due))
            .map(|t| (t.title.clone(), t.due.clone(), t.overdue)),
        consents: file
            .consents
            .iter()
            .filter(|k| k.consent.withdrawn_on.is_none())
            .map(|k| {
                let what = tr.t(&format!("purpose-{}", k.consent.purpose.code()));
                match k.consent.partner_office {
                    Some(o) => format!("{what} ({})", office(o)),
                    None => what,
                }
            })
            .collect(),
    };
    let (title, anonymised) = match &c.anonymised_on {
        Some(on) => (
            format!("{} · {}", c.reference, tr.t("case-anonymised-name")),
            tr.ta(
                "case-anonymised",
                &[("on", crate::i18n::FluentArg::Str(on.clone()))],
            ),
        ),
        None => (
            format!("{} · {} {}", c.reference, c.given_name, c.family_name),
            String::new(),
        ),
    };
    let erasure_waiting = erasure_requests
        .iter()
        .find(|r| r.status == "requested")
        .map(|r| r.id);
    let erasure = erasure_requests
        .iter()
        .map(|r| ErasureLine {
            basis: tr.t(&format!("basis-{}", r.basis)),
            record_given: r.record_given,
            requested: format!("{} · {}", super::day_of(&r.requested_on), r.requested_by),
            status: tr.t(&format!("erasure-{}", r.status)),
            decided: match (&r.decided_at, &r.decided_by) {
                (Some(at), Some(by)) => format!("{} · {by}", super::day_of(at)),
                _ => String::new(),
            },
            note: r.decision_note.clone(),
        })
        .collect();
    let bases = Basis::ALL
        .iter()
        .map(|b| Choice {
            value: b.code().into(),
            label: tr.t(&format!("basis-{}", b.code())),
            selected: false,
        })
        .collect();
    let pg = page!(CasePage, Frame::new(tr.clone(), uri, Some(s)), title, {
        csrf: s.csrf.clone(),
        anonymised,
        erasure,
        erasure_waiting,
        bases,
        access_log,
        said,
        summary,
        id: c.id,
        version: c.version,
        stage: t_stage(&c.status),
        closed,
        facts,
        person: PersonForm {
            given_name: c.given_name.clone(),
            family_name: c.family_name.clone(),
            sexes: Sex::ALL.iter().map(|x| Choice { value: x.code().into(), label: tr.t(&format!("sex-{}", x.code())), selected: c.sex == x.code() }).collect(),
            birth_date: c.birth_date.clone().unwrap_or_default(),
            estimated: d.birth_date_estimated,
            nationality: c.nationality.clone(),
            languages: d.languages.clone(),
            phone: d.phone.clone(),
            email: d.email.clone(),
            return_country: d.return_country.as_str().to_owned(),
            return_area: d.return_area.clone(),
            return_place: d.return_place.clone(),
            origin_office: c.origin_office_id,
            was: super::form_values(c),
            sensitive: c.sensitive.as_ref().map(|x| (
                Vulnerability::ALL.iter().map(|v| Choice { value: v.code().into(), label: tr.t(&format!("vuln-{}", v.code())), selected: x.vulnerabilities.contains(v) }).collect(),
                x.health_notes.clone(),
            )),
        },
        dates,
        shares: c.shares.iter().map(|sh| (office(sh.office_id), tr.t(&format!("share-{}", sh.kind)))).collect(),
        sensitive: c.sensitive.as_ref().map(|x| (
            x.vulnerabilities.iter().map(|v| tr.t(&format!("vuln-{}", v.code()))).collect(),
            x.health_notes.clone(),
        )),
        household: file.household.iter().map(|m| (m.id, format!("{} · {}{}", m.member.name,
            tr.t(&format!("relation-{}", m.member.relation.code())),
            m.member.birth_year.map(|y| format!(" · {y}")).unwrap_or_default()))).collect(),
        consents: file.consents.iter().map(|k| ConsentLine {
            id: k.id,
            purpose: tr.t(&format!("purpose-{}", k.consent.purpose.code())),
            partner: k.consent.partner_office.map(office).unwrap_or_default(),
            given_on: k.consent.given_on.to_string(),
            withdrawn_on: k.consent.withdrawn_on.map(|w| w.to_string()),
        }).collect(),
        can_write,
        can_register: p.authorize::<WriteCases>().is_ok(),
        can_approve,
        can_export,
        hand_to,
        before_departure: matches!(stage, Stage::Registered | Stage::Counselled),
        following_up: stage.next_step() == Some(NextStep::FollowUp),
        share_to: offices.iter().filter(|o| o.id != c.owning_office_id && o.kind != "partner").map(|o| choice(o.id, o.name.clone())).collect(),
        assign_to: assignees.into_iter().map(|u| choice(u.id, format!("{} <{}>", u.name, u.email))).collect(),
        partners: offices.iter().filter(|o| o.id != c.owning_office_id).map(|o| choice(o.id, format!("{} ({})", o.name, o.country))).collect(),
        next_stages,
        package: file.package.as_ref().map(|p| format!("{} · {}", p.name, usd(Money::new(p.cap_usd_minor, CurrencyCode::USD)))).unwrap_or_else(|| tr.t("case-no-package")),
        project: file.project_title.clone().unwrap_or_else(dash),
        packages: packages.iter().filter(|p| p.active || Some(p.id) == c.package_id).map(|p| choice(p.id, p.name.clone())).collect(),
        projects: projects.into_iter().map(|p| choice(p.id, p.label())).collect(),
        package_editable: can_write && !closed && matches!(c.plan_state.as_str(), "draft" | "rejected"),
        no_package: c.package_id.is_none(),
        plan_state: tr.t(&format!("plan-{}", c.plan_state)),
        plan_state_code: c.plan_state.clone(),
        plan_comment: c.plan_comment.clone(),
        plan_editable,
        items,
        plan_total: usd(file.totals.plan_usd),
        given_total: usd(file.totals.given_usd),
        cap: cap.map(usd).unwrap_or_else(dash),
        left: cap.map(|cp| usd(Money::new(cp.minor - file.totals.given_usd.minor, CurrencyCode::USD))).unwrap_or_else(dash),
        over_cap: cap.is_some_and(|cp| file.totals.plan_usd.minor > cp.minor),
        can_pay: can_write && !closed && c.plan_state == "approved",
        payments: payments(&tr, &file),
        referrals: file.referrals.iter().map(|r| ReferralLine {
            id: r.id,
            office: r.office_name.clone(),
            service: r.service.clone(),
            status: tr.t(&format!("referral-{}", r.status)),
            outcome: r.outcome.clone(),
            next: r.status.parse::<ReferralStatus>().map(|from| ReferralStatus::ALL.iter()
                .filter(|to| from.can_become(**to))
                .map(|to| choice(to.code(), tr.t(&format!("referral-{}", to.code())))).collect()).unwrap_or_default(),
        }).collect(),
        follow_ups: file.follow_ups.iter().map(|x| (x.on_date.clone(), tr.t(&format!("follow-up-{}", x.kind)), x.by.clone(), x.notes.clone())).collect(),
        notes: file.notes.iter().map(|n| NoteLine {
            id: n.id,
            kind: tr.t(&format!("note-{}", n.kind)),
            text: n.text.clone(),
            sensitive: n.sensitive,
            corrects: n.corrects,
            by: n.author.clone(),
            at: n.created_at.replace('T', " ").trim_end_matches('Z').to_owned(),
            edited: n.edited,
            correctable: can_write && may_correct(n.author_id, parse_unix(&n.created_at).unwrap_or(0), p.user_id(), now).is_ok(),
        }).collect(),
        documents: file.documents.iter().map(|d| DocumentLine {
            id: d.id,
            kind: tr.t(&format!("document-{}", d.kind)),
            name: d.file_name.clone(),
            size: format!("{} KB", (d.size_bytes + 1023) / 1024),
            sensitive: d.sensitive,
            by: d.added_by.clone(),
            at: d.created_at.get(..10).unwrap_or(&d.created_at).to_owned(),
        }).collect(),
        document_kinds: DocumentKind::ALL.iter().map(|x| choice(x.code(), tr.t(&format!("document-{}", x.code())))).collect(),
        note_kinds: NoteKind::ALL.iter().map(|x| choice(x.code(), tr.t(&format!("note-{}", x.code())))).collect(),
        sensitive_notes: c.sensitive.is_some(),
        tasks,
        events: file.events.iter().rev().map(|e| (
            e.at.replace('T', " ").trim_end_matches('Z').to_owned(),
            e.by.clone().unwrap_or_default(),
            tr.t(&format!("event-{}", e.kind)),
            in_words(&tr, &e.kind, &e.detail),
        )).collect(),
        dimensions: Dimension::ALL.iter().map(|x| choice(x.code(), tr.t(&format!("dimension-{}", x.code())))).collect(),
        // Categories the package does not pay for say so before one is added.
        categories: Category::ALL.iter().map(|x| {
            let label = tr.t(&format!("category-{}", x.code()));
            if in_package(&file, x.code()) {
                choice(x.code(), label)
            } else {
                choice(x.code(), format!("{label} ({})", tr.t("case-outside-package")))
            }
        }).collect(),
        currencies: ["USD", "ALL", "EUR", "NOK", "GEL", "AMD", "WST"].iter().map(|x| choice(x, *x)).collect(),
        kinds: Kind::ALL.iter().map(|x| choice(x.code(), tr.t(&format!("kind-{}", x.code())))).collect(),
        follow_up_kinds: FollowUpKind::ALL.iter().map(|x| choice(x.code(), tr.t(&format!("follow-up-{}", x.code())))).collect(),
        purposes: Purpose::ALL.iter().map(|x| choice(x.code(), tr.t(&format!("purpose-{}", x.code())))).collect(),
        relations: Relation::ALL.iter().map(|x| choice(x.code(), tr.t(&format!("relation-{}", x.code())))).collect(),
        sexes: Sex::ALL.iter().map(|x| choice(x.code(), tr.t(&format!("sex-{}", x.code())))).collect(),
        closure_reasons: ClosureReason::ALL.iter().map(|x| choice(x.code(), tr.t(&format!("closure-{}", x.code())))).collect(),
        closure: c.closure_reason.as_ref().map(|r| (tr.t(&format!("closure-{r}")), opt(&c.closed_on), c.closure_note.clone())),
        today: today.to_string(),
        surveys: surveys.map(|rows| super::survey_section::part(&tr, &rows, instrument.as_ref(), consent::allows(
            &file.consents.iter().map(|k| k.consent.clone()).collect::<Vec<_>>(),
            Purpose::Surveys,
            None,
            today,
        ))),
    });
    Ok((status, render(&pg)?).into_response())
}

/// Whether the case's package pays for `category` (any, without a package yet).
fn in_package(file: &CaseFile, category: &str) -> bool {
    file.package
        .as_ref()
        .is_none_or(|p| p.component_list().iter().any(|c| c.code() == category))
}

pub(crate) fn items(tr: &Tr, file: &CaseFile) -> Vec<ItemLine> {
    file.items
        .iter()
        .map(|i| ItemLine {
            outside: !in_package(file, &i.category),
            id: i.id,
            dimension: tr.t(&format!("dimension-{}", i.dimension)),
            category: tr.t(&format!("category-{}", i.category)),
            description: i.description.clone(),
            cost: i.cost().map(|m| m.to_string()).unwrap_or_default(),
            cost_usd: usd(i.cost_usd()),
            rate: match &i.usd_rate_on {
                Some(on) => format!("{} · {on}", i.usd_rate),
                None if i.currency != "USD" => i.usd_rate.clone(),
                None => String::new(),
            },
            given_usd: usd(file.given_on_item(i.id)),
            supplier: i.supplier.clone(),
            referral: i.referral,
        })
        .collect()
}

pub(crate) fn payments(tr: &Tr, file: &CaseFile) -> Vec<PaymentLine> {
    file.payments
        .iter()
        .map(|p| PaymentLine {
            id: p.id,
            paid_on: p.paid_on.clone(),
            kind: tr.t(&format!("kind-{}", p.kind)),
            item: file
                .items
                .iter()
                .find(|i| i.id == p.plan_item_id)
                .map(|i| i.description.clone())
                .unwrap_or_default(),
            amount: p.amount().map(|m| m.to_string()).unwrap_or_default(),
            rate: p.usd_rate.clone(),
            rate_on: p.usd_rate_on.clone().unwrap_or_default(),
            usd: usd(p.usd()),
            note: p.note.clone(),
            excess: p.excess_approved_by.is_some(),
            receipts: file
                .receipts
                .iter()
                .filter(|r| r.disbursement_id == p.id)
                .map(|r| {
                    (
                        r.id,
                        format!("{} ({} KB)", r.file_name, (r.size_bytes + 1023) / 1024),
                    )
                })
                .collect(),
        })
        .collect()
}

#[derive(serde::Deserialize)]
pub struct Shown {
    #[serde(default)]
    done: Option<String>,
    /// A payment started from this plan item's row, in cash or in kind.
    #[serde(default)]
    pay: Option<i64>,
    #[serde(default)]
    kind: Option<String>,
}

pub async fn show(
    State(state): State<AppState>,
    tr: Tr,
    uri: Uri,
    s: Signed,
    Path(id): Path<i64>,
    Query(q): Query<Shown>,
) -> Result<Response, PageError> {
    // Said back only beside a section the page has (see `Said::done_at`); any other value
    // shows nothing.
    let said = super::Said {
        refused: None,
        done: q.done,
        proposed: q.pay.map(|item| super::At {
            anchor: "pay".into(),
            typed: vec![
                ("plan_item".into(), item.to_string()),
                ("kind".into(), q.kind.clone().unwrap_or_default()),
            ],
        }),
    };
    page(&state, tr, &uri, &s, id, said, StatusCode::OK).await
}

/// A payment started from a plan item's row: the item, its currency and what is left on
/// it in that currency (when everything paid on it was paid in that currency).
fn proposed_payment(file: &CaseFile, item_id: i64, kind: &str) -> Option<super::At> {
    let item = file.items.iter().find(|i| i.id == item_id)?;
    let paid: Vec<_> = file
        .payments
        .iter()
        .filter(|p| p.plan_item_id == item_id)
        .collect();
    let mut typed = vec![
        ("plan_item".to_owned(), item_id.to_string()),
        ("currency".to_owned(), item.currency.clone()),
        ("kind".to_owned(), kind.to_owned()),
    ];
    if paid.iter().all(|p| p.currency == item.currency) {
        let left = item.cost_minor - paid.iter().map(|p| p.amount_minor).sum::<i64>();
        if left > 0 {
            let currency = item.currency.parse().ok()?;
            typed.push((
                "amount".to_owned(),
                Money::new(left, currency).to_decimal_string(),
            ));
        }
    }
    Some(super::At {
        anchor: "assistance".into(),
        typed,
    })
}

fn access_line(tr: &Tr, e: &homeward_store::cases::access_log::Access) -> AccessLine {
    // What part was opened, when the entry says (notes, documents, the file).
    let part = serde_json::from_str::<serde_json::Value>(&e.after)
        .ok()
        .and_then(|v| v.get("part").and_then(|p| p.as_str()).map(str::to_owned));
    let what = match (e.action.as_str(), e.record_type.as_str(), part) {
        ("view", "case", Some(part)) => tr.ta(
            "seen-view-part",
            &[("part", crate::i18n::FluentArg::Str(part))],
        ),
        (action, "case", _) => tr.t(&format!("seen-{action}")),
        (_, kind, _) => tr.t(&format!("seen-{kind}")),
    };
    AccessLine {
        at: e.at.replace('T', " ").trim_end_matches('Z').to_owned(),
        who: if e.ip.is_empty() {
            e.actor.clone()
        } else {
            format!("{} ({})", e.actor, e.ip)
        },
        what,
    }
}
