//! Erasure on request: a caseworker records the returnee's request with its legal basis
//! (and whether they were given their record first), a manager of the office decides,
//! and an approved request is carried out at once, as anonymisation is.

use super::anonymise::{Search, Why, anonymise_returnee};
use super::cases_of_returnees;
use crate::audit::{Change, append};
use crate::cases::notifications::{office_holders, tell};
use crate::cases::{load_covered, log};
use crate::db::sql::Sql;
use crate::{Actor, Store, StoreError};
use diesel::QueryableByName;
use diesel::sql_types::{BigInt, Bool, Nullable, Text};
use homeward_domain::access::{ApproveCases, Authorized, Permission, ReadCases, WriteCases};
use homeward_domain::audit::Action;
use homeward_domain::reintegration::notifications::NotificationKind;
use homeward_domain::retention::Basis;
use serde_json::json;

/// A request as recorded.
#[derive(QueryableByName, Debug, Clone, PartialEq, Eq)]
pub struct ErasureRequest {
    #[diesel(sql_type = BigInt)]
    pub id: i64,
    #[diesel(sql_type = Text)]
    pub basis: String,
    #[diesel(sql_type = Bool)]
    pub record_given: bool,
    #[diesel(sql_type = Text)]
    pub requested_on: String,
    #[diesel(sql_type = Text)]
    pub requested_by: String,
    /// `requested`, `refused` or `done`.
    #[diesel(sql_type = Text)]
    pub status: String,
    #[diesel(sql_type = Nullable<Text>)]
    pub decided_by: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    pub decided_at: Option<String>,
    #[diesel(sql_type = Text)]
    pub decision_note: String,
}

const REQUEST_SELECT: &str = "SELECT e.id, e.basis, e.record_given, e.requested_on, \
    r.name AS requested_by, e.status, d.name AS decided_by, e.decided_at, e.decision_note \
    FROM erasure_requests e JOIN users r ON r.id = e.requested_by \
    LEFT JOIN users d ON d.id = e.decided_by";

/// The erasure requests of a case, newest first.
pub(crate) fn requests_of(
    c: &mut crate::DbConnection,
    backend: crate::Backend,
    case_id: i64,
) -> Result<Vec<ErasureRequest>, StoreError> {
    let mut q = Sql::new(backend);
    q.push(REQUEST_SELECT)
        .push(" WHERE e.case_id = ")
        .int(case_id)
        .push(" ORDER BY e.id DESC");
    Ok(q.load::<ErasureRequest>(c)?)
}

impl Store {
    /// Records the returnee's request to have their record erased; the office's managers
    /// are told. One request waits at a time.
    pub fn request_erasure(
        &self,
        auth: &Authorized<WriteCases>,
        actor: &Actor,
        case_id: i64,
        basis: Basis,
        record_given: bool,
    ) -> Result<i64, StoreError> {
        let backend = self.backend();
        self.write(|c| {
            let case = load_covered(c, backend, auth, case_id)?;
            let mut w = Sql::new(backend);
            w.push("SELECT COUNT(*) AS n FROM erasure_requests WHERE status = 'requested' AND case_id = ")
                .int(case_id);
            if w.number(c)? > 0 {
                return Err(StoreError::conflict(
                    "erasure",
                    "a request already waits for a manager's decision",
                ));
            }
            let mut q = Sql::new(backend);
            q.push(
                "INSERT INTO erasure_requests (case_id, basis, record_given, requested_on, \
                 requested_by, status) VALUES (",
            )
            .int(case_id)
            .push(", ")
            .text(basis.code())
            .push(", ")
            .bool(record_given)
            .push(", ")
            .text(crate::utc_now())
            .push(", ")
            .int(auth.principal().user_id())
            .push(", 'requested') RETURNING id");
            let id = q.insert_id(c)?;
            log::note(c, backend, case_id, actor, "erasure_requested", basis.code())?;
            let managers = office_holders(c, backend, case.owning_office_id, Permission::CaseApprove)?;
            tell(c, backend, actor, case_id, NotificationKind::ErasureAsked, "", managers)?;
            append(
                c,
                backend,
                actor,
                Change::new(Action::Create, "erasure_request", id).after(json!({
                    "case_id": case_id, "basis": basis.code(), "record_given": record_given,
                })),
            )?;
            Ok(id)
        })
    }

    /// A manager's decision. Approved, the returnee's record is anonymised at once (every
    /// case of theirs must be closed, and none held); refused, the reason is kept.
    /// Returns the references anonymised.
    pub fn decide_erasure(
        &self,
        auth: &Authorized<ApproveCases>,
        actor: &Actor,
        case_id: i64,
        request_id: i64,
        approve: bool,
        note: &str,
    ) -> Result<Vec<String>, StoreError> {
        let backend = self.backend();
        let note = note.trim();
        if !approve && note.chars().count() < 3 {
            return Err(StoreError::conflict(
                "note",
                "say why the request is refused",
            ));
        }
        if note.chars().count() > 1000 {
            return Err(StoreError::conflict("note", "at most 1,000 characters"));
        }
        self.write(|c| {
            let case = load_covered(c, backend, auth, case_id)?;
            let mut q = Sql::new(backend);
            q.push(
                "SELECT COUNT(*) AS n FROM erasure_requests WHERE status = 'requested' AND id = ",
            )
            .int(request_id)
            .push(" AND case_id = ")
            .int(case_id);
            if q.number(c)? == 0 {
                return Err(StoreError::NotFound(format!(
                    "erasure request {request_id}"
                )));
            }
            let today = crate::today();
            if approve {
                let cases = cases_of_returnees(c, backend, &[case.returnee_id])?;
                if let Some(open) = cases.iter().find(|k| k.closed_on.is_none()) {
                    return Err(StoreError::conflict(
                        "erasure",
                        format!(
                            "{} is still open: close it before its record is erased",
                            open.reference
                        ),
                    ));
                }
                if let Some(held) = cases.iter().find(|k| k.held_reason.is_some()) {
                    return Err(StoreError::conflict(
                        "erasure",
                        format!(
                            "{} is held ({}): an administrator must release the hold first",
                            held.reference,
                            held.held_reason.clone().unwrap_or_default()
                        ),
                    ));
                }
            }
            let mut u = Sql::new(backend);
            u.push("UPDATE erasure_requests SET status = ")
                .text(if approve { "done" } else { "refused" })
                .push(", decided_by = ")
                .int(auth.principal().user_id())
                .push(", decided_at = ")
                .text(crate::utc_now())
                .push(", decision_note = ")
                .text(note)
                .push(" WHERE id = ")
                .int(request_id);
            u.execute(c)?;
            append(
                c,
                backend,
                actor,
                Change::new(Action::Update, "erasure_request", request_id)
                    .after(json!({"status": if approve { "done" } else { "refused" }})),
            )?;
            if approve {
                // One record: the whole trail is searched in this transaction.
                anonymise_returnee(
                    c,
                    backend,
                    actor,
                    case.returnee_id,
                    today,
                    Why::Erasure(request_id),
                    Search::Now,
                )
                .map(|done| done.references)
            } else {
                log::note(c, backend, case_id, actor, "erasure_refused", "")?;
                Ok(Vec::new())
            }
        })
    }

    /// The erasure requests of a case, newest first.
    pub fn erasure_requests(
        &self,
        auth: &Authorized<ReadCases>,
        case_id: i64,
    ) -> Result<Vec<ErasureRequest>, StoreError> {
        let backend = self.backend();
        self.read(|c| {
            load_covered(c, backend, auth, case_id)?;
            requests_of(c, backend, case_id)
        })
    }
}
