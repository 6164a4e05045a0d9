//! Assistance given to a returnee: cash or in kind, in the currency paid, converted to
//! USD at the rate of the day it was paid, against an approved plan item and charged to
//! a funding project; never beyond what was approved unless a manager approves the
//! excess. Receipts are kept in the database (type and size checked), so every app
//! server sees them and no path on disk can be abused.

use crate::audit::{Change, append};
use crate::cases::load_covered;
use crate::cases::log;
use crate::cases::plans::{items_of, rate_for};
use crate::cases::{open_case, step_by};
use crate::db::sql::Sql;
use crate::{Actor, Backend, DbConnection, Store, StoreError};
use diesel::QueryableByName;
use diesel::sql_types::{BigInt, Binary, Nullable, Text};
use homeward_domain::access::{ApproveCases, Authorized, ReadCases, WriteCases};
use homeward_domain::audit::Action;
use homeward_domain::credentials::secret;
use homeward_domain::reintegration::documents;
use homeward_domain::reintegration::exchange;
use homeward_domain::reintegration::forms::PaymentDraft;
use homeward_domain::reintegration::plan::check_disbursement;
use homeward_domain::reintegration::stage::{Actor as StepBy, Stage};
use homeward_domain::{CurrencyCode, Money};
use serde_json::json;

/// A payment as stored.
#[derive(Debug, Clone, PartialEq, Eq, QueryableByName)]
pub struct PaymentRow {
    #[diesel(sql_type = BigInt)]
    pub id: i64,
    #[diesel(sql_type = BigInt)]
    pub plan_item_id: i64,
    #[diesel(sql_type = Nullable<BigInt>)]
    pub project_id: Option<i64>,
    #[diesel(sql_type = Text)]
    pub kind: String,
    #[diesel(sql_type = BigInt)]
    pub amount_minor: i64,
    #[diesel(sql_type = Text)]
    pub currency: String,
    #[diesel(sql_type = Text)]
    pub paid_on: String,
    #[diesel(sql_type = Text)]
    pub usd_rate: String,
    /// The day of that rate; none for USD.
    #[diesel(sql_type = Nullable<Text>)]
    pub usd_rate_on: Option<String>,
    #[diesel(sql_type = BigInt)]
    pub usd_minor: i64,
    #[diesel(sql_type = Nullable<BigInt>)]
    pub excess_approved_by: Option<i64>,
    #[diesel(sql_type = Text)]
    pub note: String,
}

impl PaymentRow {
    pub fn amount(&self) -> Option<Money> {
        Some(Money::new(self.amount_minor, self.currency.parse().ok()?))
    }

    pub fn usd(&self) -> Money {
        Money::new(self.usd_minor, CurrencyCode::USD)
    }
}

/// A receipt's description (its bytes are fetched one at a time).
#[derive(Debug, Clone, PartialEq, Eq, QueryableByName)]
pub struct ReceiptRow {
    #[diesel(sql_type = BigInt)]
    pub id: i64,
    #[diesel(sql_type = BigInt)]
    pub disbursement_id: i64,
    #[diesel(sql_type = Text)]
    pub file_name: String,
    #[diesel(sql_type = Text)]
    pub content_type: String,
    #[diesel(sql_type = BigInt)]
    pub size_bytes: i64,
}

#[derive(QueryableByName)]
struct ReceiptFile {
    #[diesel(sql_type = BigInt)]
    case_id: i64,
    #[diesel(sql_type = Text)]
    file_name: String,
    #[diesel(sql_type = Text)]
    content_type: String,
    #[diesel(sql_type = Binary)]
    content: Vec<u8>,
}

pub(crate) fn payments_of(
    c: &mut DbConnection,
    backend: Backend,
    case_id: i64,
) -> Result<Vec<PaymentRow>, StoreError> {
    let mut q = Sql::new(backend);
    q.push(
        "SELECT id, plan_item_id, project_id, kind, amount_minor, currency, paid_on, usd_rate, \
         usd_rate_on, usd_minor, excess_approved_by, note FROM disbursements WHERE case_id = ",
    )
    .int(case_id)
    .push(" ORDER BY paid_on, id");
    Ok(q.load(c)?)
}

pub(crate) fn receipts_of(
    c: &mut DbConnection,
    backend: Backend,
    case_id: i64,
) -> Result<Vec<ReceiptRow>, StoreError> {
    let mut q = Sql::new(backend);
    q.push(
        "SELECT r.id, r.disbursement_id, r.file_name, r.content_type, r.size_bytes FROM receipts r \
         JOIN disbursements d ON d.id = r.disbursement_id WHERE d.case_id = ",
    )
    .int(case_id)
    .push(" ORDER BY r.id");
    Ok(q.load(c)?)
}

/// The largest receipt accepted.
pub const MAX_RECEIPT_BYTES: usize = 5 * 1024 * 1024;

/// What is left to give: the figures a page shows beside the payment form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Totals {
    pub plan_usd: Money,
    pub given_usd: Money,
    /// The package cap, or the approved plan total when a manager approved an exception
    /// beyond it.
    pub cap_usd: Option<Money>,
}

impl Store {
    /// Records assistance given. The amount is converted at the rate of its day; it may
    /// not take the item beyond its approved cost, nor the case beyond its package,
    /// unless a manager records it with the excess approved.
    pub fn give_assistance(
        &self,
        auth: &Authorized<WriteCases>,
        approver: Option<&Authorized<ApproveCases>>,
        actor: &Actor,
        id: i64,
        p: &PaymentDraft,
    ) -> Result<i64, StoreError> {
        self.write(|c| {
            let backend = self.backend();
            let case = load_covered(c, backend, auth, id)?;
            open_case(&case)?;
            if case.plan_state != "approved" {
                return Err(StoreError::conflict(
                    "plan",
                    "assistance is given against an approved plan",
                ));
            }
            let items = items_of(c, backend, id)?;
            let item = items
                .iter()
                .find(|i| i.id == p.plan_item)
                .ok_or_else(|| StoreError::conflict("plan_item", "choose an item of this plan"))?;
            let (rate, rate_on) = rate_for(c, backend, p.amount.currency, p.paid_on, "currency")?;
            if let (Some(on), Some(max)) = (rate_on, p.max_rate_age_days)
                && !p.old_rate_accepted
                && exchange::is_old(on, p.paid_on, max)
            {
                return Err(StoreError::conflict(
                    "accept_old_rate",
                    format!(
                        "the latest rate for {} is of {on}, {} days before the payment (more than \
                         {}): nothing was saved. Add a newer rate under Exchange rates, or tick \
                         'use this rate' to save it with this one",
                        p.amount.currency,
                        p.paid_on.to_days() - on.to_days(),
                        max
                    ),
                ));
            }
            let usd = rate
                .to_usd(p.amount)
                .map_err(|e| StoreError::conflict("amount", e))?;
            let given = payments_of(c, backend, id)?;
            let item_given: i64 = given
                .iter()
                .filter(|g| g.plan_item_id == item.id)
                .map(|g| g.usd_minor)
                .sum();
            let case_given: i64 = given.iter().map(|g| g.usd_minor).sum();
            let cap = cap_of(c, backend, &case, &items)?;
            let manager = step_by(approver, &case) == StepBy::Manager;
            if p.approve_excess && !manager {
                return Err(StoreError::conflict(
                    "approve_excess",
                    "only an office manager may approve going beyond the plan",
                ));
            }
            let usd_ = |m| Money::new(m, CurrencyCode::USD);
            check_disbursement(
                usd,
                item.cost_usd(),
                usd_(item_given),
                usd_(case_given),
                cap.unwrap_or(usd_(i64::MAX / 4)),
                p.approve_excess,
            )
            .map_err(|e| StoreError::conflict("amount", e.to_string()))?;
            let project = p.project_id.or(case.project_id);
            if let Some(pid) = project {
                crate::catalogue::projects::project_exists(c, backend, pid)?;
            }
            let mut q = Sql::new(backend);
            q.push(
                "INSERT INTO disbursements (case_id, plan_item_id, project_id, kind, amount_minor, \
                 currency, paid_on, usd_rate, usd_rate_on, usd_minor, excess_approved_by, note, \
                 created_by, created_at) VALUES (",
            )
            .int(id)
            .push(", ")
            .int(item.id)
            .push(", ")
            .opt_int(project)
            .push(", ")
            .text(p.kind.code())
            .push(", ")
            .int(p.amount.minor)
            .push(", ")
            .text(p.amount.currency.as_str())
            .push(", ")
            .text(p.paid_on.to_string())
            .push(", ")
            .text(rate.to_decimal_string())
            .push(", ")
            .opt_text(rate_on.map(|d| d.to_string()))
            .push(", ")
            .int(usd.minor)
            .push(", ")
            .opt_int(p.approve_excess.then(|| auth.principal().user_id()))
            .push(", ")
            .text(p.note.clone())
            .push(", ")
            .int(auth.principal().user_id())
            .push(", ")
            .text(crate::utc_now())
            .push(") RETURNING id");
            let pay_id = q.insert_id(c)?;
            let detail = format!(
                "{} {} = {} ({})",
                p.kind.code(),
                p.amount,
                usd,
                item.description
            );
            if case.stage() == Stage::PlanApproved {
                // The first payment starts the assistance: a change of stage, so the
                // version moves on and forms opened before it are refused.
                let v = crate::cases::log::version_of(c, backend, id)?;
                log::edit(c, backend, id, v, actor, "assistance", &detail)?;
                let mut s = Sql::new(backend);
                s.push("UPDATE cases SET status = 'assistance' WHERE id = ")
                    .int(id);
                s.execute(c)?;
            } else {
                log::note(c, backend, id, actor, "assistance", &detail)?;
            }
            append(
                c,
                backend,
                actor,
                Change::new(Action::Create, "disbursement", pay_id).after(json!({
                    "case_id": id, "plan_item_id": item.id, "kind": p.kind.code(),
                    "amount": p.amount.to_decimal_string(), "currency": p.amount.currency.as_str(),
                    "paid_on": p.paid_on.to_string(), "usd_rate": rate.to_decimal_string(),
                    "usd": usd.to_decimal_string(), "project_id": project,
                    "excess_approved": p.approve_excess,
                })),
            )?;
            Ok(pay_id)
        })
    }

    /// Attaches a receipt (PDF, PNG or JPEG up to 5 MiB) to a payment of the case.
    pub fn add_receipt(
        &self,
        auth: &Authorized<WriteCases>,
        actor: &Actor,
        id: i64,
        payment_id: i64,
        file_name: &str,
        bytes: Vec<u8>,
    ) -> Result<i64, StoreError> {
        if bytes.is_empty() {
            return Err(StoreError::conflict("receipt", "the file is empty"));
        }
        if bytes.len() > MAX_RECEIPT_BYTES {
            return Err(StoreError::conflict(
                "receipt",
                format!(
                    "the file has {} bytes; at most {MAX_RECEIPT_BYTES} are accepted",
                    bytes.len()
                ),
            ));
        }
        let content_type = documents::sniff(&bytes)
            .ok_or_else(|| StoreError::conflict("receipt", "send a PDF, PNG or JPEG file"))?;
        let name = documents::name_for_type(file_name, "receipt", content_type);
        self.write(|c| {
            let backend = self.backend();
            load_covered(c, backend, auth, id)?;
            if !payments_of(c, backend, id)?
                .iter()
                .any(|p| p.id == payment_id)
            {
                return Err(StoreError::NotFound(format!("payment {payment_id}")));
            }
            let digest = secret::digest_bytes(&bytes);
            let size = bytes.len() as i64;
            let mut q = Sql::new(backend);
            q.push(
                "INSERT INTO receipts (disbursement_id, file_name, content_type, size_bytes, \
                 sha256, content, created_by, created_at) VALUES (",
            )
            .int(payment_id)
            .push(", ")
            .text(name.clone())
            .push(", ")
            .text(content_type)
            .push(", ")
            .int(size)
            .push(", ")
            .text(digest.clone())
            .push(", ")
            .bytes(bytes.clone())
            .push(", ")
            .int(auth.principal().user_id())
            .push(", ")
            .text(crate::utc_now())
            .push(") RETURNING id");
            let rid = q.insert_id(c)?;
            log::note(c, backend, id, actor, "receipt", &name)?;
            append(
                c,
                backend,
                actor,
                Change::new(Action::Create, "receipt", rid).after(json!({
                    "case_id": id, "disbursement_id": payment_id, "file_name": name,
                    "content_type": content_type, "size": size, "sha256": digest,
                })),
            )?;
            Ok(rid)
        })
    }

    /// A receipt's name, type and bytes, if its case is within reach; the view is
    /// audited.
    pub fn receipt(
        &self,
        auth: &Authorized<ReadCases>,
        actor: &Actor,
        receipt_id: i64,
    ) -> Result<(String, String, Vec<u8>), StoreError> {
        self.write(|c| {
            let backend = self.backend();
            let mut q = Sql::new(backend);
            q.push(
                "SELECT d.case_id, r.file_name, r.content_type, r.content FROM receipts r \
                 JOIN disbursements d ON d.id = r.disbursement_id WHERE r.id = ",
            )
            .int(receipt_id);
            let f = q
                .load::<ReceiptFile>(c)?
                .into_iter()
                .next()
                .ok_or_else(|| StoreError::NotFound(format!("receipt {receipt_id}")))?;
            load_covered(c, backend, auth, f.case_id)
                .map_err(|_| StoreError::NotFound(format!("receipt {receipt_id}")))?;
            append(
                c,
                backend,
                actor,
                Change::new(Action::View, "receipt", receipt_id)
                    .after(json!({"case_id": f.case_id})),
            )?;
            Ok((f.file_name, f.content_type, f.content))
        })
    }
}

/// The most a case may receive: the package cap, or the approved plan total when a
/// manager approved an exception beyond the cap. None without a package.
pub(crate) fn cap_of(
    c: &mut DbConnection,
    backend: Backend,
    case: &crate::cases::CaseView,
    items: &[crate::cases::plans::ItemRow],
) -> Result<Option<Money>, StoreError> {
    let Some(pid) = case.package_id else {
        return Ok(None);
    };
    let Some(pkg) = crate::cases::packages::package(c, backend, pid)? else {
        return Ok(None);
    };
    let plan: i64 = items.iter().map(|i| i.cost_usd_minor).sum();
    let cap = if case.plan_exception {
        pkg.cap_usd_minor.max(plan)
    } else {
        pkg.cap_usd_minor
    };
    Ok(Some(Money::new(cap, CurrencyCode::USD)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn receipts_are_typed_by_their_bytes_and_names_are_made_safe() {
        assert_eq!(documents::sniff(b"%PDF-1.7 ..."), Some("application/pdf"));
        assert_eq!(
            documents::sniff(&[0xFF, 0xD8, 0xFF, 0xE0]),
            Some("image/jpeg")
        );
        assert_eq!(documents::sniff(b"<html><script>"), None);
        assert_eq!(
            documents::safe_name("../../etc/passwd", "receipt"),
            "passwd"
        );
        assert_eq!(
            documents::safe_name("C:\\\\scans\\\\cows.pdf", "receipt"),
            "cows.pdf"
        );
        assert_eq!(documents::safe_name("\"; rm", "receipt"), "rm");
        assert_eq!(documents::safe_name("", "receipt"), "receipt");
    }
}
