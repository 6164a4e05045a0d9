//! What community projects and capacity-building activities share: saving their details
//! under a funding project and an office (new, or a change from the version read), their
//! outputs, and the money they spend, charged to their funding project in USD at the day's
//! rate. Changes need `community.manage` over the activity's office and are audited.

use super::{add_part, office_exists, reaches};
use crate::audit::{Change, append};
use crate::db::sql::{Sql, Value};
use crate::{Actor, Backend, DbConnection, Store, StoreError};
use diesel::QueryableByName;
use diesel::sql_types::{BigInt, Nullable, Text};
use homeward_domain::access::{Authorized, ManageCommunity};
use homeward_domain::audit::Action;
use homeward_domain::community::activity::{
    ActivityBasics, ActivityDraft, ExpenseDraft, Level, OutputDraft,
};
use homeward_domain::date::Ymd;
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

/// The funding project's code as lists show it: its Projects ID, else its Prima ID, else its
/// IATI identifier (`p` is the projects table).
const PROJECT_CODE: &str = "COALESCE(p.projects_id, p.prima_id, p.iati_identifier, '')";

/// What a listed activity of either level shows of itself: the funding project and the
/// office, where and when, where it stands, and what it has achieved and spent.
#[derive(Debug, Clone, PartialEq, Eq, QueryableByName, serde::Serialize)]
pub struct ActivityHead {
    #[diesel(sql_type = BigInt)]
    pub id: i64,
    #[diesel(sql_type = BigInt)]
    pub project_id: i64,
    /// The funding project's public id (Projects ID, else Prima ID).
    #[diesel(sql_type = Text)]
    pub project_code: String,
    #[diesel(sql_type = Text)]
    pub project_title: String,
    #[diesel(sql_type = BigInt)]
    pub office_id: i64,
    #[diesel(sql_type = Text)]
    pub office_name: String,
    #[diesel(sql_type = Text)]
    pub country: String,
    #[diesel(sql_type = Nullable<Text>)]
    pub start_on: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    pub end_on: Option<String>,
    #[diesel(sql_type = Text)]
    pub status: String,
    #[diesel(sql_type = Text)]
    pub description: String,
    #[diesel(sql_type = BigInt)]
    pub version: i64,
    /// Outputs achieved (with a date).
    #[diesel(sql_type = BigInt)]
    pub outputs_achieved: i64,
    /// Spent, in USD minor units.
    #[diesel(sql_type = BigInt)]
    pub spent_usd_minor: i64,
}

/// `SELECT` with the columns of an [`ActivityHead`] of `level` (its table aliased `a`), then
/// `own` (the level's other columns), `FROM` the table joined to its project and office.
pub(crate) fn select(level: Level, own: &str) -> String {
    let code = level.code();
    format!(
        "SELECT a.id, a.project_id, {PROJECT_CODE} AS project_code, p.title AS project_title, \
         a.office_id, o.name AS office_name, a.country, a.start_on, a.end_on, a.status, \
         a.description, a.version, \
         (SELECT COUNT(*) FROM activity_outputs x WHERE x.level = '{code}' AND x.activity_id = a.id \
         AND x.achieved_on IS NOT NULL) AS outputs_achieved, \
         CAST((SELECT COALESCE(SUM(e.usd_minor), 0) FROM activity_expenses e WHERE e.level = '{code}' \
         AND e.activity_id = a.id) AS BIGINT) AS spent_usd_minor, {own} \
         FROM {table} a JOIN projects p ON p.id = a.project_id JOIN offices o ON o.id = a.office_id",
        table = table(level)
    )
}

/// A line that lists an activity of one level: the columns of [`ActivityHead`] and its own.
pub trait ActivityLine:
    QueryableByName<diesel::sqlite::Sqlite> + QueryableByName<diesel::pg::Pg> + Send + 'static
{
    const LEVEL: Level;

    /// The query that lists it, from [`select`].
    fn select() -> String;

    /// What every activity has.
    fn head(&self) -> &ActivityHead;
}

/// Activity `id` as its line.
pub(crate) fn one<R: ActivityLine>(
    c: &mut DbConnection,
    backend: Backend,
    id: i64,
) -> Result<R, StoreError> {
    let mut q = Sql::new(backend);
    q.push(&R::select()).push(" WHERE a.id = ").int(id);
    q.load::<R>(c)?
        .into_iter()
        .next()
        .ok_or_else(|| StoreError::NotFound(format!("{} {id}", level_name(R::LEVEL))))
}

impl Store {
    /// The activities of one level, newest first, narrowed by country or funding project.
    pub fn activities<R: ActivityLine>(&self, f: &ActivityFilter) -> Result<Vec<R>, StoreError> {
        self.read(|c| list(c, self.backend(), &R::select(), f))
    }
}

/// What a person calls an activity of this level.
fn level_name(level: Level) -> &'static str {
    match level {
        Level::Community => "community project",
        Level::Structural => "capacity-building activity",
    }
}

/// What saving an activity of one level needs to know about it; the rest of saving is the
/// same for both levels ([`Store::save_activity`]).
pub trait SavedActivity: ActivityDraft {
    /// The columns only this level has, and what the audit trail keeps of them.
    fn details(&self) -> Details;

    /// The stored activity a change starts from.
    fn before(c: &mut DbConnection, backend: Backend, id: i64) -> Result<Before, StoreError>;

    /// Refuses a change of activity `id` that this level's own rules forbid.
    fn check(&self, _c: &mut DbConnection, _backend: Backend, _id: i64) -> Result<(), StoreError> {
        Ok(())
    }
}

/// The columns of an activity's details only its level has, with their values, and what
/// the audit trail keeps of them (an object).
pub struct Details {
    pub(crate) columns: Vec<(&'static str, Value)>,
    pub(crate) audit: serde_json::Value,
}

/// The columns every activity has, from its basics, and the audit trail's record of the
/// whole draft (the basics with the level's own `details`).
fn columns_and_audit(
    b: &ActivityBasics,
    own: Details,
) -> (Vec<(&'static str, Value)>, serde_json::Value) {
    let day = |x: Option<Ymd>| x.map(|d| d.to_string());
    let mut columns = vec![
        ("project_id", Value::Int(b.project_id)),
        ("office_id", Value::Int(b.office_id)),
        ("country", Value::Text(b.country.as_str().to_owned())),
        ("start_on", Value::OptText(day(b.start_on))),
        ("end_on", Value::OptText(day(b.end_on))),
        ("status", Value::Text(b.status.code().to_owned())),
        ("description", Value::Text(b.description.clone())),
    ];
    columns.extend(own.columns);
    let mut audit = json!({
        "project_id": b.project_id, "office_id": b.office_id, "country": b.country.as_str(),
        "start_on": day(b.start_on), "end_on": day(b.end_on), "status": b.status.code(),
        "description": b.description,
    });
    if let (Some(all), serde_json::Value::Object(own)) = (audit.as_object_mut(), own.audit) {
        all.extend(own);
    }
    (columns, audit)
}

/// The stored activity a change starts from: its office, its name (for the message when
/// someone else changed it first), its version and what the audit trail keeps of it.
pub struct Before {
    pub(crate) office_id: i64,
    pub(crate) name: String,
    pub(crate) version: i64,
    pub(crate) audit: serde_json::Value,
}

impl Store {
    /// Adds an activity (`id` none) or changes one read at a version (`Some((id, version))`):
    /// the funding project and the office must exist and the proof reach the office (both
    /// the old one and the new); a change from an older version is refused, and so is one
    /// the level's own rules forbid, before anything is written.
    pub fn save_activity<D: SavedActivity>(
        &self,
        auth: &Authorized<ManageCommunity>,
        actor: &Actor,
        id: Option<(i64, i64)>,
        draft: &D,
    ) -> Result<i64, StoreError> {
        let backend = self.backend();
        let level = D::LEVEL;
        let basics = draft.basics();
        let (columns, audit) = columns_and_audit(basics, draft.details());
        reaches(auth, basics.office_id)?;
        self.write(|c| {
            // Each attempt starts from the same fields (a lost connection runs it again).
            let mut columns = columns.clone();
            crate::catalogue::projects::project_exists(c, backend, basics.project_id)?;
            office_exists(c, backend, basics.office_id)?;
            let now = crate::utc_now();
            match id {
                None => {
                    columns.extend([
                        ("created_by", Value::OptInt(actor.user_id)),
                        ("created_at", Value::Text(now.clone())),
                        ("updated_at", Value::Text(now)),
                    ]);
                    let mut q = Sql::new(backend);
                    q.push("INSERT INTO ")
                        .push(table(level))
                        .push(" ")
                        .columns_values(columns)
                        .push(" RETURNING id");
                    let new = q.insert_id(c)?;
                    append(
                        c,
                        backend,
                        actor,
                        Change::new(Action::Create, record_type(level), new).after(audit.clone()),
                    )?;
                    Ok(new)
                }
                Some((id, version)) => {
                    let b = D::before(c, backend, id)?;
                    reaches(auth, b.office_id)?;
                    check_version(&b.name, version, b.version)?;
                    draft.check(c, backend, id)?;
                    columns.push(("updated_at", Value::Text(now)));
                    let mut q = Sql::new(backend);
                    q.push("UPDATE ")
                        .push(table(level))
                        .push(" SET ")
                        .assignments(columns)
                        .push(", version = version + 1 WHERE id = ")
                        .int(id);
                    q.execute(c)?;
                    append(
                        c,
                        backend,
                        actor,
                        Change::new(Action::Update, record_type(level), id)
                            .before(b.audit)
                            .after(audit.clone()),
                    )?;
                    Ok(id)
                }
            }
        })
    }
}

/// What a list of activities of either level may be narrowed to.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ActivityFilter {
    pub country: Option<String>,
    pub project_id: Option<i64>,
}

/// The activities `select` (from [`select`]) lists, narrowed by `f`, newest first.
pub(crate) fn list<R>(
    c: &mut DbConnection,
    backend: Backend,
    select: &str,
    f: &ActivityFilter,
) -> Result<Vec<R>, StoreError>
where
    R: QueryableByName<diesel::sqlite::Sqlite> + QueryableByName<diesel::pg::Pg> + 'static,
{
    let mut q = Sql::new(backend);
    q.push(select).push(" WHERE 1 = 1");
    if let Some(cc) = &f.country {
        q.push(" AND a.country = ").text(cc.clone());
    }
    if let Some(p) = f.project_id {
        q.push(" AND a.project_id = ").int(p);
    }
    q.push(" ORDER BY a.start_on DESC, a.id DESC");
    Ok(q.load(c)?)
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
            add_part(
                c,
                backend,
                actor,
                "activity_outputs",
                vec![
                    ("level", Value::Text(level.code().to_owned())),
                    ("activity_id", Value::Int(id)),
                    ("text", Value::Text(d.text.clone())),
                    (
                        "achieved_on",
                        Value::OptText(d.achieved_on.map(|x| x.to_string())),
                    ),
                    ("created_at", Value::Text(crate::utc_now())),
                ],
                record_type(level),
                id,
                |_| json!({"output": d.text, "achieved_on": d.achieved_on.map(|x| x.to_string())}),
            )
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
            let (rate, _) = crate::cases::plans::rate_for(
                c,
                backend,
                d.amount.currency,
                d.spent_on,
                "currency",
            )?;
            let usd = rate
                .to_usd(d.amount)
                .map_err(|e| StoreError::conflict("amount", e))?;
            add_part(
                c,
                backend,
                actor,
                "activity_expenses",
                vec![
                    ("level", Value::Text(level.code().to_owned())),
                    ("activity_id", Value::Int(id)),
                    ("project_id", Value::Int(project)),
                    ("spent_on", Value::Text(d.spent_on.to_string())),
                    ("description", Value::Text(d.description.clone())),
                    ("amount_minor", Value::Int(d.amount.minor)),
                    (
                        "currency",
                        Value::Text(d.amount.currency.as_str().to_owned()),
                    ),
                    ("usd_rate", Value::Text(rate.to_decimal_string())),
                    ("usd_minor", Value::Int(usd.minor)),
                    ("created_by", Value::OptInt(actor.user_id)),
                    ("created_at", Value::Text(crate::utc_now())),
                ],
                record_type(level),
                id,
                |_| {
                    json!({
                        "expense": d.description, "amount": d.amount.to_decimal_string(),
                        "currency": d.amount.currency.as_str(), "usd": usd.to_decimal_string(),
                    })
                },
            )
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
