//! A case on its way through its stages: steps with their dates, closure and reopening.
//! Each edit names the version it was made from (see `log`); each change is audited.

use crate::audit::{Change, append};
use crate::cases::load_covered;
use crate::cases::log;
use crate::cases::step_by;
use crate::cases::tasks::add_rule_tasks;
use crate::db::sql::Sql;
use crate::{Actor, Backend, DbConnection, Store, StoreError};
use homeward_domain::access::{ApproveCases, Authorized, WriteCases};
use homeward_domain::audit::Action;
use homeward_domain::date::Ymd;
use homeward_domain::reintegration::forms::Closure;
use homeward_domain::reintegration::stage::{Actor as StepBy, Stage};
use homeward_domain::reintegration::tasks::Anchor;
use serde_json::json;

fn set_stage(
    c: &mut DbConnection,
    backend: Backend,
    id: i64,
    to: Stage,
    date_column: Option<(&str, Ymd)>,
) -> Result<(), StoreError> {
    let mut q = Sql::new(backend);
    q.push("UPDATE cases SET status = ").text(to.code());
    if let Some((col, on)) = date_column {
        q.push(", ").push(col).push(" = ").text(on.to_string());
    }
    q.push(" WHERE id = ").int(id);
    q.execute(c)?;
    Ok(())
}

impl Store {
    /// Moves a case one step along (counselled, departed, arrived, assessed, assistance,
    /// monitoring) on the date given. Plan approval, closure and reopening have their own
    /// functions, with their own checks.
    #[allow(clippy::too_many_arguments)]
    pub fn step_case(
        &self,
        auth: &Authorized<WriteCases>,
        approver: Option<&Authorized<ApproveCases>>,
        actor: &Actor,
        id: i64,
        version: i64,
        to: Stage,
        on: Ymd,
    ) -> Result<(), StoreError> {
        if matches!(
            to,
            Stage::PlanSubmitted | Stage::PlanApproved | Stage::Closed | Stage::Registered
        ) {
            return Err(StoreError::conflict(
                "stage",
                "use the plan or closure form for this step",
            ));
        }
        if on > crate::today() {
            return Err(StoreError::conflict("on", "is in the future"));
        }
        self.write(|c| {
            let backend = self.backend();
            let case = load_covered(c, backend, auth, id)?;
            crate::cases::log::check(c, backend, id, version)?;
            let from = case.stage();
            from.step(to, step_by(approver, &case))
                .map_err(|e| StoreError::conflict("stage", e.to_string()))?;
            log::edit(
                c,
                backend,
                id,
                version,
                actor,
                "stage",
                &format!("{} → {} ({on})", from.code(), to.code()),
            )?;
            let column = match to {
                Stage::Counselled => Some(("counselled_on", on)),
                Stage::Departed => Some(("departed_on", on)),
                Stage::Arrived => Some(("arrived_on", on)),
                _ => None,
            };
            set_stage(c, backend, id, to, column)?;
            if to == Stage::Arrived && case.arrived_on.is_none() {
                add_rule_tasks(c, backend, id, Anchor::Arrival, on)?;
            }
            append(
                c,
                backend,
                actor,
                Change::new(Action::Update, "case", id)
                    .before(json!({"stage": from.code()}))
                    .after(json!({"stage": to.code(), "on": on.to_string()})),
            )?;
            Ok(())
        })
    }

    /// Closes a case with its reason and date (a manager's step).
    pub fn close_case(
        &self,
        auth: &Authorized<ApproveCases>,
        actor: &Actor,
        id: i64,
        version: i64,
        closure: &Closure,
    ) -> Result<(), StoreError> {
        self.write(|c| {
            let backend = self.backend();
            let case = load_covered(c, backend, auth, id)?;
            crate::cases::log::check(c, backend, id, version)?;
            let from = case.stage();
            from.step(Stage::Closed, StepBy::Manager)
                .map_err(|e| StoreError::conflict("stage", e.to_string()))?;
            log::edit(
                c,
                backend,
                id,
                version,
                actor,
                "closed",
                &format!("{} ({})", closure.reason.code(), closure.on),
            )?;
            let mut q = Sql::new(backend);
            q.push("UPDATE cases SET status = 'closed', closed_on = ")
                .text(closure.on.to_string())
                .push(", closure_reason = ")
                .text(closure.reason.code())
                .push(", closure_note = ")
                .text(closure.note.clone())
                .push(" WHERE id = ")
                .int(id);
            q.execute(c)?;
            append(
                c,
                backend,
                actor,
                Change::new(Action::Update, "case", id)
                    .before(json!({"stage": from.code()}))
                    .after(json!({"stage": "closed", "reason": closure.reason.code(), "on": closure.on.to_string()})),
            )?;
            Ok(())
        })
    }

    /// Reopens a closed case into monitoring (a manager's step); the closure is kept in
    /// the timeline.
    pub fn reopen_case(
        &self,
        auth: &Authorized<ApproveCases>,
        actor: &Actor,
        id: i64,
        version: i64,
        why: &str,
    ) -> Result<(), StoreError> {
        let why = why.trim();
        if why.chars().count() < 3 || why.chars().count() > 500 {
            return Err(StoreError::conflict(
                "reason",
                "say why (3 to 500 characters)",
            ));
        }
        self.write(|c| {
            let backend = self.backend();
            let case = load_covered(c, backend, auth, id)?;
            crate::cases::log::check(c, backend, id, version)?;
            case.stage()
                .step(Stage::Monitoring, StepBy::Manager)
                .map_err(|e| StoreError::conflict("stage", e.to_string()))?;
            log::edit(c, backend, id, version, actor, "reopened", why)?;
            let mut q = Sql::new(backend);
            q.push(
                "UPDATE cases SET status = 'monitoring', closed_on = NULL, closure_reason = NULL, \
                 closure_note = '' WHERE id = ",
            )
            .int(id);
            q.execute(c)?;
            append(
                c,
                backend,
                actor,
                Change::new(Action::Update, "case", id)
                    .before(json!({"stage": "closed"}))
                    .after(json!({"stage": "monitoring", "why": why})),
            )?;
            Ok(())
        })
    }
}
