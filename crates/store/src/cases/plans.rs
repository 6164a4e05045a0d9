//! The reintegration plan of a case: items by dimension and category, each converted to
//! USD at the day's rate; submission, and a manager's approval or rejection, with an
//! explicit exception when the plan goes beyond the package.

use crate::audit::{Change, append};
use crate::cases::load_covered;
use crate::cases::log;
use crate::cases::notifications;
use crate::cases::open_case;
use crate::cases::tasks::complete_rule_task;
use crate::db::sql::Sql;
use crate::{Actor, Backend, DbConnection, Store, StoreError};
use diesel::QueryableByName;
use diesel::sql_types::{BigInt, Bool, Nullable, Text};
use homeward_domain::access::{ApproveCases, Authorized, Permission, WriteCases};
use homeward_domain::audit::Action;
use homeward_domain::date::Ymd;
use homeward_domain::reintegration::exchange::UsdRate;
use homeward_domain::reintegration::forms::PlanItemDraft;
use homeward_domain::reintegration::notifications::NotificationKind;
use homeward_domain::reintegration::plan::{self, PlanItem};
use homeward_domain::reintegration::stage::{Actor as StepBy, Stage};
use homeward_domain::reintegration::tasks::Anchor;
use homeward_domain::{CurrencyCode, Money};
use serde_json::json;

/// A plan item as stored.
#[derive(Debug, Clone, PartialEq, Eq, QueryableByName)]
pub struct ItemRow {
    #[diesel(sql_type = BigInt)]
    pub id: i64,
    #[diesel(sql_type = Text)]
    pub dimension: String,
    #[diesel(sql_type = Text)]
    pub category: String,
    #[diesel(sql_type = Text)]
    pub description: String,
    #[diesel(sql_type = BigInt)]
    pub cost_minor: i64,
    #[diesel(sql_type = Text)]
    pub currency: String,
    #[diesel(sql_type = Text)]
    pub usd_rate: String,
    /// The day of that rate; none for USD.
    #[diesel(sql_type = Nullable<Text>)]
    pub usd_rate_on: Option<String>,
    #[diesel(sql_type = BigInt)]
    pub cost_usd_minor: i64,
    #[diesel(sql_type = Text)]
    pub supplier: String,
    #[diesel(sql_type = Bool)]
    pub referral: bool,
}

impl ItemRow {
    pub fn cost(&self) -> Option<Money> {
        Some(Money::new(self.cost_minor, self.currency.parse().ok()?))
    }

    pub fn cost_usd(&self) -> Money {
        Money::new(self.cost_usd_minor, CurrencyCode::USD)
    }

    fn rule_item(&self) -> Option<PlanItem> {
        Some(PlanItem {
            dimension: self.dimension.parse().ok()?,
            category: self.category.parse().ok()?,
            description: self.description.clone(),
            cost: self.cost()?,
            cost_usd: self.cost_usd(),
            supplier: self.supplier.clone(),
            referral: self.referral,
        })
    }
}

pub(crate) fn items_of(
    c: &mut DbConnection,
    backend: Backend,
    case_id: i64,
) -> Result<Vec<ItemRow>, StoreError> {
    let mut q = Sql::new(backend);
    q.push(
        "SELECT id, dimension, category, description, cost_minor, currency, usd_rate, \
         usd_rate_on, cost_usd_minor, supplier, referral FROM plan_items WHERE case_id = ",
    )
    .int(case_id)
    .push(" ORDER BY id");
    Ok(q.load(c)?)
}

/// The rate for `currency` on `on` (the latest on or before) with its own day (none for
/// USD), or a message saying what to add.
pub(crate) fn rate_for(
    c: &mut DbConnection,
    backend: Backend,
    currency: CurrencyCode,
    on: Ymd,
    field: &str,
) -> Result<(UsdRate, Option<Ymd>), StoreError> {
    if currency == CurrencyCode::USD {
        return Ok((UsdRate::usd(), None));
    }
    crate::catalogue::rates::rate_entry(c, backend, currency, on)?
        .map(|e| (e.rate, Some(e.on)))
        .ok_or_else(|| {
            StoreError::conflict(
                field,
                format!(
                    "there is no exchange rate for {currency} on or before {on}; an \
                     administrator adds it under Exchange rates"
                ),
            )
        })
}

/// The plan's `items` checked against the case's package (beyond it only with an
/// approved `exception`): why it does not fit, if it does not. A case without a package
/// is refused.
fn against_package(
    c: &mut DbConnection,
    backend: Backend,
    case: &crate::cases::CaseView,
    items: &[ItemRow],
    exception: bool,
) -> Result<Result<(), Vec<plan::PlanError>>, StoreError> {
    let pkg = case
        .package_id
        .map(|p| crate::cases::packages::package(c, backend, p))
        .transpose()?
        .flatten()
        .ok_or_else(|| StoreError::conflict("package", "the case has no package"))?;
    let items: Vec<PlanItem> = items.iter().filter_map(ItemRow::rule_item).collect();
    Ok(plan::approvable(&pkg.package(), &items, exception))
}

fn editable(state: &str, stage: Stage) -> Result<(), StoreError> {
    if !matches!(state, "draft" | "rejected") {
        return Err(StoreError::conflict(
            "plan",
            "the plan is submitted or approved; it changes only after a manager rejects it",
        ));
    }
    if !matches!(stage, Stage::Arrived | Stage::Assessed) {
        return Err(StoreError::conflict(
            "plan",
            "a plan is drafted once the returnee has arrived",
        ));
    }
    Ok(())
}

impl Store {
    /// Adds an item to the draft plan; its cost is converted to USD at today's rate.
    pub fn add_plan_item(
        &self,
        auth: &Authorized<WriteCases>,
        actor: &Actor,
        id: i64,
        version: i64,
        item: &PlanItemDraft,
    ) -> Result<i64, StoreError> {
        self.write(|c| {
            let backend = self.backend();
            let case = load_covered(c, backend, auth, id)?;
            crate::cases::log::check(c, backend, id, version)?;
            editable(&case.plan_state, case.stage())?;
            let (rate, rate_on) =
                rate_for(c, backend, item.cost.currency, crate::today(), "currency")?;
            let usd = rate
                .to_usd(item.cost)
                .map_err(|e| StoreError::conflict("cost", e))?;
            log::edit(
                c,
                backend,
                id,
                version,
                actor,
                "plan_item_added",
                &format!("{}: {} ({})", item.category.code(), item.cost, usd),
            )?;
            let mut q = Sql::new(backend);
            q.push(
                "INSERT INTO plan_items (case_id, dimension, category, description, cost_minor, \
                 currency, usd_rate, usd_rate_on, cost_usd_minor, supplier, referral, created_at) \
                 VALUES (",
            )
            .int(id)
            .push(", ")
            .text(item.dimension.code())
            .push(", ")
            .text(item.category.code())
            .push(", ")
            .text(item.description.clone())
            .push(", ")
            .int(item.cost.minor)
            .push(", ")
            .text(item.cost.currency.as_str())
            .push(", ")
            .text(rate.to_decimal_string())
            .push(", ")
            .opt_text(rate_on.map(|d| d.to_string()))
            .push(", ")
            .int(usd.minor)
            .push(", ")
            .text(item.supplier.clone())
            .push(", ")
            .bool(item.referral)
            .push(", ")
            .text(crate::utc_now())
            .push(") RETURNING id");
            let item_id = q.insert_id(c)?;
            if case.stage() == Stage::Arrived {
                let mut s = Sql::new(backend);
                s.push("UPDATE cases SET status = 'assessed' WHERE id = ")
                    .int(id);
                s.execute(c)?;
            }
            append(
                c,
                backend,
                actor,
                Change::new(Action::Create, "plan_item", item_id).after(json!({
                    "case_id": id, "category": item.category.code(),
                    "cost": item.cost.to_decimal_string(), "currency": item.cost.currency.as_str(),
                    "cost_usd": usd.to_decimal_string(),
                })),
            )?;
            Ok(item_id)
        })
    }

    /// Removes an item from a draft or rejected plan.
    pub fn remove_plan_item(
        &self,
        auth: &Authorized<WriteCases>,
        actor: &Actor,
        id: i64,
        version: i64,
        item_id: i64,
    ) -> Result<(), StoreError> {
        self.write(|c| {
            let backend = self.backend();
            let case = load_covered(c, backend, auth, id)?;
            crate::cases::log::check(c, backend, id, version)?;
            editable(&case.plan_state, case.stage())?;
            let item = items_of(c, backend, id)?
                .into_iter()
                .find(|i| i.id == item_id)
                .ok_or_else(|| StoreError::NotFound(format!("plan item {item_id}")))?;
            log::edit(
                c,
                backend,
                id,
                version,
                actor,
                "plan_item_removed",
                &item.description,
            )?;
            let mut q = Sql::new(backend);
            q.push("DELETE FROM plan_items WHERE id = ").int(item_id);
            q.execute(c)?;
            append(
                c,
                backend,
                actor,
                Change::new(Action::Delete, "plan_item", item_id)
                    .before(json!({"case_id": id, "description": item.description})),
            )?;
            Ok(())
        })
    }

    /// Submits the plan for a manager's approval; the plan task is then done.
    pub fn submit_plan(
        &self,
        auth: &Authorized<WriteCases>,
        actor: &Actor,
        id: i64,
        version: i64,
    ) -> Result<(), StoreError> {
        self.write(|c| {
            let backend = self.backend();
            let case = load_covered(c, backend, auth, id)?;
            crate::cases::log::check(c, backend, id, version)?;
            open_case(&case)?;
            let items = items_of(c, backend, id)?;
            if items.is_empty() {
                return Err(StoreError::conflict("plan", "add at least one item first"));
            }
            if case.package_id.is_none() {
                return Err(StoreError::conflict(
                    "package",
                    "choose the case's reintegration package first",
                ));
            }
            case.stage()
                .step(Stage::PlanSubmitted, StepBy::Caseworker)
                .map_err(|e| StoreError::conflict("stage", e.to_string()))?;
            log::edit(c, backend, id, version, actor, "plan_submitted", "")?;
            let beyond = against_package(c, backend, &case, &items, false)?.is_err();
            let approvers = notifications::office_holders(
                c,
                backend,
                case.owning_office_id,
                Permission::CaseApprove,
            )?;
            notifications::tell(
                c,
                backend,
                actor,
                id,
                NotificationKind::of_submission(beyond),
                "",
                approvers,
            )?;
            let mut q = Sql::new(backend);
            q.push(
                "UPDATE cases SET status = 'plan_submitted', plan_state = 'requested', \
                 plan_comment = '' WHERE id = ",
            )
            .int(id);
            q.execute(c)?;
            complete_rule_task(c, backend, id, "plan", actor.user_id, crate::today())?;
            append(
                c,
                backend,
                actor,
                Change::new(Action::Update, "case", id)
                    .before(json!({"plan_state": case.plan_state}))
                    .after(json!({"plan_state": "requested"})),
            )?;
            Ok(())
        })
    }

    /// A manager's decision on a submitted plan. Approval checks the plan against the
    /// package; beyond the package it needs `exception` ticked. Rejection needs a comment.
    #[allow(clippy::too_many_arguments)]
    pub fn decide_plan(
        &self,
        auth: &Authorized<ApproveCases>,
        actor: &Actor,
        id: i64,
        version: i64,
        approve: bool,
        exception: bool,
        comment: &str,
    ) -> Result<(), StoreError> {
        let comment = comment.trim();
        if comment.chars().count() > 2000 {
            return Err(StoreError::conflict(
                "comment",
                "must be at most 2000 characters",
            ));
        }
        if !approve && comment.chars().count() < 3 {
            return Err(StoreError::conflict(
                "comment",
                "say why the plan is rejected, so it can be put right",
            ));
        }
        self.write(|c| {
            let backend = self.backend();
            let case = load_covered(c, backend, auth, id)?;
            crate::cases::log::check(c, backend, id, version)?;
            if case.plan_state != "requested" {
                return Err(StoreError::conflict("plan", "no plan is waiting for a decision"));
            }
            let to = if approve { Stage::PlanApproved } else { Stage::Assessed };
            case.stage()
                .step(to, StepBy::Manager)
                .map_err(|e| StoreError::conflict("stage", e.to_string()))?;
            if approve {
                let items = items_of(c, backend, id)?;
                against_package(c, backend, &case, &items, exception)?.map_err(|errs| {
                    StoreError::conflict(
                        "exception",
                        errs.iter().map(|e| e.to_string()).collect::<Vec<_>>().join("; "),
                    )
                })?;
            }
            let state = if approve { "approved" } else { "rejected" };
            log::edit(
                c,
                backend,
                id,
                version,
                actor,
                if approve { "plan_approved" } else { "plan_rejected" },
                comment,
            )?;
            let mut told: Vec<i64> = case.assigned_user_id.into_iter().collect();
            told.extend(notifications::plan_submitter(c, backend, id)?);
            notifications::tell(
                c,
                backend,
                actor,
                id,
                NotificationKind::of_decision(approve),
                "",
                told,
            )?;
            let today = crate::today();
            let mut q = Sql::new(backend);
            q.push("UPDATE cases SET status = ")
                .text(to.code())
                .push(", plan_state = ")
                .text(state)
                .push(", plan_comment = ")
                .text(comment)
                .push(", plan_exception = ")
                .bool(approve && exception)
                .push(", plan_decided_by = ")
                .int(auth.principal().user_id())
                .push(", plan_decided_at = ")
                .text(crate::utc_now());
            if approve {
                q.push(", plan_agreed_on = ").text(today.to_string());
            }
            q.push(" WHERE id = ").int(id);
            q.execute(c)?;
            if approve {
                crate::cases::tasks::add_rule_tasks(c, backend, id, Anchor::PlanApproved, today)?;
            }
            append(
                c,
                backend,
                actor,
                Change::new(Action::Update, "case", id)
                    .before(json!({"plan_state": "requested"}))
                    .after(json!({"plan_state": state, "exception": approve && exception, "comment": comment})),
            )?;
            Ok(())
        })
    }
}
