//! A case as its reader may see it: the whole file with everything the case page shows,
//! read in one transaction; one part of it on its own (what the API's
//! `/cases/{id}/<part>` routes answer); and a returnee's own data in one document (the
//! right of access). Every read is recorded as a view.

use crate::access::offices::{self, Office};
use crate::access::users::{User, assignable, user};
use crate::audit::{Change, append};
use crate::cases::assistance::{PaymentRow, ReceiptRow, Totals, cap_of, payments_of, receipts_of};
use crate::cases::consents::{StoredConsent, consents_of};
use crate::cases::documents::{DocumentRow, documents_of};
use crate::cases::follow_up::{FollowUpRow, follow_ups_of};
use crate::cases::household::{StoredMember, household_of};
use crate::cases::log::{Event, events};
use crate::cases::notes::{NoteRow, notes_of};
use crate::cases::packages::PackageRow;
use crate::cases::packages::{self, ProjectChoice, individual_projects};
use crate::cases::plans::{ItemRow, items_of};
use crate::cases::referrals::{ReferralRow, referrals_of};
use crate::cases::tasks::{TaskRow, tasks_of};
use crate::cases::{CaseView, load_covered};
use crate::survey::current_instrument;
use crate::survey::surveys::{SurveyRow, surveys_of};
use crate::{Actor, Backend, DbConnection, Store, StoreError};
use homeward_domain::access::AssignCases;
use homeward_domain::access::{Authorized, Capability, ExportCases, ReadCases};
use homeward_domain::audit::Action;
use homeward_domain::survey::Instrument;
use homeward_domain::{CurrencyCode, Money};
use serde_json::{Value, json};

/// Everything on a case page.
#[derive(Debug, Clone)]
pub struct CaseFile {
    pub case: CaseView,
    pub package: Option<PackageRow>,
    pub project_title: Option<String>,
    pub items: Vec<ItemRow>,
    pub payments: Vec<PaymentRow>,
    pub receipts: Vec<ReceiptRow>,
    pub referrals: Vec<ReferralRow>,
    pub follow_ups: Vec<FollowUpRow>,
    pub tasks: Vec<TaskRow>,
    pub events: Vec<Event>,
    pub consents: Vec<StoredConsent>,
    pub household: Vec<StoredMember>,
    /// Notes its reader may see (sensitive ones only with the sensitive fields).
    pub notes: Vec<NoteRow>,
    /// Documents its reader may see, the same way.
    pub documents: Vec<DocumentRow>,
    pub totals: Totals,
}

impl CaseFile {
    /// USD given against one plan item.
    pub fn given_on_item(&self, item_id: i64) -> Money {
        Money::new(
            self.payments
                .iter()
                .filter(|p| p.plan_item_id == item_id)
                .map(|p| p.usd_minor)
                .sum(),
            CurrencyCode::USD,
        )
    }
}

fn gather<C: Capability>(
    c: &mut DbConnection,
    backend: Backend,
    auth: &Authorized<C>,
    id: i64,
) -> Result<CaseFile, StoreError> {
    let case = load_covered(c, backend, auth, id)?;
    let package = match case.package_id {
        Some(p) => crate::cases::packages::package(c, backend, p)?,
        None => None,
    };
    let project_title = match case.project_id {
        Some(p) => crate::catalogue::projects::project_exists(c, backend, p).ok(),
        None => None,
    };
    let items = items_of(c, backend, id)?;
    let payments = payments_of(c, backend, id)?;
    let totals = totals(c, backend, &case, &items, &payments)?;
    Ok(CaseFile {
        package,
        project_title,
        receipts: receipts_of(c, backend, id)?,
        referrals: referrals_of(c, backend, id)?,
        follow_ups: follow_ups_of(c, backend, id)?,
        tasks: tasks_of(c, backend, id)?,
        events: events(c, backend, id, 0)?,
        consents: consents_of(c, backend, case.returnee_id)?,
        household: household_of(c, backend, case.returnee_id)?,
        notes: notes_of(c, backend, id, case.sensitive.is_some())?,
        documents: documents_of(c, backend, id, case.sensitive.is_some())?,
        items,
        payments,
        totals,
        case,
    })
}

fn file_json(f: &CaseFile) -> Value {
    let v = &f.case;
    json!({
        "reference": v.reference,
        "stage": v.status,
        "dates": {"registered": v.created_at, "counselled": v.counselled_on, "departed": v.departed_on,
            "arrived": v.arrived_on, "plan_agreed": v.plan_agreed_on, "closed": v.closed_on},
        "closure": {"reason": v.closure_reason, "note": v.closure_note},
        "package": f.package.as_ref().map(|p| json!({"name": p.name, "cap_usd": Money::new(p.cap_usd_minor, CurrencyCode::USD).to_decimal_string()})),
        "plan": {
            "state": v.plan_state, "comment": v.plan_comment, "exception": v.plan_exception,
            "items": f.items.iter().map(|i| json!({
                "dimension": i.dimension, "category": i.category, "description": i.description,
                "cost": i.cost().map(|m| m.to_decimal_string()), "currency": i.currency,
                "cost_usd": i.cost_usd().to_decimal_string(), "supplier": i.supplier, "referral": i.referral,
            })).collect::<Vec<_>>(),
        },
        "assistance": f.payments.iter().map(|p| json!({
            "kind": p.kind, "amount": p.amount().map(|m| m.to_decimal_string()), "currency": p.currency,
            "paid_on": p.paid_on, "usd_rate": p.usd_rate, "usd_rate_on": p.usd_rate_on, "usd": p.usd().to_decimal_string(), "note": p.note,
        })).collect::<Vec<_>>(),
        "referrals": f.referrals.iter().map(|r| json!({
            "to": r.office_name, "service": r.service, "status": r.status, "outcome": r.outcome,
        })).collect::<Vec<_>>(),
        "follow_ups": f.follow_ups.iter().map(|x| json!({"kind": x.kind, "on": x.on_date, "notes": x.notes})).collect::<Vec<_>>(),
        "notes": f.notes.iter().map(|n| json!({"kind": n.kind, "written_at": n.created_at, "by": n.author,
            "text": n.text, "sensitive": n.sensitive, "corrects": n.corrects})).collect::<Vec<_>>(),
        "documents": f.documents.iter().map(|d| json!({"kind": d.kind, "file_name": d.file_name,
            "content_type": d.content_type, "size_bytes": d.size_bytes, "sha256": d.sha256,
            "added_at": d.created_at, "sensitive": d.sensitive})).collect::<Vec<_>>(),
        "timeline": f.events.iter().map(|e| json!({"at": e.at, "what": e.kind, "detail": e.detail})).collect::<Vec<_>>(),
    })
}

/// Everything held about a returnee, for them: their case files within the exporter's
/// reach (the asked case first) and their surveys with the case each belongs to.
#[derive(Debug, Clone)]
pub struct ReturneeRecord {
    pub cases: Vec<CaseFile>,
    pub surveys: Vec<(String, crate::survey::surveys::SurveyRow)>,
    /// To whom the returnee's data was given: offices and partners a case was handed
    /// over, shared or referred to, oldest first.
    pub given_to: Vec<Recipient>,
}

/// One office or partner that received a case's data, and how.
#[derive(Debug, Clone, PartialEq, Eq, diesel::QueryableByName)]
pub struct Recipient {
    #[diesel(sql_type = diesel::sql_types::Text)]
    pub reference: String,
    #[diesel(sql_type = diesel::sql_types::Text)]
    pub office: String,
    /// `handover`, `shared` or `referral`.
    #[diesel(sql_type = diesel::sql_types::Text)]
    pub kind: String,
    /// What a referral asked (empty for others).
    #[diesel(sql_type = diesel::sql_types::Text)]
    pub service: String,
    #[diesel(sql_type = diesel::sql_types::Text)]
    pub since: String,
}

/// The recipients of these cases' data: shares as they stand, and every referral (a
/// partner keeps what it was sent even after the share ends).
fn recipients_of(
    c: &mut DbConnection,
    backend: Backend,
    ids: &[i64],
) -> Result<Vec<Recipient>, StoreError> {
    let mut q = crate::db::sql::Sql::new(backend);
    q.push(
        // A hand-over's share row keeps the handing office's sight; the data went to the
        // office that owns the case now.
        "SELECT c.reference, o.name AS office, s.kind, '' AS service, s.created_at AS since \
         FROM case_shares s JOIN cases c ON c.id = s.case_id JOIN offices o ON o.id = \
         CASE WHEN s.kind = 'handover' THEN c.owning_office_id ELSE s.office_id END \
         WHERE s.kind <> 'referral' AND s.case_id IN ",
    )
    .int_list(ids)
    .push(
        " UNION ALL SELECT c.reference, o.name AS office, 'referral' AS kind, f.service, \
         f.created_at AS since FROM referrals f JOIN cases c ON c.id = f.case_id \
         JOIN offices o ON o.id = f.office_id WHERE f.case_id IN ",
    )
    .int_list(ids)
    .push(" ORDER BY since");
    Ok(q.load::<Recipient>(c)?)
}

/// Everything the case page shows, read in one transaction.
#[derive(Debug, Clone)]
pub struct CasePage {
    pub file: CaseFile,
    /// The returnee's requests to have their record erased, newest first.
    pub erasure: Vec<crate::retention::erasure::ErasureRequest>,
    /// The case's surveys, for who may see its sensitive fields; none for others.
    pub surveys: Option<Vec<SurveyRow>>,
    /// The current survey instrument, with its id.
    pub instrument: Option<(i64, Instrument)>,
    /// Who the case can be assigned to, when the reader may assign it.
    pub assignable: Vec<User>,
    /// The caseworker it is assigned to.
    pub assigned: Option<User>,
    pub offices: Vec<Office>,
    pub packages: Vec<PackageRow>,
    pub projects: Vec<ProjectChoice>,
    /// How many of the reader's notifications about the case were unread, now read.
    pub notifications_read: usize,
}

/// A case's reintegration plan on its own: the items with the package and the totals
/// against the cap.
#[derive(Debug, Clone)]
pub struct CasePlan {
    pub case: CaseView,
    pub package: Option<PackageRow>,
    pub items: Vec<ItemRow>,
    pub totals: Totals,
}

/// The assistance given on a case, with the receipts attached.
#[derive(Debug, Clone)]
pub struct CaseAssistance {
    pub payments: Vec<PaymentRow>,
    pub receipts: Vec<ReceiptRow>,
}

/// A returnee's household as the case shows it, with the case's version to edit from.
#[derive(Debug, Clone)]
pub struct CaseHousehold {
    pub version: i64,
    pub members: Vec<StoredMember>,
}

fn totals(
    c: &mut DbConnection,
    backend: Backend,
    case: &CaseView,
    items: &[ItemRow],
    payments: &[PaymentRow],
) -> Result<Totals, StoreError> {
    Ok(Totals {
        plan_usd: Money::new(
            items.iter().map(|i| i.cost_usd_minor).sum(),
            CurrencyCode::USD,
        ),
        given_usd: Money::new(
            payments.iter().map(|p| p.usd_minor).sum(),
            CurrencyCode::USD,
        ),
        cap_usd: cap_of(c, backend, case, items)?,
    })
}

impl Store {
    /// The version of a case within reach, for whoever is about to edit it. It shows no
    /// personal data, so it is not recorded as a view.
    pub fn case_version(&self, auth: &Authorized<ReadCases>, id: i64) -> Result<i64, StoreError> {
        self.read(|c| Ok(load_covered(c, self.backend(), auth, id)?.version))
    }

    /// The case file, recorded as a view of the personal data in it.
    pub fn case_file(
        &self,
        auth: &Authorized<ReadCases>,
        actor: &Actor,
        id: i64,
    ) -> Result<CaseFile, StoreError> {
        self.read_recorded(actor, |c| {
            let f = gather(c, self.backend(), auth, id)?;
            let shown = Change::new(Action::View, "case", id)
                .after(json!({"sensitive_shown": f.case.sensitive.is_some(), "file": true}));
            Ok((f, Some(shown)))
        })
    }

    /// Everything the case page shows, read in one transaction (which also marks the
    /// case's notifications read): the case file, its surveys for who may see them, the
    /// current instrument, and the choices its forms offer (offices, packages, projects,
    /// and caseworkers when `assign` covers the case). The view is recorded after, with
    /// other readers' entries of the moment.
    pub fn case_page(
        &self,
        read: &Authorized<ReadCases>,
        assign: Option<&Authorized<AssignCases>>,
        actor: &Actor,
        id: i64,
    ) -> Result<CasePage, StoreError> {
        let (page, shown) = self.write(|c| {
            let backend = self.backend();
            let file = gather(c, backend, read, id)?;
            let case = &file.case;
            let surveys = if read.principal().sees_sensitive(&case.facts()) {
                let current = crate::survey::current(c, backend)?.map(|x| x.id);
                Some(surveys_of(c, backend, id, current)?)
            } else {
                None
            };
            let assignable = match assign.filter(|a| a.covers(&case.facts())) {
                Some(_) => assignable(c, backend, case.owning_office_id)?,
                None => vec![],
            };
            let assigned = case
                .assigned_user_id
                .map(|u| user(c, backend, u))
                .transpose()?;
            let shown = Change::new(Action::View, "case", id)
                .after(json!({"sensitive_shown": case.sensitive.is_some(), "file": true}));
            // Changes nothing when nothing is unread: the transaction then commits
            // without a write to the log.
            let notifications_read = crate::cases::notifications::mark_case_read(
                c,
                backend,
                read.principal().user_id(),
                id,
            )?;
            let page = CasePage {
                erasure: crate::retention::erasure::requests_of(c, backend, id)?,
                notifications_read,
                surveys,
                instrument: current_instrument(c, backend)?,
                assignable,
                assigned,
                offices: offices::all(c, backend)?,
                packages: packages::all(c, backend)?,
                projects: individual_projects(c, backend)?,
                file,
            };
            Ok((page, shown))
        })?;
        // Before the page is handed over, with other readers' entries of the moment.
        self.record(actor, shown)?;
        Ok(page)
    }

    /// Reads one part of a case the proof covers, recorded as a view of that part, in one
    /// transaction.
    fn case_part<T>(
        &self,
        auth: &Authorized<ReadCases>,
        actor: &Actor,
        id: i64,
        part: &str,
        read: impl Fn(&mut DbConnection, Backend, CaseView) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        self.read_recorded(actor, |c| {
            let backend = self.backend();
            let case = load_covered(c, backend, auth, id)?;
            let shown = Change::new(Action::View, "case", id).after(json!({"part": part}));
            Ok((read(c, backend, case)?, Some(shown)))
        })
    }

    /// The case's reintegration plan, its package and its totals against the cap.
    pub fn case_plan(
        &self,
        auth: &Authorized<ReadCases>,
        actor: &Actor,
        id: i64,
    ) -> Result<CasePlan, StoreError> {
        self.case_part(auth, actor, id, "plan", |c, backend, case| {
            let items = items_of(c, backend, id)?;
            let payments = payments_of(c, backend, id)?;
            Ok(CasePlan {
                package: match case.package_id {
                    Some(p) => crate::cases::packages::package(c, backend, p)?,
                    None => None,
                },
                totals: totals(c, backend, &case, &items, &payments)?,
                items,
                case,
            })
        })
    }

    /// The assistance given on the case, with its receipts.
    pub fn case_assistance(
        &self,
        auth: &Authorized<ReadCases>,
        actor: &Actor,
        id: i64,
    ) -> Result<CaseAssistance, StoreError> {
        self.case_part(auth, actor, id, "assistance", |c, backend, _| {
            Ok(CaseAssistance {
                payments: payments_of(c, backend, id)?,
                receipts: receipts_of(c, backend, id)?,
            })
        })
    }

    /// The case's referrals to partners.
    pub fn case_referrals(
        &self,
        auth: &Authorized<ReadCases>,
        actor: &Actor,
        id: i64,
    ) -> Result<Vec<ReferralRow>, StoreError> {
        self.case_part(auth, actor, id, "referrals", |c, backend, _| {
            referrals_of(c, backend, id)
        })
    }

    /// The visits and calls made on the case.
    pub fn case_visits(
        &self,
        auth: &Authorized<ReadCases>,
        actor: &Actor,
        id: i64,
    ) -> Result<Vec<FollowUpRow>, StoreError> {
        self.case_part(auth, actor, id, "visits", |c, backend, _| {
            follow_ups_of(c, backend, id)
        })
    }

    /// The case's tasks, done and open.
    pub fn case_tasks(
        &self,
        auth: &Authorized<ReadCases>,
        actor: &Actor,
        id: i64,
    ) -> Result<Vec<TaskRow>, StoreError> {
        self.case_part(auth, actor, id, "tasks", |c, backend, _| {
            tasks_of(c, backend, id)
        })
    }

    /// The returnee's household, with the case's version to edit from.
    pub fn case_household(
        &self,
        auth: &Authorized<ReadCases>,
        actor: &Actor,
        id: i64,
    ) -> Result<CaseHousehold, StoreError> {
        self.case_part(auth, actor, id, "household", |c, backend, case| {
            Ok(CaseHousehold {
                version: case.version,
                members: household_of(c, backend, case.returnee_id)?,
            })
        })
    }

    /// Everything Homeward holds about the returnee of a case, across their cases within
    /// the exporter's reach, as one JSON document for the returnee (the right of access).
    /// The export and its purpose are recorded.
    pub fn returnee_record(
        &self,
        auth: &Authorized<ExportCases>,
        actor: &Actor,
        id: i64,
    ) -> Result<Value, StoreError> {
        let r = self.returnee_record_files(auth, actor, id)?;
        let v = &r.cases[0].case;
        let first = &r.cases[0];
        Ok(json!({
            "document": "Personal data held by Homeward (right of access)",
            "generated_at": crate::utc_now(),
            "person": {
                "given_name": v.given_name, "family_name": v.family_name, "sex": v.sex,
                "birth_date": v.birth_date, "birth_date_estimated": v.details.birth_date_estimated,
                "nationality": v.nationality, "languages": v.details.languages,
                "phone": v.details.phone, "email": v.details.email,
                "place_of_return": {"country": v.details.return_country.as_str(),
                    "area": v.details.return_area, "place": v.details.return_place},
                "vulnerabilities": v.sensitive.as_ref().map(|s| s.vulnerabilities.iter().map(|x| x.code()).collect::<Vec<_>>()),
                "health_notes": v.sensitive.as_ref().map(|s| s.health_notes.clone()),
            },
            "household": first.household.iter().map(|m| json!({
                "name": m.member.name, "relation": m.member.relation.code(),
                "sex": m.member.sex.code(), "birth_year": m.member.birth_year,
            })).collect::<Vec<_>>(),
            "consents": first.consents.iter().map(|k| json!({
                "purpose": k.consent.purpose.code(), "partner_office_id": k.consent.partner_office,
                "given_on": k.consent.given_on.to_string(),
                "withdrawn_on": k.consent.withdrawn_on.map(|w| w.to_string()),
            })).collect::<Vec<_>>(),
            "cases": r.cases.iter().map(file_json).collect::<Vec<_>>(),
            "given_to": r.given_to.iter().map(|g| json!({
                "case": g.reference, "office": g.office, "how": g.kind,
                "service": (!g.service.is_empty()).then_some(&g.service), "since": g.since,
            })).collect::<Vec<_>>(),
            "surveys": r.surveys.iter().map(|(case, s)| json!({
                "case": case, "kind": s.kind.code(), "taken_on": s.taken_on,
                "questions_from": s.taken_with, "answers": s.answers,
                "scores": {"economic": s.scores.economic, "social": s.scores.social,
                    "psychosocial": s.scores.psychosocial, "composite": s.scores.composite,
                    "band": s.band},
            })).collect::<Vec<_>>(),
        }))
    }

    /// The same record as data, for the readable page: the returnee's case files within
    /// the exporter's reach (the asked case first) and their surveys. The export and its
    /// purpose are recorded.
    pub fn returnee_record_files(
        &self,
        auth: &Authorized<ExportCases>,
        actor: &Actor,
        id: i64,
    ) -> Result<ReturneeRecord, StoreError> {
        self.write(|c| {
            let backend = self.backend();
            let first = gather(c, backend, auth, id)?;
            let mut q = crate::db::sql::Sql::new(backend);
            q.push("SELECT id FROM cases WHERE returnee_id = ")
                .int(first.case.returnee_id)
                .push(" ORDER BY id");
            let ids: Vec<i64> = q
                .load::<crate::access::offices::Id>(c)?
                .into_iter()
                .map(|r| r.id)
                .filter(|cid| *cid != id)
                .collect();
            // The returnee's other cases, where the exporter's scope reaches them.
            let mut cases = vec![first];
            for cid in ids {
                match gather(c, backend, auth, cid) {
                    Ok(f) => cases.push(f),
                    Err(StoreError::NotFound(_)) => {}
                    Err(e) => return Err(e),
                }
            }
            // Surveys speak of distress and safety: in the record with the sensitive
            // fields, for whoever may see those.
            let mut surveys = vec![];
            if cases[0].case.sensitive.is_some() {
                let current = crate::survey::current(c, backend)?.map(|x| x.id);
                for f in &cases {
                    for s in crate::survey::surveys::surveys_of(c, backend, f.case.id, current)? {
                        surveys.push((f.case.reference.clone(), s));
                    }
                }
            }
            let ids: Vec<i64> = cases.iter().map(|f| f.case.id).collect();
            let given_to = recipients_of(c, backend, &ids)?;
            let v = &cases[0].case;
            append(
                c,
                backend,
                actor,
                Change::new(Action::Export, "returnee", v.returnee_id).after(json!({
                    "purpose": "right of access", "cases": cases.iter().map(|f| f.case.id).collect::<Vec<_>>(),
                    "sensitive_included": v.sensitive.is_some(),
                })),
            )?;
            Ok(ReturneeRecord {
                cases,
                surveys,
                given_to,
            })
        })
    }
}
