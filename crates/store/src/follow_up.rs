//! Following a returnee up: visits and calls with notes, and tasks with due dates (from
//! the rules, or added by hand), done or overdue.

use crate::audit::{Change, append};
use crate::case_log;
use crate::cases::load_covered;
use crate::sql::Sql;
use crate::{Actor, Backend, DbConnection, Store, StoreError};
use diesel::QueryableByName;
use diesel::sql_types::{BigInt, Nullable, Text};
use homeward_domain::access::{Authorized, WriteCases};
use homeward_domain::audit::Action;
use homeward_domain::date::Ymd;
use homeward_domain::reintegration::forms::FollowUp;
use serde_json::json;

/// A visit or call as stored, with who made it.
#[derive(Debug, Clone, PartialEq, Eq, QueryableByName)]
pub struct FollowUpRow {
    #[diesel(sql_type = BigInt)]
    pub id: i64,
    #[diesel(sql_type = Text)]
    pub kind: String,
    #[diesel(sql_type = Text)]
    pub on_date: String,
    #[diesel(sql_type = Text)]
    pub notes: String,
    #[diesel(sql_type = Text)]
    pub by: String,
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

pub(crate) fn follow_ups_of(
    c: &mut DbConnection,
    backend: Backend,
    case_id: i64,
) -> Result<Vec<FollowUpRow>, StoreError> {
    let mut q = Sql::new(backend);
    q.push(
        "SELECT f.id, f.kind, f.on_date, f.notes, u.name AS by FROM follow_ups f \
         JOIN users u ON u.id = f.created_by WHERE f.case_id = ",
    )
    .int(case_id)
    .push(" ORDER BY f.on_date DESC, f.id DESC");
    Ok(q.load(c)?)
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

/// How near a visit must be to a follow-up's due date to count as that follow-up.
const FOLLOW_UP_WINDOW_DAYS: i64 = 45;

impl Store {
    /// Records a visit or call. A follow-up task due within 45 days of it is done by it.
    pub fn add_follow_up(
        &self,
        auth: &Authorized<WriteCases>,
        actor: &Actor,
        id: i64,
        f: &FollowUp,
    ) -> Result<i64, StoreError> {
        self.write(|c| {
            let backend = self.backend();
            load_covered(c, backend, auth, id)?;
            let user = auth.principal().user_id();
            let mut q = Sql::new(backend);
            q.push(
                "INSERT INTO follow_ups (case_id, kind, on_date, notes, created_by, created_at) \
                 VALUES (",
            )
            .int(id)
            .push(", ")
            .text(f.kind.code())
            .push(", ")
            .text(f.on.to_string())
            .push(", ")
            .text(f.notes.clone())
            .push(", ")
            .int(user)
            .push(", ")
            .text(crate::utc_now())
            .push(") RETURNING id");
            let fid = q.insert_id(c)?;
            let due = tasks_of(c, backend, id)?.into_iter().find(|t| {
                t.done_on.is_none()
                    && t.rule_key
                        .as_deref()
                        .is_some_and(|k| k.starts_with("follow_up"))
                    && t.due_on.parse::<Ymd>().is_ok_and(|d| {
                        (d.to_days() - f.on.to_days()).abs() <= FOLLOW_UP_WINDOW_DAYS
                    })
            });
            if let Some(t) = due {
                mark_done(c, backend, t.id, user, f.on)?;
            }
            case_log::note(c, backend, id, actor, f.kind.code(), &f.on.to_string())?;
            append(
                c,
                backend,
                actor,
                Change::new(Action::Create, "follow_up", fid)
                    .after(json!({"case_id": id, "kind": f.kind.code(), "on": f.on.to_string()})),
            )?;
            Ok(fid)
        })
    }

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
            case_log::note(c, backend, id, actor, "task_added", title)?;
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
            case_log::note(c, backend, id, actor, "task_done", &task.title)?;
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

fn mark_done(
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
