//! Returnees' cases as far as registration, sharing, handover and assignment. Every
//! function takes the policy's proof for what it does; a case outside the proof's scope
//! is reported as not found, so its existence does not leak. Sensitive fields are read
//! only when the principal may see them, and never written to the audit trail in clear.

use crate::audit::{Change, append};
use crate::sql::Sql;
use crate::{Actor, Backend, DbConnection, Store, StoreError};
use diesel::QueryableByName;
use diesel::sql_types::{BigInt, Bool, Nullable, Text};
use homeward_domain::CountryCode;
use homeward_domain::access::{
    AssignCases, Authorized, Capability, CaseFacts, ExportCases, ReadCases, RecordFilter,
    SeeAggregates, WriteCases,
};
use homeward_domain::account::OfficeKind;
use homeward_domain::audit::Action;
use homeward_domain::case::{Details, Registration, Sensitive, Vulnerability};
use homeward_domain::credentials::secret;
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
}

const CASE_SELECT: &str = "SELECT c.id, c.reference, r.given_name, r.family_name, r.sex, \
    r.birth_date, r.nationality, r.vulnerabilities, r.health_notes, c.host_office_id, \
    c.origin_office_id, c.owning_office_id, c.assigned_user_id, c.status, c.created_at, \
    c.returnee_id, c.version, c.package_id, c.project_id, c.counselled_on, c.departed_on, \
    c.arrived_on, c.plan_agreed_on, c.closed_on, c.closure_reason, c.closure_note, \
    c.plan_state, c.plan_comment, c.plan_exception, r.birth_date_estimated, r.languages, \
    r.phone, r.email, r.return_country, r.return_area, r.return_place \
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
    if auth.covers(&v.facts()) {
        Ok(v)
    } else {
        Err(not_found())
    }
}

fn case_json(v: &CaseView) -> serde_json::Value {
    json!({
        "reference": v.reference, "given_name": v.given_name, "family_name": v.family_name,
        "owning_office_id": v.owning_office_id, "assigned_user_id": v.assigned_user_id,
        "status": v.status,
        "shares": v.shares.iter().map(|s| json!({"office_id": s.office_id, "kind": s.kind})).collect::<Vec<_>>(),
    })
}

/// Counts by one dimension, for aggregate views.
#[derive(Debug, Clone, PartialEq, Eq, QueryableByName)]
pub struct Count {
    #[diesel(sql_type = Text)]
    pub key: String,
    #[diesel(sql_type = BigInt)]
    pub n: i64,
}

/// Numbers about cases, never a name: what M&E officers and dashboards get.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CaseAggregates {
    pub total: i64,
    pub by_office: Vec<Count>,
    pub by_status: Vec<Count>,
    pub by_sex: Vec<Count>,
    pub by_nationality: Vec<Count>,
}

/// Where a handover sends a case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HandTo {
    /// To the office in the country of origin (after departure).
    Origin,
    /// Back to the host office (the return did not happen, or was postponed).
    Host,
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

/// A new case for a returnee, registered in `office` (host and owner) and assigned to
/// `user`: its id and case number.
fn insert_case(
    c: &mut DbConnection,
    backend: Backend,
    returnee: i64,
    office: i64,
    origin: i64,
    user: i64,
) -> Result<(i64, String), StoreError> {
    let now = crate::utc_now();
    let mut cs = Sql::new(backend);
    cs.push(
        "INSERT INTO cases (reference, returnee_id, host_office_id, origin_office_id, \
         owning_office_id, assigned_user_id, status, created_at, updated_at) VALUES (",
    )
    .text(secret::new_token("pending-"))
    .push(", ")
    .int(returnee)
    .push(", ")
    .int(office)
    .push(", ")
    .int(origin)
    .push(", ")
    .int(office)
    .push(", ")
    .int(user)
    .push(", 'registered', ")
    .text(now.clone())
    .push(", ")
    .text(now)
    .push(") RETURNING id");
    let id = cs.insert_id(c)?;
    let reference = format!("HW-{id:06}");
    let mut up = Sql::new(backend);
    up.push("UPDATE cases SET reference = ")
        .text(reference.clone())
        .push(" WHERE id = ")
        .int(id);
    up.execute(c)?;
    Ok((id, reference))
}

impl Store {
    /// Registers a returnee and opens their case in the principal's office, assigned to
    /// the principal.
    pub fn register_case(
        &self,
        auth: &Authorized<WriteCases>,
        actor: &Actor,
        r: &Registration,
    ) -> Result<i64, StoreError> {
        let p = auth.principal();
        self.write(|c| {
            let backend = self.backend();
            crate::offices::find(c, backend, r.origin_office, "origin_office")?;
            let now = crate::utc_now();
            let mut ins = Sql::new(backend);
            ins.push(
                "INSERT INTO returnees (given_name, family_name, sex, birth_date, nationality, \
                 vulnerabilities, health_notes, created_at, birth_date_estimated, languages, \
                 phone, email, return_country, return_area, return_place) VALUES (",
            )
            .text(r.given_name.clone())
            .push(", ")
            .text(r.family_name.clone())
            .push(", ")
            .text(r.sex.code())
            .push(", ")
            .opt_text(r.birth_date.map(|d| d.to_string()))
            .push(", ")
            .text(r.nationality.as_str())
            .push(", ")
            .text(codes(&r.sensitive.vulnerabilities))
            .push(", ")
            .text(r.sensitive.health_notes.clone())
            .push(", ")
            .text(now.clone())
            .push(", ");
            push_details(&mut ins, &r.details);
            ins.push(") RETURNING id");
            let returnee = ins.insert_id(c)?;
            let (id, reference) = insert_case(
                c,
                backend,
                returnee,
                p.office_id(),
                r.origin_office,
                p.user_id(),
            )?;
            crate::names::index_returnee(c, backend, returnee)?;
            crate::case_log::note(c, backend, id, actor, "registered", &reference)?;
            append(
                c,
                backend,
                actor,
                Change::new(Action::Create, "case", id).after(json!({
                    "reference": reference, "given_name": r.given_name,
                    "family_name": r.family_name, "sex": r.sex.code(),
                    "birth_date": r.birth_date.map(|d| d.to_string()),
                    "nationality": r.nationality.as_str(),
                    "origin_office_id": r.origin_office, "owning_office_id": p.office_id(),
                    "sensitive": sensitive_digest(&r.sensitive),
                })),
            )?;
            Ok(id)
        })
    }

    /// Opens a new case for a returnee who returns again: the earlier case, which the
    /// principal may read, must be closed; the new one starts registered in the
    /// principal's office, towards the same origin office, on the same person's record
    /// (household, consents and name keys carry over).
    pub fn open_return_case(
        &self,
        read: &Authorized<ReadCases>,
        auth: &Authorized<WriteCases>,
        actor: &Actor,
        earlier: i64,
    ) -> Result<i64, StoreError> {
        let p = auth.principal();
        self.write(|c| {
            let backend = self.backend();
            let before = load_covered(c, backend, read, earlier)?;
            if before.stage() != Stage::Closed {
                return Err(StoreError::conflict(
                    "case",
                    format!(
                        "{} is still open: continue it rather than opening another",
                        before.reference
                    ),
                ));
            }
            let (id, reference) = insert_case(
                c,
                backend,
                before.returnee_id,
                p.office_id(),
                before.origin_office_id,
                p.user_id(),
            )?;
            crate::case_log::note(c, backend, id, actor, "registered", &reference)?;
            crate::case_log::note(c, backend, id, actor, "returned_again", &before.reference)?;
            append(
                c,
                backend,
                actor,
                Change::new(Action::Create, "case", id).after(json!({
                    "reference": reference, "returnee_id": before.returnee_id,
                    "earlier_case": earlier, "origin_office_id": before.origin_office_id,
                    "owning_office_id": p.office_id(),
                })),
            )?;
            Ok(id)
        })
    }

    /// The cases the proof reaches, newest first; the listing is recorded as a view of
    /// the personal data shown.
    pub fn cases(
        &self,
        auth: &Authorized<ReadCases>,
        actor: &Actor,
        limit: i64,
    ) -> Result<Vec<CaseView>, StoreError> {
        let backend = self.backend();
        self.write(|c| {
            let mut q = Sql::new(backend);
            q.push(CASE_SELECT);
            push_filter(&mut q, auth.filter());
            q.push(" ORDER BY c.id DESC LIMIT ")
                .int(limit.clamp(1, 1000));
            let rows = q.load::<CaseRow>(c)?;
            let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
            let shares = shares_of(c, backend, &ids)?;
            let p = auth.principal().clone();
            let views = rows
                .into_iter()
                .map(|r| view_of(r, &shares, |f| p.sees_sensitive(f)))
                .collect::<Result<Vec<_>, _>>()?;
            if !views.is_empty() {
                append(
                    c,
                    backend,
                    actor,
                    Change::new(Action::List, "case", "")
                        .after(json!({"cases": views.iter().map(|v| v.id).collect::<Vec<_>>()})),
                )?;
            }
            Ok(views)
        })
    }

    /// One case, recorded as viewed.
    pub fn case(
        &self,
        auth: &Authorized<ReadCases>,
        actor: &Actor,
        id: i64,
    ) -> Result<CaseView, StoreError> {
        self.write(|c| {
            let v = load_covered(c, self.backend(), auth, id)?;
            append(
                c,
                self.backend(),
                actor,
                Change::new(Action::View, "case", id)
                    .after(json!({"sensitive_shown": v.sensitive.is_some()})),
            )?;
            Ok(v)
        })
    }

    /// Shares a case with another office of the organisation (a partner is reached by a
    /// referral instead, which needs the returnee's consent).
    pub fn share_case(
        &self,
        auth: &Authorized<WriteCases>,
        actor: &Actor,
        id: i64,
        office_id: i64,
    ) -> Result<(), StoreError> {
        self.write(|c| {
            let backend = self.backend();
            let before = load_covered(c, backend, auth, id)?;
            let office = crate::offices::find(c, backend, office_id, "office")?;
            if office_id == before.owning_office_id {
                return Err(StoreError::conflict(
                    "office",
                    "the case is already owned by this office",
                ));
            }
            if office.kind == OfficeKind::PartnerNgo.code() {
                return Err(StoreError::conflict(
                    "office",
                    "a partner organisation is reached by a referral, with the returnee's consent",
                ));
            }
            insert_share(c, backend, id, office_id, "shared")?;
            crate::case_log::note(c, backend, id, actor, "shared", &office.name)?;
            append(
                c,
                backend,
                actor,
                Change::new(Action::Share, "case", id)
                    .before(case_json(&before))
                    .after(json!({"office_id": office_id, "kind": "shared"})),
            )?;
            Ok(())
        })
    }

    /// Hands a case over to its origin office (or back to the host office), which then
    /// owns it; the sending office keeps sight of it as a share. The new owner assigns a
    /// caseworker.
    pub fn hand_over_case(
        &self,
        auth: &Authorized<WriteCases>,
        actor: &Actor,
        id: i64,
        version: i64,
        to: HandTo,
    ) -> Result<(), StoreError> {
        self.write(|c| {
            let backend = self.backend();
            let before = load_covered(c, backend, auth, id)?;
            crate::case_log::check(c, backend, id, version)?;
            let target = match to {
                HandTo::Origin => before.origin_office_id,
                HandTo::Host => before.host_office_id,
            };
            if before.owning_office_id == target {
                return Err(StoreError::conflict(
                    "case",
                    "that office already owns this case",
                ));
            }
            if !before.stage().is_open() {
                return Err(StoreError::conflict(
                    "case",
                    "a closed case is not handed over",
                ));
            }
            let name = crate::offices::find(c, backend, target, "office")?.name;
            crate::case_log::edit(c, backend, id, version, actor, "handover", &name)?;
            let mut q = Sql::new(backend);
            q.push("UPDATE cases SET owning_office_id = ")
                .int(target)
                .push(", assigned_user_id = NULL WHERE id = ")
                .int(id);
            q.execute(c)?;
            let mut d = Sql::new(backend);
            d.push("DELETE FROM case_shares WHERE case_id = ")
                .int(id)
                .push(" AND office_id = ")
                .int(target);
            d.execute(c)?;
            insert_share(c, backend, id, before.owning_office_id, "handover")?;
            let after = load(c, backend, id)?
                .map(|(r, s)| view_of(r, &s, |_| false))
                .transpose()?
                .ok_or_else(|| StoreError::NotFound(format!("case {id}")))?;
            append(
                c,
                backend,
                actor,
                Change::new(Action::Handover, "case", id)
                    .before(case_json(&before))
                    .after(case_json(&after)),
            )?;
            Ok(())
        })
    }

    /// Assigns a case to a caseworker of the owning office.
    pub fn assign_case(
        &self,
        auth: &Authorized<AssignCases>,
        actor: &Actor,
        id: i64,
        version: i64,
        user_id: i64,
    ) -> Result<(), StoreError> {
        self.write(|c| {
            let backend = self.backend();
            let before = load_covered(c, backend, auth, id)?;
            crate::case_log::check(c, backend, id, version)?;
            let user = crate::users::assignable(c, backend, before.owning_office_id)?
                .into_iter()
                .find(|u| u.id == user_id)
                .ok_or_else(|| {
                    StoreError::conflict(
                        "user",
                        "choose an active user of the office that owns the case whose role works on cases",
                    )
                })?;
            crate::case_log::edit(c, backend, id, version, actor, "assigned", &user.name)?;
            let mut q = Sql::new(backend);
            q.push("UPDATE cases SET assigned_user_id = ")
                .int(user.id)
                .push(" WHERE id = ")
                .int(id);
            q.execute(c)?;
            append(
                c,
                backend,
                actor,
                Change::new(Action::Update, "case", id)
                    .before(json!({"assigned_user_id": before.assigned_user_id}))
                    .after(json!({"assigned_user_id": user.id})),
            )?;
            Ok(())
        })
    }

    /// The cases an export may contain, with sensitive fields only where the principal may
    /// see them; the export, its purpose and the cases in it are recorded.
    pub fn export_cases(
        &self,
        auth: &Authorized<ExportCases>,
        actor: &Actor,
        purpose: &str,
    ) -> Result<Vec<CaseView>, StoreError> {
        let purpose = purpose.trim();
        if purpose.chars().count() < 5 || purpose.chars().count() > 300 {
            return Err(StoreError::conflict(
                "purpose",
                "say what the export is for (5 to 300 characters)",
            ));
        }
        let backend = self.backend();
        self.write(|c| {
            let mut q = Sql::new(backend);
            q.push(CASE_SELECT);
            push_filter(&mut q, auth.filter());
            q.push(" ORDER BY c.id");
            let rows = q.load::<CaseRow>(c)?;
            let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
            let shares = shares_of(c, backend, &ids)?;
            let p = auth.principal().clone();
            let views = rows
                .into_iter()
                .map(|r| view_of(r, &shares, |f| p.sees_sensitive(f)))
                .collect::<Result<Vec<_>, _>>()?;
            append(
                c,
                backend,
                actor,
                Change::new(Action::Export, "case", "").after(json!({
                    "purpose": purpose, "count": views.len(),
                    "cases": views.iter().map(|v| v.id).collect::<Vec<_>>(),
                    "sensitive_included": views.iter().any(|v| v.sensitive.is_some()),
                })),
            )?;
            Ok(views)
        })
    }

    /// Counts of cases within the proof's scope, by office, status, sex and nationality.
    pub fn case_aggregates(
        &self,
        auth: &Authorized<SeeAggregates>,
    ) -> Result<CaseAggregates, StoreError> {
        let backend = self.backend();
        self.read(|c| {
            let count = |c: &mut DbConnection, key: &str| -> Result<Vec<Count>, StoreError> {
                let mut q = Sql::new(backend);
                q.push(&format!("SELECT {key} AS key, COUNT(*) AS n FROM cases c JOIN returnees r ON r.id = c.returnee_id JOIN offices o ON o.id = c.owning_office_id"));
                push_filter(&mut q, auth.filter());
                q.push(&format!(" GROUP BY {key} ORDER BY n DESC, key"));
                Ok(q.load(c)?)
            };
            let by_status = count(c, "c.status")?;
            Ok(CaseAggregates {
                total: by_status.iter().map(|k| k.n).sum(),
                by_office: count(c, "o.name")?,
                by_status,
                by_sex: count(c, "r.sex")?,
                by_nationality: count(c, "r.nationality")?,
            })
        })
    }
}

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
