//! Registering a returnee and opening their case in the registering office (host and
//! owner), assigned to the registering caseworker; and a new case for a person who returns
//! again, on the same record.

use crate::audit::{Change, append};
use crate::cases::codes;
use crate::cases::load_covered;
use crate::cases::push_details;
use crate::cases::sensitive_digest;
use crate::db::sql::Sql;
use crate::{Actor, Backend, DbConnection, Store, StoreError};
use homeward_domain::access::{Authorized, ReadCases, WriteCases};
use homeward_domain::audit::Action;
use homeward_domain::case::Registration;
use homeward_domain::credentials::secret;
use homeward_domain::reintegration::stage::Stage;
use serde_json::json;

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
    let reference = reference_of(id);
    let mut up = Sql::new(backend);
    up.push("UPDATE cases SET reference = ")
        .text(reference.clone())
        .push(" WHERE id = ")
        .int(id);
    up.execute(c)?;
    Ok((id, reference))
}

/// The office a case goes to is one of the organisation's own (a partner is reached by a
/// referral) in the country the returnee goes back to.
fn origin_fits(
    office: &crate::access::offices::Office,
    return_country: &str,
) -> Result<(), StoreError> {
    if office.kind != homeward_domain::account::OfficeKind::IomMission.code() {
        return Err(StoreError::conflict(
            "origin_office",
            format!(
                "{} is not an office of the organisation; a partner is reached by a referral",
                office.name
            ),
        ));
    }
    if office.country != return_country {
        return Err(StoreError::conflict(
            "origin_office",
            format!(
                "{} is in {}, but the returnee goes back to {return_country}: choose an office there",
                office.name, office.country
            ),
        ));
    }
    Ok(())
}

/// The reference a case is known by, from its number.
pub fn reference_of(id: i64) -> String {
    format!("HW-{id:06}")
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
            let origin =
                crate::access::offices::find(c, backend, r.origin_office, "origin_office")?;
            origin_fits(&origin, r.details.return_country.as_str())?;
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
            crate::cases::names::index_returnee(c, backend, returnee)?;
            crate::cases::log::note(c, backend, id, actor, "registered", &reference)?;
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
            crate::cases::log::note(c, backend, id, actor, "registered", &reference)?;
            crate::cases::log::note(c, backend, id, actor, "returned_again", &before.reference)?;
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
}
