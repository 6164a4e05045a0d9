//! The plans and payments of generated cases, written with them: plan items in USD and
//! what was paid against each (charged to the case's project), as recording them one by
//! one would have left them, so the dashboards' money views are measured at scale too.

use crate::db::sql::insert_rows;
use crate::{Backend, DbConnection, StoreError};
use homeward_domain::date::Ymd;
use homeward_domain::reintegration::forms::Kind;
use homeward_domain::reintegration::plan::Category;

/// One item of a generated plan, costed in USD.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BulkItem {
    pub category: Category,
    pub description: String,
    pub cost_usd_minor: i64,
    pub planned_on: Ymd,
    /// What was paid against it: when, how, how much (USD minor units).
    pub paid: Option<(Ymd, Kind, i64)>,
}

/// One generated case's plan and who paid it.
pub(crate) struct CasePlan<'a> {
    pub case_id: i64,
    pub project: Option<i64>,
    pub paid_by: Option<i64>,
    pub items: &'a [BulkItem],
}

fn stamp(d: Ymd) -> String {
    format!("{d}T09:00:00Z")
}

/// Writes the plan items (ids from `first_id` on) and the payments against them.
pub(crate) fn write_plans(
    c: &mut DbConnection,
    backend: Backend,
    first_id: i64,
    plans: &[CasePlan<'_>],
) -> Result<(), StoreError> {
    let items = || {
        plans
            .iter()
            .flat_map(|p| p.items.iter().map(move |i| (p, i)))
            .enumerate()
            .map(move |(n, (p, i))| (first_id + n as i64, p, i))
    };
    insert_rows(
        c,
        backend,
        "INSERT INTO plan_items (id, case_id, dimension, category, description, cost_minor, \
         currency, usd_rate, cost_usd_minor, supplier, referral, created_at)",
        12,
        items(),
        |q, (id, p, i)| {
            q.int(id)
                .push(", ")
                .int(p.case_id)
                .push(", ")
                .text(i.category.dimension().code())
                .push(", ")
                .text(i.category.code())
                .push(", ")
                .text(i.description.clone())
                .push(", ")
                .int(i.cost_usd_minor)
                .push(", 'USD', '1', ")
                .int(i.cost_usd_minor)
                .push(", '', ")
                .bool(false)
                .push(", ")
                .text(stamp(i.planned_on));
        },
    )?;
    insert_rows(
        c,
        backend,
        "INSERT INTO disbursements (case_id, plan_item_id, project_id, kind, amount_minor, \
         currency, paid_on, usd_rate, usd_minor, created_by, created_at)",
        11,
        items().filter_map(|(id, p, i)| Some((id, p, p.paid_by?, i.paid?))),
        |q, (id, p, by, (on, kind, usd))| {
            q.int(p.case_id)
                .push(", ")
                .int(id)
                .push(", ")
                .opt_int(p.project)
                .push(", ")
                .text(kind.code())
                .push(", ")
                .int(usd)
                .push(", 'USD', ")
                .text(on.to_string())
                .push(", '1', ")
                .int(usd)
                .push(", ")
                .int(by)
                .push(", ")
                .text(stamp(on));
        },
    )
}
