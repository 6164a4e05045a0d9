//! What community projects and capacity-building activities share: their outputs and the
//! money they spend, charged to their funding project in USD at the day's rate. Changes
//! need `community.manage` over the activity's office and are audited.

use crate::audit::{Change, append};
use crate::community::reaches;
use crate::sql::Sql;
use crate::{Actor, Backend, DbConnection, Store, StoreError};
use diesel::QueryableByName;
use diesel::sql_types::{BigInt, Nullable, Text};
use homeward_domain::access::{Authorized, ManageCommunity};
use homeward_domain::audit::Action;
use homeward_domain::community::activity::{ExpenseDraft, Level, OutputDraft};
use homeward_domain::{CurrencyCode, Money};
use serde_json::json;

/// An output of an activity.
#[derive(Debug, Clone, PartialEq, Eq, QueryableByName)]
pub struct Output {
    #[diesel(sql_type = BigInt)]
    pub id: i64,
    #[diesel(sql_type = Text)]
    pub text: String,
    #[diesel(sql_type = Nullable<Text>)]
    pub achieved_on: Option<String>,
}

#[derive(QueryableByName)]
struct ExpenseRow {
    #[diesel(sql_type = BigInt)]
    id: i64,
    #[diesel(sql_type = Text)]
    spent_on: String,
    #[diesel(sql_type = Text)]
    description: String,
    #[diesel(sql_type = BigInt)]
    amount_minor: i64,
    #[diesel(sql_type = Text)]
    currency: String,
    #[diesel(sql_type = Text)]
    usd_rate: String,
    #[diesel(sql_type = BigInt)]
    usd_minor: i64,
}

/// Money an activity spent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expense {
    pub id: i64,
    pub spent_on: String,
    pub description: String,
    pub amount: Money,
    /// USD per unit on the day.
    pub usd_rate: String,
    pub usd: Money,
}

fn table(level: Level) -> &'static str {
    match level {
        Level::Community => "community_projects",
        Level::Structural => "capacity_activities",
    }
}

/// An edit of an activity read at version `read` when it is at `now`: refused, saying so.
pub(crate) fn check_version(name: &str, read: i64, now: i64) -> Result<(), StoreError> {
    if read == now {
        return Ok(());
    }
    Err(StoreError::Stale(format!(
        "{name} was changed by someone else since you opened it (version {read} → {now}); \
         open it again and redo your change"
    )))
}

/// The audit trail's name for an activity of this level.
fn record_type(level: Level) -> &'static str {
    match level {
        Level::Community => "community_project",
        Level::Structural => "capacity_activity",
    }
}

#[derive(QueryableByName)]
struct Owner {
    #[diesel(sql_type = BigInt)]
    office_id: i64,
    #[diesel(sql_type = BigInt)]
    project_id: i64,
}

/// The office that runs an activity and the project that funds it.
pub(crate) fn owner(
    c: &mut DbConnection,
    backend: Backend,
    level: Level,
    id: i64,
) -> Result<(i64, i64), StoreError> {
    let mut q = Sql::new(backend);
    q.push("SELECT office_id, project_id FROM ")
        .push(table(level))
        .push(" WHERE id = ")
        .int(id);
    q.load::<Owner>(c)?
        .first()
        .map(|o| (o.office_id, o.project_id))
        .ok_or_else(|| {
            StoreError::NotFound(format!("{} activity {id}", level.label().to_lowercase()))
        })
}

pub(crate) fn outputs(
    c: &mut DbConnection,
    backend: Backend,
    level: Level,
    id: i64,
) -> Result<Vec<Output>, StoreError> {
    let mut q = Sql::new(backend);
    q.push("SELECT id, text, achieved_on FROM activity_outputs WHERE level = ")
        .text(level.code())
        .push(" AND activity_id = ")
        .int(id)
        .push(" ORDER BY id");
    Ok(q.load(c)?)
}

pub(crate) fn expenses(
    c: &mut DbConnection,
    backend: Backend,
    level: Level,
    id: i64,
) -> Result<Vec<Expense>, StoreError> {
    let mut q = Sql::new(backend);
    q.push(
        "SELECT id, spent_on, description, amount_minor, currency, usd_rate, usd_minor \
         FROM activity_expenses WHERE level = ",
    )
    .text(level.code())
    .push(" AND activity_id = ")
    .int(id)
    .push(" ORDER BY spent_on, id");
    Ok(q.load::<ExpenseRow>(c)?
        .into_iter()
        .filter_map(|r| {
            let currency: CurrencyCode = r.currency.parse().ok()?;
            Some(Expense {
                id: r.id,
                spent_on: r.spent_on,
                description: r.description,
                amount: Money::new(r.amount_minor, currency),
                usd_rate: r.usd_rate,
                usd: Money::new(r.usd_minor, CurrencyCode::USD),
            })
        })
        .collect())
}

impl Store {
    /// Adds an output to a community project or capacity-building activity.
    pub fn add_output(
        &self,
        auth: &Authorized<ManageCommunity>,
        actor: &Actor,
        level: Level,
        id: i64,
        d: &OutputDraft,
    ) -> Result<i64, StoreError> {
        let backend = self.backend();
        self.write(|c| {
            let (office, _) = owner(c, backend, level, id)?;
            reaches(auth, office)?;
            let mut q = Sql::new(backend);
            q.push("INSERT INTO activity_outputs (level, activity_id, text, achieved_on, created_at) VALUES (")
                .text(level.code())
                .push(", ")
                .int(id)
                .push(", ")
                .text(d.text.clone())
                .push(", ")
                .opt_text(d.achieved_on.map(|x| x.to_string()))
                .push(", ")
                .text(crate::utc_now())
                .push(") RETURNING id");
            let new = q.insert_id(c)?;
            append(
                c,
                backend,
                actor,
                Change::new(Action::Update, record_type(level), id).after(json!({
                    "output": d.text, "achieved_on": d.achieved_on.map(|x| x.to_string()),
                })),
            )?;
            Ok(new)
        })
    }

    /// Records money an activity spent, converted to USD at the rate of the day it was
    /// spent and charged to the activity's funding project.
    pub fn add_expense(
        &self,
        auth: &Authorized<ManageCommunity>,
        actor: &Actor,
        level: Level,
        id: i64,
        d: &ExpenseDraft,
    ) -> Result<i64, StoreError> {
        let backend = self.backend();
        self.write(|c| {
            let (office, project) = owner(c, backend, level, id)?;
            reaches(auth, office)?;
            let rate = crate::plans::rate_for(c, backend, d.amount.currency, d.spent_on, "currency")?;
            let usd = rate
                .to_usd(d.amount)
                .map_err(|e| StoreError::conflict("amount", e))?;
            let mut q = Sql::new(backend);
            q.push(
                "INSERT INTO activity_expenses (level, activity_id, project_id, spent_on, description, \
                 amount_minor, currency, usd_rate, usd_minor, created_by, created_at) VALUES (",
            )
            .text(level.code())
            .push(", ")
            .int(id)
            .push(", ")
            .int(project)
            .push(", ")
            .text(d.spent_on.to_string())
            .push(", ")
            .text(d.description.clone())
            .push(", ")
            .int(d.amount.minor)
            .push(", ")
            .text(d.amount.currency.as_str())
            .push(", ")
            .text(rate.to_decimal_string())
            .push(", ")
            .int(usd.minor)
            .push(", ")
            .opt_int(actor.user_id)
            .push(", ")
            .text(crate::utc_now())
            .push(") RETURNING id");
            let new = q.insert_id(c)?;
            append(
                c,
                backend,
                actor,
                Change::new(Action::Update, record_type(level), id).after(json!({
                    "expense": d.description, "amount": d.amount.to_decimal_string(),
                    "currency": d.amount.currency.as_str(), "usd": usd.to_decimal_string(),
                })),
            )?;
            Ok(new)
        })
    }
}

impl Store {
    /// Removes an output recorded by mistake (the audit trail keeps what it said).
    pub fn remove_output(
        &self,
        auth: &Authorized<ManageCommunity>,
        actor: &Actor,
        level: Level,
        id: i64,
        output: i64,
    ) -> Result<(), StoreError> {
        self.remove_part(auth, actor, level, id, "activity_outputs", output)
    }

    /// Removes money recorded by mistake; it is no longer charged to the project.
    pub fn remove_expense(
        &self,
        auth: &Authorized<ManageCommunity>,
        actor: &Actor,
        level: Level,
        id: i64,
        expense: i64,
    ) -> Result<(), StoreError> {
        self.remove_part(auth, actor, level, id, "activity_expenses", expense)
    }

    fn remove_part(
        &self,
        auth: &Authorized<ManageCommunity>,
        actor: &Actor,
        level: Level,
        id: i64,
        table: &str,
        row: i64,
    ) -> Result<(), StoreError> {
        let backend = self.backend();
        self.write(|c| {
            let (office, _) = owner(c, backend, level, id)?;
            reaches(auth, office)?;
            let before = match table {
                "activity_outputs" => outputs(c, backend, level, id)?
                    .into_iter()
                    .find(|o| o.id == row)
                    .map(|o| json!({"output": o.text, "achieved_on": o.achieved_on})),
                _ => expenses(c, backend, level, id)?
                    .into_iter()
                    .find(|e| e.id == row)
                    .map(|e| {
                        json!({"expense": e.description, "amount": e.amount.to_decimal_string(),
                        "currency": e.amount.currency.as_str(), "usd": e.usd.to_decimal_string()})
                    }),
            }
            .ok_or_else(|| StoreError::NotFound(format!("{table} {row} of this activity")))?;
            let mut q = Sql::new(backend);
            q.push("DELETE FROM ")
                .push(table)
                .push(" WHERE id = ")
                .int(row)
                .push(" AND level = ")
                .text(level.code())
                .push(" AND activity_id = ")
                .int(id);
            q.execute(c)?;
            append(
                c,
                backend,
                actor,
                Change::new(Action::Update, record_type(level), id).before(before),
            )?;
            Ok(())
        })
    }
}
