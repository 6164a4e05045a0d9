//! Following a returnee up: visits and calls with notes. A visit near a follow-up task's
//! due date completes that task.

use crate::audit::{Change, append};
use crate::cases::load_covered;
use crate::cases::log;
use crate::cases::tasks::mark_done;
use crate::cases::tasks::tasks_of;
use crate::db::sql::Sql;
use crate::{Actor, Backend, DbConnection, Store, StoreError};
use diesel::QueryableByName;
use diesel::sql_types::{BigInt, Text};
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
            log::note(c, backend, id, actor, f.kind.code(), &f.on.to_string())?;
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
}
