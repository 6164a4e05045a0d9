//! The core of a case, which every part of it builds on: the case as its reader may see it
//! ([`CaseView`]), loaded only within the proof's scope ([`load_covered`]; a case outside it
//! is reported as not found, so its existence does not leak), the scope as SQL, and the
//! helpers registration and corrections share. Sensitive fields are read only when the
//! principal may see them, and never written to the audit trail in clear.

pub mod access_log;
pub mod assistance;
pub mod caseload;
pub mod consents;
pub mod details;
pub mod documents;
pub mod file;
pub mod follow_up;
pub mod handover;
pub mod household;
pub mod log;
pub mod names;
pub mod notes;
pub mod notifications;
pub mod packages;
pub mod plans;
pub mod read;
pub mod referrals;
pub mod registration;
pub mod searches;
pub mod stages;
pub mod tasks;
pub mod work;

use crate::db::sql::Sql;
use crate::{Backend, DbConnection, Store, StoreError};
use diesel::QueryableByName;
use diesel::sql_types::{BigInt, Bool, Nullable, Text};
use homeward_domain::CountryCode;
use homeward_domain::access::ApproveCases;
use homeward_domain::access::{Authorized, Capability, CaseFacts, Permission, RecordFilter};
use homeward_domain::case::{Details, Sensitive, Vulnerability};
use homeward_domain::credentials::secret;
use homeward_domain::reintegration::stage::Actor as StepBy;
use homeward_domain::reintegration::stage::Stage;
use serde_json::json;

#[derive(Debug, Clone, QueryableByName)]
struct CaseRow {
    #[diesel(sql_type = BigInt)]
    id: i64,
    #[diesel(sql_type = Text)]
    reference: String,
    #[diesel(sql_type = Text)]
    given_name: String,
    #[diesel(sql_type = Text)]
    family_name: String,
    #[diesel(sql_type = Text)]
    sex: String,
    #[diesel(sql_type = Nullable<Text>)]
    birth_date: Option<String>,
    #[diesel(sql_type = Text)]
    nationality: String,
    #[diesel(sql_type = Text)]
    vulnerabilities: String,
    #[diesel(sql_type = Text)]
    health_notes: String,
    #[diesel(sql_type = BigInt)]
    host_office_id: i64,
    #[diesel(sql_type = BigInt)]
    origin_office_id: i64,
    #[diesel(sql_type = BigInt)]
    owning_office_id: i64,
    #[diesel(sql_type = Nullable<BigInt>)]
    assigned_user_id: Option<i64>,
    #[diesel(sql_type = Text)]
    status: String,
    #[diesel(sql_type = Text)]
    created_at: String,
    #[diesel(sql_type = BigInt)]
    returnee_id: i64,
    #[diesel(sql_type = BigInt)]
    version: i64,
    #[diesel(sql_type = Nullable<BigInt>)]
    package_id: Option<i64>,
    #[diesel(sql_type = Nullable<BigInt>)]
    project_id: Option<i64>,
    #[diesel(sql_type = Nullable<Text>)]
    counselled_on: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    departed_on: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    expected_departure_on: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    arrived_on: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    plan_agreed_on: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    closed_on: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    closure_reason: Option<String>,
    #[diesel(sql_type = Text)]
    closure_note: String,
    #[diesel(sql_type = Text)]
    plan_state: String,
    #[diesel(sql_type = Text)]
    plan_comment: String,
    #[diesel(sql_type = Bool)]
    plan_exception: bool,
    #[diesel(sql_type = Bool)]
    birth_date_estimated: bool,
    #[diesel(sql_type = Text)]
    languages: String,
    #[diesel(sql_type = Text)]
    phone: String,
    #[diesel(sql_type = Text)]
    email: String,
    #[diesel(sql_type = Text)]
    return_country: String,
    #[diesel(sql_type = Text)]
    return_area: String,
    #[diesel(sql_type = Text)]
    return_place: String,
    #[diesel(sql_type = Nullable<Text>)]
    anonymised_on: Option<String>,
}

const CASE_SELECT: &str = "SELECT c.id, c.reference, r.given_name, r.family_name, r.sex, \
    r.birth_date, r.nationality, r.vulnerabilities, r.health_notes, c.host_office_id, \
    c.origin_office_id, c.owning_office_id, c.assigned_user_id, c.status, c.created_at, \
    c.returnee_id, c.version, c.package_id, c.project_id, c.counselled_on, c.departed_on, \
    c.expected_departure_on, c.arrived_on, c.plan_agreed_on, c.closed_on, c.closure_reason, c.closure_note, \
    c.plan_state, c.plan_comment, c.plan_exception, r.birth_date_estimated, r.languages, \
    r.phone, r.email, r.return_country, r.return_area, r.return_place, c.anonymised_on \
    FROM cases c JOIN returnees r ON r.id = c.returnee_id";

#[derive(QueryableByName)]
struct ShareRow {
    #[diesel(sql_type = BigInt)]
    case_id: i64,
    #[diesel(sql_type = BigInt)]
    office_id: i64,
    #[diesel(sql_type = Text)]
    kind: String,
}

/// An office a case was shared with, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Share {
    pub office_id: i64,
    /// `handover`, `shared` or `referral`.
    pub kind: String,
}

/// A case as its reader may see it. `sensitive` is `None` unless the policy allows.
#[derive(Debug, Clone)]
pub struct CaseView {
    pub id: i64,
    pub reference: String,
    pub given_name: String,
    pub family_name: String,
    pub sex: String,
    pub birth_date: Option<String>,
    pub nationality: String,
    pub host_office_id: i64,
    pub origin_office_id: i64,
    pub owning_office_id: i64,
    pub assigned_user_id: Option<i64>,
    /// The stage's code (`registered` ... `closed`).
    pub status: String,
    pub created_at: String,
    pub shares: Vec<Share>,
    pub sensitive: Option<Sensitive>,
    pub returnee_id: i64,
    /// Moves on with every edit; an edit must name the version it was made from.
    pub version: i64,
    pub package_id: Option<i64>,
    pub project_id: Option<i64>,
    pub counselled_on: Option<String>,
    pub departed_on: Option<String>,
    /// For a case handed over before departure: when the returnee is expected to leave.
    pub expected_departure_on: Option<String>,
    pub arrived_on: Option<String>,
    pub plan_agreed_on: Option<String>,
    pub closed_on: Option<String>,
    pub closure_reason: Option<String>,
    pub closure_note: String,
    /// `draft`, `requested`, `approved` or `rejected`.
    pub plan_state: String,
    pub plan_comment: String,
    /// A manager approved the plan beyond the package (cap or components).
    pub plan_exception: bool,
    pub details: Details,
    /// When its record was anonymised (past its term, or erased on request): what
    /// named the person is gone and nothing more can be recorded on it.
    pub anonymised_on: Option<String>,
}

impl CaseView {
    /// The stage, read from its stored code (an unknown code reads as registered).
    pub fn stage(&self) -> Stage {
        self.status.parse().unwrap_or(Stage::Registered)
    }
}

impl CaseView {
    pub fn facts(&self) -> CaseFacts {
        CaseFacts {
            owning_office: self.owning_office_id,
            assigned_user: self.assigned_user_id,
            shared_with: self.shares.iter().map(|s| s.office_id).collect(),
        }
    }
}

fn parse_vulnerabilities(s: &str) -> Vec<Vulnerability> {
    s.split(',').filter_map(|v| v.parse().ok()).collect()
}

fn codes(v: &[Vulnerability]) -> String {
    v.iter().map(|v| v.code()).collect::<Vec<_>>().join(",")
}

/// What the audit trail keeps of sensitive fields: a digest, so a change shows without
/// the content.
fn sensitive_digest(s: &Sensitive) -> String {
    format!(
        "sha256:{}",
        secret::digest(&format!(
            "{}\n{}",
            codes(&s.vulnerabilities),
            s.health_notes
        ))
    )
}

fn shares_of(
    conn: &mut DbConnection,
    backend: Backend,
    ids: &[i64],
) -> Result<Vec<ShareRow>, StoreError> {
    if ids.is_empty() {
        return Ok(vec![]);
    }
    let mut q = Sql::new(backend);
    q.push("SELECT case_id, office_id, kind FROM case_shares WHERE case_id IN ")
        .int_list(ids)
        .push(" ORDER BY created_at, office_id");
    Ok(q.load(conn)?)
}

fn view_of(
    row: CaseRow,
    shares: &[ShareRow],
    sees: impl Fn(&CaseFacts) -> bool,
) -> Result<CaseView, StoreError> {
    let return_country: CountryCode = row
        .return_country
        .parse()
        .or_else(|_| row.nationality.parse())
        .map_err(|_| StoreError::Corrupt(format!("case {}: country of return", row.id)))?;
    let shares: Vec<Share> = shares
        .iter()
        .filter(|s| s.case_id == row.id)
        .map(|s| Share {
            office_id: s.office_id,
            kind: s.kind.clone(),
        })
        .collect();
    let mut v = CaseView {
        id: row.id,
        reference: row.reference,
        given_name: row.given_name,
        family_name: row.family_name,
        sex: row.sex,
        birth_date: row.birth_date,
        nationality: row.nationality,
        host_office_id: row.host_office_id,
        origin_office_id: row.origin_office_id,
        owning_office_id: row.owning_office_id,
        assigned_user_id: row.assigned_user_id,
        status: row.status,
        created_at: row.created_at,
        shares,
        sensitive: None,
        returnee_id: row.returnee_id,
        version: row.version,
        package_id: row.package_id,
        project_id: row.project_id,
        counselled_on: row.counselled_on,
        departed_on: row.departed_on,
        expected_departure_on: row.expected_departure_on,
        arrived_on: row.arrived_on,
        plan_agreed_on: row.plan_agreed_on,
        closed_on: row.closed_on,
        closure_reason: row.closure_reason,
        closure_note: row.closure_note,
        plan_state: row.plan_state,
        plan_comment: row.plan_comment,
        plan_exception: row.plan_exception,
        details: Details {
            birth_date_estimated: row.birth_date_estimated,
            languages: row.languages,
            phone: row.phone,
            email: row.email,
            return_country,
            return_area: row.return_area,
            return_place: row.return_place,
        },
        anonymised_on: row.anonymised_on,
    };
    if sees(&v.facts()) {
        v.sensitive = Some(Sensitive {
            vulnerabilities: parse_vulnerabilities(&row.vulnerabilities),
            health_notes: row.health_notes,
        });
    }
    Ok(v)
}

fn push_filter(q: &mut Sql, f: RecordFilter) {
    q.push(" WHERE ");
    push_scope(q, f);
}

/// The scope as one parenthesised condition on `c` (cases), for joining with others.
pub(crate) fn push_scope(q: &mut Sql, f: RecordFilter) {
    push_scope_with(q, f, "");
}

/// The scope as a check on each case rather than a way in: for lists read newest first,
/// where starting from the office's or the assignee's index (SQLite unites both) reads
/// the whole office before the first page.
pub(crate) fn push_scope_checked(q: &mut Sql, f: RecordFilter) {
    push_scope_with(q, f, "+");
}

fn push_scope_with(q: &mut Sql, f: RecordFilter, unary: &str) {
    let assigned = format!("({unary}c.assigned_user_id = ");
    let owning = format!(" OR {unary}c.owning_office_id = ");
    match f {
        RecordFilter::All => q.push("(1 = 1)"),
        RecordFilter::Own { user_id } => q.push(&assigned).int(user_id).push(")"),
        RecordFilter::Office { user_id, office_id } => q
            .push(&assigned)
            .int(user_id)
            .push(&owning)
            .int(office_id)
            .push(")"),
        RecordFilter::Shared { user_id, office_id } => q
            .push(&assigned)
            .int(user_id)
            .push(&owning)
            .int(office_id)
            .push(" OR c.id IN (SELECT case_id FROM case_shares WHERE office_id = ")
            .int(office_id)
            .push("))"),
    };
}

/// One case with its shares, whatever the scope; callers check it.
fn load(
    conn: &mut DbConnection,
    backend: Backend,
    id: i64,
) -> Result<Option<(CaseRow, Vec<ShareRow>)>, StoreError> {
    let mut q = Sql::new(backend);
    q.push(CASE_SELECT).push(" WHERE c.id = ").int(id);
    let Some(row) = q.load::<CaseRow>(conn)?.into_iter().next() else {
        return Ok(None);
    };
    let shares = shares_of(conn, backend, &[id])?;
    Ok(Some((row, shares)))
}

/// The case if the proof covers it; otherwise "not found", as if it did not exist.
pub(crate) fn load_covered<C: Capability>(
    conn: &mut DbConnection,
    backend: Backend,
    auth: &Authorized<C>,
    id: i64,
) -> Result<CaseView, StoreError> {
    let not_found = || StoreError::NotFound(format!("case {id}"));
    let (row, shares) = load(conn, backend, id)?.ok_or_else(not_found)?;
    let p = auth.principal().clone();
    let v = view_of(row, &shares, |f| p.sees_sensitive(f))?;
    if !auth.covers(&v.facts()) {
        return Err(not_found());
    }
    // Recording on an anonymised case would write about the person again.
    if let Some(on) = &v.anonymised_on
        && !matches!(
            C::PERMISSION,
            Permission::CaseRead | Permission::CaseAccessLog
        )
    {
        return Err(StoreError::conflict(
            "case",
            format!(
                "{} was anonymised on {on}; nothing more can be recorded on it",
                v.reference
            ),
        ));
    }
    Ok(v)
}

fn case_json(v: &CaseView) -> serde_json::Value {
    json!({
        "reference": v.reference, "given_name": v.given_name, "family_name": v.family_name,
        "owning_office_id": v.owning_office_id, "assigned_user_id": v.assigned_user_id,
        "status": v.status,
        "shares": v.shares.iter().map(|s| json!({"office_id": s.office_id, "kind": s.kind})).collect::<Vec<_>>(),
    })
}

/// The changeable details as bind values, in the column order `birth_date_estimated,
/// languages, phone, email, return_country, return_area, return_place`.
pub(crate) fn push_details(q: &mut Sql, d: &Details) {
    q.bool(d.birth_date_estimated)
        .push(", ")
        .text(d.languages.clone())
        .push(", ")
        .text(d.phone.clone())
        .push(", ")
        .text(d.email.clone())
        .push(", ")
        .text(d.return_country.as_str())
        .push(", ")
        .text(d.return_area.clone())
        .push(", ")
        .text(d.return_place.clone());
}

pub(crate) fn insert_share(
    conn: &mut DbConnection,
    backend: Backend,
    case_id: i64,
    office_id: i64,
    kind: &str,
) -> Result<(), StoreError> {
    let mut del = Sql::new(backend);
    del.push("DELETE FROM case_shares WHERE case_id = ")
        .int(case_id)
        .push(" AND office_id = ")
        .int(office_id);
    del.execute(conn)?;
    let mut q = Sql::new(backend);
    q.push("INSERT INTO case_shares (case_id, office_id, kind, created_at) VALUES (")
        .int(case_id)
        .push(", ")
        .int(office_id)
        .push(", ")
        .text(kind)
        .push(", ")
        .text(crate::utc_now())
        .push(")");
    q.execute(conn)?;
    Ok(())
}

impl Store {}

#[derive(QueryableByName)]
struct IdOnly {
    #[diesel(sql_type = BigInt)]
    id: i64,
}

/// The case with this number (`HW-000123`), whoever may read it: callers check scope.
pub(crate) fn id_by_reference(
    c: &mut DbConnection,
    backend: Backend,
    reference: &str,
) -> Result<Option<i64>, StoreError> {
    let mut q = Sql::new(backend);
    q.push("SELECT id FROM cases WHERE reference = ")
        .text(reference.to_ascii_uppercase());
    Ok(q.load::<IdOnly>(c)?.first().map(|r| r.id))
}

/// Whether the approver's proof makes this person a manager for this case.
pub(crate) fn step_by(approver: Option<&Authorized<ApproveCases>>, case: &CaseView) -> StepBy {
    match approver {
        Some(a) if a.covers(&case.facts()) => StepBy::Manager,
        _ => StepBy::Caseworker,
    }
}

pub(crate) fn open_case(case: &CaseView) -> Result<(), StoreError> {
    if case.stage().is_open() {
        Ok(())
    } else {
        Err(StoreError::conflict(
            "case",
            "the case is closed; a manager can reopen it",
        ))
    }
}
