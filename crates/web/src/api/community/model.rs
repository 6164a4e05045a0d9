//! The JSON shapes of the community and structural levels: community projects with their
//! counts, outputs and spending; tool pools with their tools and loans; capacity-building
//! activities. Money is a decimal string with its ISO 4217 currency.

use homeward_store::community::activity::{Expense, Output};
use homeward_store::community::capacity::CapacityLine;
use homeward_store::community::pools::{Loan, PoolLine, ToolLine};
use homeward_store::community::projects::CommunityLine;
use serde::Serialize;
use utoipa::ToSchema;

fn minor(v: i64) -> String {
    let sign = if v < 0 { "-" } else { "" };
    format!("{sign}{}.{:02}", v.abs() / 100, v.abs() % 100)
}

/// An output, achieved or still to come.
#[derive(Debug, Serialize, ToSchema)]
pub struct OutputDto {
    pub text: String,
    /// YYYY-MM-DD; absent while still to come.
    pub achieved_on: Option<String>,
}

impl From<&Output> for OutputDto {
    fn from(o: &Output) -> Self {
        OutputDto {
            text: o.text.clone(),
            achieved_on: o.achieved_on.clone(),
        }
    }
}

/// Money spent, as paid and in USD at the day's rate.
#[derive(Debug, Serialize, ToSchema)]
pub struct ExpenseDto {
    pub spent_on: String,
    pub description: String,
    pub amount: String,
    pub currency: String,
    pub usd: String,
}

impl From<&Expense> for ExpenseDto {
    fn from(e: &Expense) -> Self {
        ExpenseDto {
            spent_on: e.spent_on.clone(),
            description: e.description.clone(),
            amount: e.amount.to_decimal_string(),
            currency: e.amount.currency.as_str().to_owned(),
            usd: e.usd.to_decimal_string(),
        }
    }
}

/// A community project.
#[derive(Debug, Serialize, ToSchema)]
pub struct CommunityProjectDto {
    pub id: i64,
    pub name: String,
    /// The funding project's Projects ID (or Prima ID).
    pub project: String,
    pub office_id: i64,
    pub office: String,
    /// ISO 3166-1 alpha-2.
    pub country: String,
    pub area: String,
    pub place: String,
    pub partner: String,
    pub start_on: Option<String>,
    pub end_on: Option<String>,
    /// planned, active, completed, suspended or cancelled.
    pub status: String,
    pub description: String,
    /// Returnees taking part; absent when fewer than five (withheld).
    pub returnees: Option<i64>,
    pub community_members: i64,
    pub outputs_achieved: i64,
    /// USD spent, charged to the funding project.
    pub spent_usd: String,
    pub version: i64,
}

impl From<&CommunityLine> for CommunityProjectDto {
    fn from(c: &CommunityLine) -> Self {
        CommunityProjectDto {
            id: c.head.id,
            name: c.name.clone(),
            project: c.head.project_code.clone(),
            office_id: c.head.office_id,
            office: c.head.office_name.clone(),
            country: c.head.country.clone(),
            area: c.area.clone(),
            place: c.place.clone(),
            partner: c.partner.clone(),
            start_on: c.head.start_on.clone(),
            end_on: c.head.end_on.clone(),
            status: c.head.status.clone(),
            description: c.head.description.clone(),
            returnees: (c.returnees == 0 || homeward_domain::disclosure::may_show(c.returnees))
                .then_some(c.returnees),
            community_members: c.members,
            outputs_achieved: c.head.outputs_achieved,
            spent_usd: minor(c.head.spent_usd_minor),
            version: c.head.version,
        }
    }
}

/// Community members taking part in one cell: a sex and an age group.
#[derive(Debug, Serialize, ToSchema)]
pub struct MembersDto {
    /// female, male or other.
    pub sex: String,
    /// 0_17, 18_34, 35_59 or 60_plus.
    pub age_group: String,
    pub n: u32,
}

/// A community project with its parts.
#[derive(Debug, Serialize, ToSchema)]
pub struct CommunityProjectDetail {
    #[serde(flatten)]
    pub project: CommunityProjectDto,
    pub members: Vec<MembersDto>,
    pub outputs: Vec<OutputDto>,
    pub expenses: Vec<ExpenseDto>,
    pub pools: Vec<PoolDto>,
}

/// A tool pool.
#[derive(Debug, Serialize, ToSchema)]
pub struct PoolDto {
    pub id: i64,
    pub name: String,
    pub community_project_id: i64,
    pub community_project: String,
    pub country: String,
    /// The office that keeps the counter.
    pub office_id: i64,
    pub office: String,
    /// Fees and values are in this currency.
    pub currency: String,
    pub tools: i64,
    /// Units out now.
    pub out: i64,
}

impl From<&PoolLine> for PoolDto {
    fn from(p: &PoolLine) -> Self {
        PoolDto {
            id: p.id,
            name: p.name.clone(),
            community_project_id: p.community_project_id,
            community_project: p.community_project.clone(),
            country: p.country.clone(),
            office_id: p.office_id,
            office: p.office_name.clone(),
            currency: p.currency.clone(),
            tools: p.tools,
            out: p.out,
        }
    }
}

/// A tool of a pool's inventory.
#[derive(Debug, Serialize, ToSchema)]
pub struct ToolDto {
    pub id: i64,
    pub name: String,
    /// electrical, plumbing, sewage, appliances, construction, garden or other.
    pub category: String,
    pub quantity: i64,
    /// good, fair, poor, broken or lost.
    pub condition: String,
    /// One unit's value, in the pool's currency.
    pub value: String,
    pub fee_per_day: String,
    pub out: i64,
    /// The earliest due date of the units out.
    pub next_due: Option<String>,
}

impl From<&ToolLine> for ToolDto {
    fn from(t: &ToolLine) -> Self {
        ToolDto {
            id: t.id,
            name: t.name.clone(),
            category: t.category.clone(),
            quantity: t.quantity,
            condition: t.condition.clone(),
            value: minor(t.value_minor),
            fee_per_day: minor(t.fee_minor),
            out: t.out,
            next_due: t.next_due.clone(),
        }
    }
}

/// A pool with its inventory.
#[derive(Debug, Serialize, ToSchema)]
pub struct PoolDetail {
    #[serde(flatten)]
    pub pool: PoolDto,
    pub inventory: Vec<ToolDto>,
}

/// A loan, with the borrower: for the pool's staff only.
#[derive(Debug, Serialize, ToSchema)]
pub struct LoanDto {
    pub id: i64,
    pub tool_id: i64,
    pub tool: String,
    pub borrower: String,
    pub phone: String,
    pub lent_on: String,
    pub due_on: String,
    pub returned_on: Option<String>,
    pub condition_out: String,
    pub condition_back: Option<String>,
    /// Collected on return, in the pool's currency.
    pub fee: Option<String>,
}

impl From<&Loan> for LoanDto {
    fn from(l: &Loan) -> Self {
        LoanDto {
            id: l.id,
            tool_id: l.tool_id,
            tool: l.tool.clone(),
            borrower: l.borrower.clone(),
            phone: l.phone.clone(),
            lent_on: l.lent_on.clone(),
            due_on: l.due_on.clone(),
            returned_on: l.returned_on.clone(),
            condition_out: l.condition_out.clone(),
            condition_back: l.condition_back.clone(),
            fee: l.fee_minor.map(minor),
        }
    }
}

/// A capacity-building activity.
#[derive(Debug, Serialize, ToSchema)]
pub struct CapacityDto {
    pub id: i64,
    pub title: String,
    /// training, workshop, assessment or policy_support.
    pub kind: String,
    pub project: String,
    pub office_id: i64,
    pub office: String,
    pub institution: String,
    pub country: String,
    pub start_on: Option<String>,
    pub end_on: Option<String>,
    pub status: String,
    pub female: i64,
    pub male: i64,
    pub other: i64,
    pub description: String,
    /// Participants tested before and after, and their mean scores (0 to 100).
    pub tested: i64,
    pub mean_score_before: Option<f64>,
    pub mean_score_after: Option<f64>,
    pub outputs_achieved: i64,
    pub spent_usd: String,
    pub version: i64,
}

impl From<&CapacityLine> for CapacityDto {
    fn from(a: &CapacityLine) -> Self {
        CapacityDto {
            id: a.head.id,
            title: a.title.clone(),
            kind: a.kind.clone(),
            project: a.head.project_code.clone(),
            office_id: a.head.office_id,
            office: a.head.office_name.clone(),
            institution: a.institution.clone(),
            country: a.head.country.clone(),
            start_on: a.head.start_on.clone(),
            end_on: a.head.end_on.clone(),
            status: a.head.status.clone(),
            female: a.female,
            male: a.male,
            other: a.other,
            description: a.head.description.clone(),
            tested: a.scored,
            mean_score_before: a.pre_mean,
            mean_score_after: a.post_mean,
            outputs_achieved: a.head.outputs_achieved,
            spent_usd: minor(a.head.spent_usd_minor),
            version: a.head.version,
        }
    }
}

/// A capacity-building activity with its outputs and spending.
#[derive(Debug, Serialize, ToSchema)]
pub struct CapacityDetail {
    #[serde(flatten)]
    pub activity: CapacityDto,
    pub outputs: Vec<OutputDto>,
    pub expenses: Vec<ExpenseDto>,
}
