//! Who holds a case: shared with another office of the organisation, handed over to the
//! origin office (or back to the host), assigned to a caseworker of the owning office.

use crate::audit::{Change, append};
use crate::cases::case_json;
use crate::cases::insert_share;
use crate::cases::load;
use crate::cases::load_covered;
use crate::cases::notifications;
use crate::cases::view_of;
use crate::db::sql::Sql;
use crate::{Actor, Store, StoreError};
use homeward_domain::access::{AssignCases, Authorized, Permission, WriteCases};
use homeward_domain::account::OfficeKind;
use homeward_domain::audit::Action;
use homeward_domain::date::Ymd;
use homeward_domain::reintegration::notifications::NotificationKind;
use homeward_domain::reintegration::stage::Stage;
use serde_json::json;

/// Where a handover sends a case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HandTo {
    /// To the office in the country of origin (after departure).
    Origin,
    /// Back to the host office (the return did not happen, or was postponed).
    Host,
}

impl Store {
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
            let office = crate::access::offices::find(c, backend, office_id, "office")?;
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
            crate::cases::log::note(c, backend, id, actor, "shared", &office.name)?;
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
        expected_departure: Option<Ymd>,
    ) -> Result<(), StoreError> {
        self.write(|c| {
            let backend = self.backend();
            let before = load_covered(c, backend, auth, id)?;
            crate::cases::log::check(c, backend, id, version)?;
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
            // Before the returnee leaves, the receiving office needs to know when to expect them.
            let before_departure = matches!(before.stage(), Stage::Registered | Stage::Counselled);
            let expected = match (to, before_departure, expected_departure) {
                (HandTo::Origin, true, None) => {
                    return Err(StoreError::conflict(
                        "expected_departure",
                        "the returnee has not left yet: say when they are expected to depart",
                    ));
                }
                (HandTo::Origin, true, Some(d)) if d < crate::today() => {
                    return Err(StoreError::conflict(
                        "expected_departure",
                        "the expected departure is in the past: record the departure instead",
                    ));
                }
                (HandTo::Origin, true, d) => d,
                _ => None,
            };
            let name = crate::access::offices::find(c, backend, target, "office")?.name;
            let said = match expected {
                Some(d) => format!("{name} (departure expected {d})"),
                None => name.clone(),
            };
            crate::cases::log::edit(c, backend, id, version, actor, "handover", &said)?;
            let mut q = Sql::new(backend);
            q.push("UPDATE cases SET owning_office_id = ")
                .int(target)
                .push(", assigned_user_id = NULL, expected_departure_on = ")
                .opt_text(expected.map(|d| d.to_string()))
                .push(" WHERE id = ")
                .int(id);
            q.execute(c)?;
            let mut d = Sql::new(backend);
            d.push("DELETE FROM case_shares WHERE case_id = ")
                .int(id)
                .push(" AND office_id = ")
                .int(target);
            d.execute(c)?;
            insert_share(c, backend, id, before.owning_office_id, "handover")?;
            let from = crate::access::offices::find(c, backend, before.owning_office_id, "office")?;
            let receivers =
                notifications::office_holders(c, backend, target, Permission::CaseAssign)?;
            notifications::tell(
                c,
                backend,
                actor,
                id,
                NotificationKind::Handover,
                &from.name,
                receivers,
            )?;
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
            crate::cases::log::check(c, backend, id, version)?;
            let user = crate::access::users::assignable(c, backend, before.owning_office_id)?
                .into_iter()
                .find(|u| u.id == user_id)
                .ok_or_else(|| {
                    StoreError::conflict(
                        "user",
                        "choose an active user of the office that owns the case whose role works on cases",
                    )
                })?;
            crate::cases::log::edit(c, backend, id, version, actor, "assigned", &user.name)?;
            let mut q = Sql::new(backend);
            q.push("UPDATE cases SET assigned_user_id = ")
                .int(user.id)
                .push(" WHERE id = ")
                .int(id);
            q.execute(c)?;
            notifications::tell(
                c,
                backend,
                actor,
                id,
                NotificationKind::Assigned,
                "",
                [user.id],
            )?;
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
}
