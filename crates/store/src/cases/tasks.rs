//! Tasks on a case and the rules that make them: each rule gives a task a number of days or
//! months after an anchor (arrival, plan approved); caseworkers add their own; a task is
//! done or overdue.

use crate::audit::{Change, append};
use crate::cases::{load_covered, log};
use crate::db::sql::Sql;
use crate::{Actor, Backend, DbConnection, Store, StoreError};
use diesel::QueryableByName;
use diesel::sql_types::{BigInt, Bool, Nullable, Text};
use homeward_domain::access::{Authorized, ManagePackages, WriteCases};
use homeward_domain::audit::Action;
use homeward_domain::date::Ymd;
use homeward_domain::reintegration::tasks::{self, Anchor, Offset, TaskRule};
use serde_json::json;

#[derive(QueryableByName)]
struct RuleRow {
    #[diesel(sql_type = Text)]
    key: String,
    #[diesel(sql_type = Text)]
    title: String,
    #[diesel(sql_type = Text)]
    anchor: String,
    #[diesel(sql_type = BigInt)]
    offset_days: i64,
    #[diesel(sql_type = BigInt)]
    offset_months: i64,
    #[diesel(sql_type = Bool)]
    active: bool,
}

/// A task rule as configured.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredRule {
    pub rule: TaskRule,
    pub title: String,
    pub active: bool,
}

pub(crate) fn task_rules(
    c: &mut DbConnection,
    backend: Backend,
) -> Result<Vec<StoredRule>, StoreError> {
    let mut q = Sql::new(backend);
    q.push(
        "SELECT key, title, anchor, CAST(offset_days AS BIGINT) AS offset_days, \
         CAST(offset_months AS BIGINT) AS offset_months, active FROM task_rules ORDER BY key",
    );
    Ok(q.load::<RuleRow>(c)?
        .into_iter()
        .filter_map(|r| {
            let anchor: Anchor = r.anchor.parse().ok()?;
            let offset = if r.offset_months > 0 {
                Offset::Months(u32::try_from(r.offset_months).ok()?)
            } else {
                Offset::Days(u32::try_from(r.offset_days).ok()?)
            };
            Some(StoredRule {
                rule: TaskRule {
                    key: r.key,
                    anchor,
                    offset,
                },
                title: r.title,
                active: r.active,
            })
        })
        .collect())
}

/// Adds the tasks the active rules give from `anchor` reached on `on`.
pub(crate) fn add_rule_tasks(
    c: &mut DbConnection,
    backend: Backend,
    case_id: i64,
    anchor: Anchor,
    on: Ymd,
) -> Result<(), StoreError> {
    let rules: Vec<StoredRule> = task_rules(c, backend)?
        .into_iter()
        .filter(|r| r.active && r.rule.anchor == anchor)
        .collect();
    let plain: Vec<TaskRule> = rules.iter().map(|r| r.rule.clone()).collect();
    let (arrived, approved) = match anchor {
        Anchor::Arrival => (Some(on), None),
        Anchor::PlanApproved => (None, Some(on)),
    };
    for due in tasks::tasks_for(&plain, arrived, approved) {
        let title = rules
            .iter()
            .find(|r| r.rule.key == due.key)
            .map(|r| r.title.clone())
            .unwrap_or_else(|| due.key.clone());
        let mut q = Sql::new(backend);
        q.push("INSERT INTO tasks (case_id, rule_key, title, due_on, created_at) VALUES (")
            .int(case_id)
            .push(", ")
            .text(due.key)
            .push(", ")
            .text(title)
            .push(", ")
            .text(due.due.to_string())
            .push(", ")
            .text(crate::utc_now())
            .push(")");
        q.execute(c)?;
    }
    Ok(())
}

/// Marks the open task of a rule done (the plan task when the plan is submitted).
pub(crate) fn complete_rule_task(
    c: &mut DbConnection,
    backend: Backend,
    case_id: i64,
    rule_key: &str,
    by: Option<i64>,
    on: Ymd,
) -> Result<(), StoreError> {
    let mut q = Sql::new(backend);
    q.push("UPDATE tasks SET done_on = ")
        .text(on.to_string())
        .push(", done_by = ")
        .opt_int(by)
        .push(" WHERE case_id = ")
        .int(case_id)
        .push(" AND rule_key = ")
        .text(rule_key)
        .push(" AND done_on IS NULL");
    q.execute(c)?;
    Ok(())
}

impl Store {
    /// The task rules, for the administration page.
    pub fn task_rules(&self) -> Result<Vec<StoredRule>, StoreError> {
        self.read(|c| task_rules(c, self.backend()))
    }

    /// Changes when a rule's task falls due, and whether it is used for new cases.
    pub fn set_task_rule(
        &self,
        _auth: &Authorized<ManagePackages>,
        actor: &Actor,
        key: &str,
        offset: Offset,
        active: bool,
    ) -> Result<(), StoreError> {
        let (days, months) = match offset {
            Offset::Days(d) if (1..=730).contains(&d) => (d, 0),
            Offset::Months(m) if (1..=36).contains(&m) => (0, m),
            _ => {
                return Err(StoreError::conflict(
                    "offset",
                    "must be 1 to 730 days or 1 to 36 months",
                ));
            }
        };
        self.write(|c| {
            let backend = self.backend();
            let mut q = Sql::new(backend);
            q.push("UPDATE task_rules SET offset_days = ")
                .int(i64::from(days))
                .push(", offset_months = ")
                .int(i64::from(months))
                .push(", active = ")
                .bool(active)
                .push(" WHERE key = ")
                .text(key);
            if q.execute(c)? == 0 {
                return Err(StoreError::NotFound(format!("task rule {key}")));
            }
            append(
                c,
                backend,
                actor,
                Change::new(Action::Update, "task_rule", key)
                    .after(json!({"offset_days": days, "offset_months": months, "active": active})),
            )?;
            Ok(())
        })
    }
}

/// A task as stored.
#[derive(Debug, Clone, PartialEq, Eq, QueryableByName)]
pub struct TaskRow {
    #[diesel(sql_type = BigInt)]
    pub id: i64,
    #[diesel(sql_type = BigInt)]
    pub case_id: i64,
    #[diesel(sql_type = Nullable<Text>)]
    pub rule_key: Option<String>,
    #[diesel(sql_type = Text)]
    pub title: String,
    #[diesel(sql_type = Text)]
    pub due_on: String,
    #[diesel(sql_type = Nullable<Text>)]
    pub done_on: Option<String>,
}

impl TaskRow {
    pub fn is_overdue(&self, today: Ymd) -> bool {
        self.done_on.is_none() && self.due_on.as_str() < today.to_string().as_str()
    }
}

pub(crate) fn tasks_of(
    c: &mut DbConnection,
    backend: Backend,
    case_id: i64,
) -> Result<Vec<TaskRow>, StoreError> {
    let mut q = Sql::new(backend);
    q.push("SELECT id, case_id, rule_key, title, due_on, done_on FROM tasks WHERE case_id = ")
        .int(case_id)
        .push(" ORDER BY due_on, id");
    Ok(q.load(c)?)
}

pub(crate) fn mark_done(
    c: &mut DbConnection,
    backend: Backend,
    task_id: i64,
    by: i64,
    on: Ymd,
) -> Result<(), StoreError> {
    let mut q = Sql::new(backend);
    q.push("UPDATE tasks SET done_on = ")
        .text(on.to_string())
        .push(", done_by = ")
        .int(by)
        .push(" WHERE id = ")
        .int(task_id);
    q.execute(c)?;
    Ok(())
}

impl Store {
    /// Adds a task by hand.
    pub fn add_task(
        &self,
        auth: &Authorized<WriteCases>,
        actor: &Actor,
        id: i64,
        title: &str,
        due: Ymd,
    ) -> Result<i64, StoreError> {
        let title = title.trim();
        if title.chars().count() < 3 || title.chars().count() > 200 {
            return Err(StoreError::conflict("title", "must be 3 to 200 characters"));
        }
        self.write(|c| {
            let backend = self.backend();
            load_covered(c, backend, auth, id)?;
            let mut q = Sql::new(backend);
            q.push("INSERT INTO tasks (case_id, title, due_on, created_at) VALUES (")
                .int(id)
                .push(", ")
                .text(title)
                .push(", ")
                .text(due.to_string())
                .push(", ")
                .text(crate::utc_now())
                .push(") RETURNING id");
            let tid = q.insert_id(c)?;
            log::note(c, backend, id, actor, "task_added", title)?;
            append(
                c,
                backend,
                actor,
                Change::new(Action::Create, "task", tid)
                    .after(json!({"case_id": id, "title": title, "due_on": due.to_string()})),
            )?;
            Ok(tid)
        })
    }

    /// Marks a task of the case done today.
    pub fn complete_task(
        &self,
        auth: &Authorized<WriteCases>,
        actor: &Actor,
        id: i64,
        task_id: i64,
    ) -> Result<(), StoreError> {
        self.write(|c| {
            let backend = self.backend();
            load_covered(c, backend, auth, id)?;
            let task = tasks_of(c, backend, id)?
                .into_iter()
                .find(|t| t.id == task_id && t.done_on.is_none())
                .ok_or_else(|| StoreError::NotFound(format!("open task {task_id}")))?;
            mark_done(
                c,
                backend,
                task_id,
                auth.principal().user_id(),
                crate::today(),
            )?;
            log::note(c, backend, id, actor, "task_done", &task.title)?;
            append(
                c,
                backend,
                actor,
                Change::new(Action::Update, "task", task_id)
                    .before(json!({"done_on": null}))
                    .after(json!({"done_on": crate::today().to_string()})),
            )?;
            Ok(())
        })
    }
}
