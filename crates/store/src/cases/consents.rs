//! The returnee's consents, one per purpose (registration and assistance, sharing with a
//! named partner, follow-up surveys, photos), with the date and who took them; withdrawing
//! one stops what it covered at once.

use crate::audit::{Change, append};
use crate::cases::load_covered;
use crate::cases::log;
use crate::cases::notifications::{office_holders, tell};
use crate::db::sql::Sql;
use crate::{Actor, Backend, DbConnection, Store, StoreError};
use diesel::QueryableByName;
use diesel::sql_types::{BigInt, Nullable, Text};
use homeward_domain::access::{Authorized, Permission, WriteCases};
use homeward_domain::audit::Action;
use homeward_domain::date::Ymd;
use homeward_domain::reintegration::consent::{Consent, Purpose};
use homeward_domain::reintegration::notifications::NotificationKind;
use serde_json::json;

#[derive(QueryableByName)]
struct ConsentRow {
    #[diesel(sql_type = BigInt)]
    id: i64,
    #[diesel(sql_type = Text)]
    purpose: String,
    #[diesel(sql_type = Nullable<BigInt>)]
    partner_office_id: Option<i64>,
    #[diesel(sql_type = Text)]
    given_on: String,
    #[diesel(sql_type = BigInt)]
    taken_by: i64,
    #[diesel(sql_type = Nullable<Text>)]
    withdrawn_on: Option<String>,
}

/// A consent as recorded, with its row id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredConsent {
    pub id: i64,
    pub consent: Consent,
}

pub(crate) fn consents_of(
    c: &mut DbConnection,
    backend: Backend,
    returnee_id: i64,
) -> Result<Vec<StoredConsent>, StoreError> {
    let mut q = Sql::new(backend);
    q.push(
        "SELECT id, purpose, partner_office_id, given_on, taken_by, withdrawn_on FROM consents \
         WHERE returnee_id = ",
    )
    .int(returnee_id)
    .push(" ORDER BY id");
    Ok(q.load::<ConsentRow>(c)?
        .into_iter()
        .filter_map(|r| {
            Some(StoredConsent {
                id: r.id,
                consent: Consent {
                    purpose: r.purpose.parse().ok()?,
                    partner_office: r.partner_office_id,
                    given_on: r.given_on.parse().ok()?,
                    taken_by: r.taken_by,
                    withdrawn_on: r.withdrawn_on.and_then(|w| w.parse().ok()),
                },
            })
        })
        .collect())
}

#[derive(QueryableByName)]
struct Pending {
    #[diesel(sql_type = BigInt)]
    id: i64,
    #[diesel(sql_type = BigInt)]
    case_id: i64,
    #[diesel(sql_type = Text)]
    service: String,
}

/// Cancels the returnee's referrals to `partner` still sent or accepted, telling the
/// partner's people who answer referrals.
fn cancel_referrals(
    c: &mut DbConnection,
    backend: Backend,
    actor: &Actor,
    returnee_id: i64,
    partner: i64,
    on: Ymd,
) -> Result<(), StoreError> {
    let mut q = Sql::new(backend);
    q.push(
        "SELECT f.id, f.case_id, f.service FROM referrals f JOIN cases c ON c.id = f.case_id \
         WHERE f.status IN ('sent', 'accepted') AND f.office_id = ",
    )
    .int(partner)
    .push(" AND c.returnee_id = ")
    .int(returnee_id);
    let pending = q.load::<Pending>(c)?;
    let people = office_holders(c, backend, partner, Permission::ReferralRespond)?;
    for p in pending {
        let mut u = Sql::new(backend);
        u.push("UPDATE referrals SET status = 'cancelled', outcome = ")
            .text(format!("consent withdrawn on {on}"))
            .push(", updated_at = ")
            .text(crate::utc_now())
            .push(" WHERE id = ")
            .int(p.id);
        u.execute(c)?;
        log::note(
            c,
            backend,
            p.case_id,
            actor,
            "referral_cancelled",
            &p.service,
        )?;
        tell(
            c,
            backend,
            actor,
            p.case_id,
            NotificationKind::ReferralCancelled,
            &p.service,
            people.clone(),
        )?;
        append(
            c,
            backend,
            actor,
            Change::new(Action::Update, "referral", p.id)
                .after(json!({"status": "cancelled", "why": "consent_withdrawn"})),
        )?;
    }
    Ok(())
}

impl Store {
    /// Records a consent the returnee gave on `on` (for sharing: naming the partner).
    pub fn record_consent(
        &self,
        auth: &Authorized<WriteCases>,
        actor: &Actor,
        id: i64,
        purpose: Purpose,
        partner: Option<i64>,
        on: Ymd,
    ) -> Result<i64, StoreError> {
        if on > crate::today() {
            return Err(StoreError::conflict("given_on", "is in the future"));
        }
        let partner = if purpose == Purpose::SharePartner {
            Some(partner.ok_or_else(|| {
                StoreError::conflict("partner", "name the partner the data may be shared with")
            })?)
        } else {
            None
        };
        self.write(|c| {
            let backend = self.backend();
            let case = load_covered(c, backend, auth, id)?;
            if let Some(p) = partner {
                crate::access::offices::find(c, backend, p, "partner")?;
            }
            let mut q = Sql::new(backend);
            q.push(
                "INSERT INTO consents (returnee_id, purpose, partner_office_id, given_on, \
                 taken_by, created_at) VALUES (",
            )
            .int(case.returnee_id)
            .push(", ")
            .text(purpose.code())
            .push(", ")
            .opt_int(partner)
            .push(", ")
            .text(on.to_string())
            .push(", ")
            .int(auth.principal().user_id())
            .push(", ")
            .text(crate::utc_now())
            .push(") RETURNING id");
            let cid = q.insert_id(c)?;
            log::note(c, backend, id, actor, "consent_given", purpose.code())?;
            append(
                c,
                backend,
                actor,
                Change::new(Action::Create, "consent", cid).after(json!({
                    "returnee_id": case.returnee_id, "purpose": purpose.code(),
                    "partner_office_id": partner, "given_on": on.to_string(),
                })),
            )?;
            Ok(cid)
        })
    }

    /// Withdraws a consent from `on`. Withdrawing consent to share with a partner ends
    /// that partner's sight of the case at once and cancels the referrals to it that are
    /// not finished, each with a notice to the partner; withdrawing consent to surveys
    /// stops new ones (they check it when recorded).
    pub fn withdraw_consent(
        &self,
        auth: &Authorized<WriteCases>,
        actor: &Actor,
        id: i64,
        consent_id: i64,
        on: Ymd,
    ) -> Result<(), StoreError> {
        self.write(|c| {
            let backend = self.backend();
            let case = load_covered(c, backend, auth, id)?;
            let consent = consents_of(c, backend, case.returnee_id)?
                .into_iter()
                .find(|k| k.id == consent_id && k.consent.withdrawn_on.is_none())
                .ok_or_else(|| StoreError::NotFound(format!("consent {consent_id}")))?;
            let mut q = Sql::new(backend);
            q.push("UPDATE consents SET withdrawn_on = ")
                .text(on.to_string())
                .push(", withdrawn_by = ")
                .int(auth.principal().user_id())
                .push(" WHERE id = ")
                .int(consent_id);
            q.execute(c)?;
            if let Some(partner) = consent.consent.partner_office {
                cancel_referrals(c, backend, actor, case.returnee_id, partner, on)?;
                let mut d = Sql::new(backend);
                d.push("DELETE FROM case_shares WHERE kind = 'referral' AND office_id = ")
                    .int(partner)
                    .push(" AND case_id IN (SELECT id FROM cases WHERE returnee_id = ")
                    .int(case.returnee_id)
                    .push(")");
                d.execute(c)?;
            }
            log::note(
                c,
                backend,
                id,
                actor,
                "consent_withdrawn",
                consent.consent.purpose.code(),
            )?;
            append(
                c,
                backend,
                actor,
                Change::new(Action::Update, "consent", consent_id)
                    .before(json!({"withdrawn_on": null}))
                    .after(json!({"withdrawn_on": on.to_string()})),
            )?;
            Ok(())
        })
    }
}
