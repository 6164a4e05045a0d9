//! What the API sends about the parts of a case: its plan, the assistance given, its
//! referrals, visits, tasks and household. Amounts are decimal strings with their currency, never
//! floating point.

use homeward_domain::{CurrencyCode, Money};
use homeward_store::cases::assistance::{PaymentRow, ReceiptRow};
use homeward_store::cases::file::{CaseHousehold, CasePlan};
use homeward_store::cases::follow_up::FollowUpRow;
use homeward_store::cases::plans::ItemRow;
use homeward_store::cases::referrals::ReferralRow;
use homeward_store::cases::tasks::TaskRow;
use serde::Serialize;
use utoipa::ToSchema;

fn amount(minor: i64, currency: &str) -> String {
    currency
        .parse::<CurrencyCode>()
        .map(|c| Money::new(minor, c).to_decimal_string())
        .unwrap_or_else(|_| minor.to_string())
}

fn usd(minor: i64) -> String {
    Money::new(minor, CurrencyCode::USD).to_decimal_string()
}

/// A case's reintegration plan with its totals.
#[derive(Debug, Serialize, ToSchema)]
pub struct PlanDto {
    pub case_id: i64,
    /// The case's version: send it back with a change.
    pub version: i64,
    /// draft, requested, approved or rejected.
    pub state: String,
    /// The manager's comment on the last decision.
    pub comment: String,
    /// An approved exception allows the plan beyond the package cap.
    pub exception: bool,
    pub package: Option<PackageDto>,
    pub items: Vec<PlanItemDto>,
    /// Sum of the items, in USD.
    pub plan_usd: String,
    /// Given so far, in USD.
    pub given_usd: String,
    /// The cap that applies, in USD (none without a package).
    pub cap_usd: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PackageDto {
    pub id: i64,
    pub name: String,
    pub cap_usd: String,
    /// Category codes the package allows.
    pub components: Vec<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PlanItemDto {
    pub id: i64,
    /// economic, social or psychosocial.
    pub dimension: String,
    pub category: String,
    pub description: String,
    pub cost: String,
    /// ISO 4217.
    pub currency: String,
    /// USD per unit of the currency on the day the item was planned.
    pub usd_rate: String,
    /// The day of that rate (YYYY-MM-DD); null for USD and for older records.
    pub usd_rate_on: Option<String>,
    pub cost_usd: String,
    pub supplier: String,
    /// Delivered by a partner through a referral.
    pub referral: bool,
}

impl From<&ItemRow> for PlanItemDto {
    fn from(i: &ItemRow) -> Self {
        PlanItemDto {
            id: i.id,
            dimension: i.dimension.clone(),
            category: i.category.clone(),
            description: i.description.clone(),
            cost: amount(i.cost_minor, &i.currency),
            currency: i.currency.clone(),
            usd_rate: i.usd_rate.clone(),
            usd_rate_on: i.usd_rate_on.clone(),
            cost_usd: usd(i.cost_usd_minor),
            supplier: i.supplier.clone(),
            referral: i.referral,
        }
    }
}

impl From<&CasePlan> for PlanDto {
    fn from(f: &CasePlan) -> Self {
        PlanDto {
            case_id: f.case.id,
            version: f.case.version,
            state: f.case.plan_state.clone(),
            comment: f.case.plan_comment.clone(),
            exception: f.case.plan_exception,
            package: f.package.as_ref().map(|p| PackageDto {
                id: p.id,
                name: p.name.clone(),
                cap_usd: usd(p.cap_usd_minor),
                components: p
                    .components
                    .split(',')
                    .filter(|c| !c.is_empty())
                    .map(str::to_owned)
                    .collect(),
            }),
            items: f.items.iter().map(PlanItemDto::from).collect(),
            plan_usd: f.totals.plan_usd.to_decimal_string(),
            given_usd: f.totals.given_usd.to_decimal_string(),
            cap_usd: f.totals.cap_usd.map(|m| m.to_decimal_string()),
        }
    }
}

/// Assistance given: one payment in cash or in kind.
#[derive(Debug, Serialize, ToSchema)]
pub struct PaymentDto {
    pub id: i64,
    pub plan_item_id: i64,
    /// The project that paid, if recorded.
    pub project_id: Option<i64>,
    /// cash or in_kind.
    pub kind: String,
    pub amount: String,
    pub currency: String,
    pub paid_on: String,
    /// USD per unit of the currency on the day paid.
    pub usd_rate: String,
    /// The day of that rate (YYYY-MM-DD); null for USD and for older records.
    pub usd_rate_on: Option<String>,
    pub usd: String,
    /// Set when a manager approved going beyond the plan or the cap.
    pub excess_approved_by: Option<i64>,
    pub note: String,
    pub receipts: Vec<ReceiptDto>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ReceiptDto {
    pub id: i64,
    pub file_name: String,
    pub content_type: String,
    pub size_bytes: i64,
}

impl PaymentDto {
    pub fn new(p: &PaymentRow, receipts: &[ReceiptRow]) -> Self {
        PaymentDto {
            id: p.id,
            plan_item_id: p.plan_item_id,
            project_id: p.project_id,
            kind: p.kind.clone(),
            amount: amount(p.amount_minor, &p.currency),
            currency: p.currency.clone(),
            paid_on: p.paid_on.clone(),
            usd_rate: p.usd_rate.clone(),
            usd_rate_on: p.usd_rate_on.clone(),
            usd: usd(p.usd_minor),
            excess_approved_by: p.excess_approved_by,
            note: p.note.clone(),
            receipts: receipts
                .iter()
                .filter(|r| r.disbursement_id == p.id)
                .map(|r| ReceiptDto {
                    id: r.id,
                    file_name: r.file_name.clone(),
                    content_type: r.content_type.clone(),
                    size_bytes: r.size_bytes,
                })
                .collect(),
        }
    }
}

/// A referral to a partner office.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReferralDto {
    pub id: i64,
    pub office_id: i64,
    pub office: String,
    pub service: String,
    /// sent, accepted, declined or completed.
    pub status: String,
    pub outcome: String,
    pub created_at: String,
}

impl From<&ReferralRow> for ReferralDto {
    fn from(r: &ReferralRow) -> Self {
        ReferralDto {
            id: r.id,
            office_id: r.office_id,
            office: r.office_name.clone(),
            service: r.service.clone(),
            status: r.status.clone(),
            outcome: r.outcome.clone(),
            created_at: r.created_at.clone(),
        }
    }
}

/// A monitoring visit or call.
#[derive(Debug, Serialize, ToSchema)]
pub struct VisitDto {
    pub id: i64,
    /// visit or call.
    pub kind: String,
    pub on: String,
    pub notes: String,
    /// Who made it.
    pub by: String,
}

impl From<&FollowUpRow> for VisitDto {
    fn from(f: &FollowUpRow) -> Self {
        VisitDto {
            id: f.id,
            kind: f.kind.clone(),
            on: f.on_date.clone(),
            notes: f.notes.clone(),
            by: f.by.clone(),
        }
    }
}

/// A task with its due date.
#[derive(Debug, Serialize, ToSchema)]
pub struct TaskDto {
    pub id: i64,
    /// The rule that made it (plan, follow_up_3m, ...), none for a task added by hand.
    pub rule: Option<String>,
    pub title: String,
    pub due_on: String,
    pub done_on: Option<String>,
    pub overdue: bool,
}

impl TaskDto {
    pub fn new(t: &TaskRow, today: homeward_domain::date::Ymd) -> Self {
        TaskDto {
            id: t.id,
            rule: t.rule_key.clone(),
            title: t.title.clone(),
            due_on: t.due_on.clone(),
            done_on: t.done_on.clone(),
            overdue: t.is_overdue(today),
        }
    }
}

/// The returnee's household, with the case's version.
#[derive(Debug, Serialize, ToSchema)]
pub struct HouseholdDto {
    pub case_id: i64,
    /// The case's version.
    pub version: i64,
    pub members: Vec<MemberDto>,
}

/// A member of the returnee's household.
#[derive(Debug, Serialize, ToSchema)]
pub struct MemberDto {
    pub id: i64,
    pub name: String,
    /// parent, spouse, child, sibling, grandparent or other.
    pub relation: String,
    /// female, male, other or unknown.
    pub sex: String,
    pub birth_year: Option<i32>,
}

impl HouseholdDto {
    pub fn new(case_id: i64, h: &CaseHousehold) -> Self {
        HouseholdDto {
            case_id,
            version: h.version,
            members: h
                .members
                .iter()
                .map(|m| MemberDto {
                    id: m.id,
                    name: m.member.name.clone(),
                    relation: m.member.relation.code().to_owned(),
                    sex: m.member.sex.code().to_owned(),
                    birth_year: m.member.birth_year,
                })
                .collect(),
        }
    }
}
