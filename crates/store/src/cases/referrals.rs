//! Referrals of a case to a partner for a service. A referral needs the returnee's
//! consent to share their data with that partner; it gives the partner sight of the
//! case, and the partner answers it (accepted, declined, completed, with the outcome).

use crate::audit::{Change, append};
use crate::cases::consents::consents_of;
use crate::cases::log;
use crate::cases::open_case;
use crate::cases::{insert_share, load_covered};
use crate::db::sql::Sql;
use crate::{Actor, Backend, DbConnection, Store, StoreError};
use diesel::QueryableByName;
use diesel::sql_types::{BigInt, Text};
use homeward_domain::access::{Authorized, RespondReferrals, WriteCases};
use homeward_domain::audit::Action;
use homeward_domain::reintegration::consent::{self, Consent, Purpose};
use homeward_domain::reintegration::forms::ReferralStatus;
use serde_json::json;

/// A referral as stored, with the partner's name.
#[derive(Debug, Clone, PartialEq, Eq, QueryableByName)]
pub struct ReferralRow {
    #[diesel(sql_type = BigInt)]
    pub id: i64,
    #[diesel(sql_type = BigInt)]
    pub case_id: i64,
    #[diesel(sql_type = BigInt)]
    pub office_id: i64,
    #[diesel(sql_type = Text)]
    pub office_name: String,
    #[diesel(sql_type = Text)]
    pub service: String,
    #[diesel(sql_type = Text)]
    pub status: String,
    #[diesel(sql_type = Text)]
    pub outcome: String,
    #[diesel(sql_type = Text)]
    pub created_at: String,
}

const SELECT: &str = "SELECT f.id, f.case_id, f.office_id, o.name AS office_name, f.service, \
    f.status, f.outcome, f.created_at FROM referrals f JOIN offices o ON o.id = f.office_id";

pub(crate) fn referrals_of(
    c: &mut DbConnection,
    backend: Backend,
    case_id: i64,
) -> Result<Vec<ReferralRow>, StoreError> {
    let mut q = Sql::new(backend);
    q.push(SELECT)
        .push(" WHERE f.case_id = ")
        .int(case_id)
        .push(" ORDER BY f.id");
    Ok(q.load(c)?)
}

fn plain(consents: Vec<crate::cases::consents::StoredConsent>) -> Vec<Consent> {
    consents.into_iter().map(|c| c.consent).collect()
}

impl Store {
    /// Refers a case to a partner office for a service; refused without the returnee's
    /// consent to share with that partner.
    pub fn refer_case(
        &self,
        auth: &Authorized<WriteCases>,
        actor: &Actor,
        id: i64,
        office_id: i64,
        service: &str,
    ) -> Result<i64, StoreError> {
        let service = service.trim();
        if service.chars().count() < 3 || service.chars().count() > 300 {
            return Err(StoreError::conflict(
                "service",
                "say what the partner is asked to do (3 to 300 characters)",
            ));
        }
        self.write(|c| {
            let backend = self.backend();
            let case = load_covered(c, backend, auth, id)?;
            open_case(&case)?;
            let name = crate::access::offices::find(c, backend, office_id, "office")?.name;
            if office_id == case.owning_office_id {
                return Err(StoreError::conflict(
                    "office",
                    "the case is owned by this office",
                ));
            }
            let consents = plain(consents_of(c, backend, case.returnee_id)?);
            consent::require(
                &consents,
                Purpose::SharePartner,
                Some(office_id),
                crate::today(),
            )
            .map_err(|e| StoreError::conflict("consent", e.to_string()))?;
            let now = crate::utc_now();
            let mut q = Sql::new(backend);
            q.push(
                "INSERT INTO referrals (case_id, office_id, service, status, outcome, created_by, \
                 created_at, updated_at) VALUES (",
            )
            .int(id)
            .push(", ")
            .int(office_id)
            .push(", ")
            .text(service)
            .push(", 'sent', '', ")
            .int(auth.principal().user_id())
            .push(", ")
            .text(now.clone())
            .push(", ")
            .text(now)
            .push(") RETURNING id");
            let rid = q.insert_id(c)?;
            let already = case.shares.iter().any(|s| s.office_id == office_id);
            if !already {
                insert_share(c, backend, id, office_id, "referral")?;
            }
            log::note(
                c,
                backend,
                id,
                actor,
                "referred",
                &format!("{name}: {service}"),
            )?;
            append(
                c,
                backend,
                actor,
                Change::new(Action::Share, "case", id).after(json!({
                    "referral_id": rid, "office_id": office_id, "kind": "referral",
                    "service": service, "consent": "share_partner",
                })),
            )?;
            Ok(rid)
        })
    }

    /// The partner's answer to a referral made to its office.
    pub fn respond_referral(
        &self,
        auth: &Authorized<RespondReferrals>,
        actor: &Actor,
        referral_id: i64,
        status: ReferralStatus,
        outcome: &str,
    ) -> Result<(), StoreError> {
        self.write(|c| {
            let backend = self.backend();
            self.change_referral(c, backend, actor, referral_id, status, outcome, |r| {
                r.office_id == auth.principal().office_id()
            })
        })
    }

    /// The referring office's record of a referral's progress (when the partner does not
    /// use Homeward).
    pub fn update_referral(
        &self,
        auth: &Authorized<WriteCases>,
        actor: &Actor,
        id: i64,
        referral_id: i64,
        status: ReferralStatus,
        outcome: &str,
    ) -> Result<(), StoreError> {
        self.write(|c| {
            let backend = self.backend();
            load_covered(c, backend, auth, id)?;
            self.change_referral(c, backend, actor, referral_id, status, outcome, |r| {
                r.case_id == id
            })
        })
    }
}

impl Store {
    #[allow(clippy::too_many_arguments)]
    fn change_referral(
        &self,
        c: &mut DbConnection,
        backend: Backend,
        actor: &Actor,
        referral_id: i64,
        status: ReferralStatus,
        outcome: &str,
        reaches: impl Fn(&ReferralRow) -> bool,
    ) -> Result<(), StoreError> {
        let outcome = outcome.trim();
        if outcome.chars().count() > 2000 {
            return Err(StoreError::conflict(
                "outcome",
                "must be at most 2000 characters",
            ));
        }
        let mut q = Sql::new(backend);
        q.push(SELECT).push(" WHERE f.id = ").int(referral_id);
        let r = q
            .load::<ReferralRow>(c)?
            .into_iter()
            .next()
            .filter(|r| reaches(r))
            .ok_or_else(|| StoreError::NotFound(format!("referral {referral_id}")))?;
        let from: ReferralStatus = r
            .status
            .parse()
            .map_err(|_| StoreError::Corrupt(format!("referral {referral_id} status")))?;
        if !from.can_become(status) {
            return Err(StoreError::conflict(
                "status",
                format!(
                    "a referral that is {} cannot become {}",
                    from.code(),
                    status.code()
                ),
            ));
        }
        let mut u = Sql::new(backend);
        u.push("UPDATE referrals SET status = ")
            .text(status.code())
            .push(", outcome = ")
            .text(outcome)
            .push(", updated_at = ")
            .text(crate::utc_now())
            .push(" WHERE id = ")
            .int(referral_id);
        u.execute(c)?;
        log::note(
            c,
            backend,
            r.case_id,
            actor,
            "referral",
            &format!("{}: {}", r.office_name, status.code()),
        )?;
        let told = crate::cases::notifications::referral_people(c, backend, referral_id)?;
        crate::cases::notifications::tell(
            c,
            backend,
            actor,
            r.case_id,
            homeward_domain::reintegration::notifications::NotificationKind::ReferralAnswered,
            &format!("{}: {}", r.office_name, status.code()),
            told,
        )?;
        append(
            c,
            backend,
            actor,
            Change::new(Action::Update, "referral", referral_id)
                .before(json!({"status": r.status}))
                .after(json!({"status": status.code(), "outcome": outcome})),
        )?;
        Ok(())
    }
}
