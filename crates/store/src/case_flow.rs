//! A case on its way: the returnee's details and household, consents, the package and
//! funding project, stage steps with their dates, closure and reopening. Each edit names
//! the version it was made from (see `case_log`); each change is audited.

use crate::audit::{Change, append};
use crate::case_log;
use crate::cases::{CaseView, load_covered};
use crate::sql::Sql;
use crate::{Actor, Backend, DbConnection, Store, StoreError};
use diesel::QueryableByName;
use diesel::sql_types::{BigInt, Bool, Nullable, Text};
use homeward_domain::access::{ApproveCases, Authorized, WriteCases};
use homeward_domain::audit::Action;
use homeward_domain::case::{HouseholdMember, Registration};
use homeward_domain::date::Ymd;
use homeward_domain::reintegration::consent::{Consent, Purpose};
use homeward_domain::reintegration::forms::Closure;
use homeward_domain::reintegration::stage::{Actor as StepBy, Stage};
use homeward_domain::reintegration::tasks::{self, Anchor, Offset, TaskRule};
use serde_json::json;

/// Whether the approver's proof makes this person a manager for this case.
pub(crate) fn step_by(approver: Option<&Authorized<ApproveCases>>, case: &CaseView) -> StepBy {
    match approver {
        Some(a) if a.covers(&case.facts()) => StepBy::Manager,
        _ => StepBy::Caseworker,
    }
}

pub(crate) fn open_case(case: &CaseView) -> Result<(), StoreError> {
    if case.stage().is_open() {
        Ok(())
    } else {
        Err(StoreError::conflict(
            "case",
            "the case is closed; a manager can reopen it",
        ))
    }
}

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

#[derive(QueryableByName)]
struct ConsentRow {
    #[diesel(sql_type = BigInt)]
    id: i64,
    #[diesel(sql_type = Text)]
    purpose: String,
    #[diesel(sql_type = Nullable<BigInt>)]
    partner_office_id: Option<i64>,
    #[diesel(sql_type = Text)]
    given_on: String,
    #[diesel(sql_type = BigInt)]
    taken_by: i64,
    #[diesel(sql_type = Nullable<Text>)]
    withdrawn_on: Option<String>,
}

/// A consent as recorded, with its row id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredConsent {
    pub id: i64,
    pub consent: Consent,
}

pub(crate) fn consents_of(
    c: &mut DbConnection,
    backend: Backend,
    returnee_id: i64,
) -> Result<Vec<StoredConsent>, StoreError> {
    let mut q = Sql::new(backend);
    q.push(
        "SELECT id, purpose, partner_office_id, given_on, taken_by, withdrawn_on FROM consents \
         WHERE returnee_id = ",
    )
    .int(returnee_id)
    .push(" ORDER BY id");
    Ok(q.load::<ConsentRow>(c)?
        .into_iter()
        .filter_map(|r| {
            Some(StoredConsent {
                id: r.id,
                consent: Consent {
                    purpose: r.purpose.parse().ok()?,
                    partner_office: r.partner_office_id,
                    given_on: r.given_on.parse().ok()?,
                    taken_by: r.taken_by,
                    withdrawn_on: r.withdrawn_on.and_then(|w| w.parse().ok()),
                },
            })
        })
        .collect())
}

#[derive(QueryableByName)]
struct MemberRow {
    #[diesel(sql_type = BigInt)]
    id: i64,
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = Text)]
    relation: String,
    #[diesel(sql_type = Text)]
    sex: String,
    #[diesel(sql_type = Nullable<BigInt>)]
    birth_year: Option<i64>,
}

/// A household member with its row id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredMember {
    pub id: i64,
    pub member: HouseholdMember,
}

pub(crate) fn household_of(
    c: &mut DbConnection,
    backend: Backend,
    returnee_id: i64,
) -> Result<Vec<StoredMember>, StoreError> {
    let mut q = Sql::new(backend);
    q.push(
        "SELECT id, name, relation, sex, CAST(birth_year AS BIGINT) AS birth_year \
         FROM household_members WHERE returnee_id = ",
    )
    .int(returnee_id)
    .push(" ORDER BY id");
    Ok(q.load::<MemberRow>(c)?
        .into_iter()
        .filter_map(|r| {
            Some(StoredMember {
                id: r.id,
                member: HouseholdMember {
                    name: r.name,
                    relation: r.relation.parse().ok()?,
                    sex: r.sex.parse().ok()?,
                    birth_year: r.birth_year.and_then(|y| i32::try_from(y).ok()),
                },
            })
        })
        .collect())
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
            crate::case_log::check(c, backend, id, version)?;
            let from = case.stage();
            from.step(to, step_by(approver, &case))
                .map_err(|e| StoreError::conflict("stage", e.to_string()))?;
            case_log::edit(
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
            crate::case_log::check(c, backend, id, version)?;
            let from = case.stage();
            from.step(Stage::Closed, StepBy::Manager)
                .map_err(|e| StoreError::conflict("stage", e.to_string()))?;
            case_log::edit(
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
            crate::case_log::check(c, backend, id, version)?;
            case.stage()
                .step(Stage::Monitoring, StepBy::Manager)
                .map_err(|e| StoreError::conflict("stage", e.to_string()))?;
            case_log::edit(c, backend, id, version, actor, "reopened", why)?;
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

    /// Chooses the case's reintegration package and funding project, before the plan is
    /// approved.
    pub fn set_case_package(
        &self,
        auth: &Authorized<WriteCases>,
        actor: &Actor,
        id: i64,
        version: i64,
        package_id: Option<i64>,
        project_id: Option<i64>,
    ) -> Result<(), StoreError> {
        self.write(|c| {
            let backend = self.backend();
            let case = load_covered(c, backend, auth, id)?;
            crate::case_log::check(c, backend, id, version)?;
            open_case(&case)?;
            if matches!(case.plan_state.as_str(), "approved" | "requested") {
                return Err(StoreError::conflict(
                    "package",
                    "the plan is submitted or approved; the package can no longer change",
                ));
            }
            let package = match package_id {
                Some(p) => Some(crate::packages::package(c, backend, p)?.ok_or_else(|| {
                    StoreError::conflict("package", "choose an existing package")
                })?),
                None => None,
            };
            if let Some(p) = project_id {
                crate::packages::project_exists(c, backend, p)?;
            }
            let project_id = project_id.or(package.as_ref().and_then(|p| p.project_id));
            case_log::edit(
                c,
                backend,
                id,
                version,
                actor,
                "package",
                &package.as_ref().map(|p| p.name.clone()).unwrap_or_default(),
            )?;
            let mut q = Sql::new(backend);
            q.push("UPDATE cases SET package_id = ")
                .opt_int(package_id)
                .push(", project_id = ")
                .opt_int(project_id)
                .push(" WHERE id = ")
                .int(id);
            q.execute(c)?;
            append(
                c,
                backend,
                actor,
                Change::new(Action::Update, "case", id)
                    .before(json!({"package_id": case.package_id, "project_id": case.project_id}))
                    .after(json!({"package_id": package_id, "project_id": project_id})),
            )?;
            Ok(())
        })
    }

    /// Corrects the returnee's names, birth, nationality and details (and the sensitive
    /// part when the editor may see it; otherwise it is left as it is).
    pub fn update_returnee(
        &self,
        auth: &Authorized<WriteCases>,
        actor: &Actor,
        id: i64,
        version: i64,
        r: &Registration,
    ) -> Result<(), StoreError> {
        self.write(|c| {
            let backend = self.backend();
            let case = load_covered(c, backend, auth, id)?;
            crate::case_log::check(c, backend, id, version)?;
            case_log::edit(c, backend, id, version, actor, "details", "")?;
            let mut q = Sql::new(backend);
            q.push("UPDATE returnees SET given_name = ")
                .text(r.given_name.clone())
                .push(", family_name = ")
                .text(r.family_name.clone())
                .push(", sex = ")
                .text(r.sex.code())
                .push(", birth_date = ")
                .opt_text(r.birth_date.map(|d| d.to_string()))
                .push(", nationality = ")
                .text(r.nationality.as_str())
                .push(", birth_date_estimated = ")
                .bool(r.details.birth_date_estimated)
                .push(", languages = ")
                .text(r.details.languages.clone())
                .push(", phone = ")
                .text(r.details.phone.clone())
                .push(", email = ")
                .text(r.details.email.clone())
                .push(", return_country = ")
                .text(r.details.return_country.as_str())
                .push(", return_area = ")
                .text(r.details.return_area.clone())
                .push(", return_place = ")
                .text(r.details.return_place.clone());
            if case.sensitive.is_some() {
                q.push(", vulnerabilities = ")
                    .text(
                        r.sensitive
                            .vulnerabilities
                            .iter()
                            .map(|v| v.code())
                            .collect::<Vec<_>>()
                            .join(","),
                    )
                    .push(", health_notes = ")
                    .text(r.sensitive.health_notes.clone());
            }
            q.push(" WHERE id = ").int(case.returnee_id);
            q.execute(c)?;
            crate::names::index_returnee(c, backend, case.returnee_id)?;
            append(
                c,
                backend,
                actor,
                Change::new(Action::Update, "returnee", case.returnee_id)
                    .before(
                        json!({"given_name": case.given_name, "family_name": case.family_name,
                        "phone": case.details.phone, "return_place": case.details.return_place}),
                    )
                    .after(
                        json!({"given_name": r.given_name, "family_name": r.family_name,
                        "phone": r.details.phone, "return_place": r.details.return_place,
                        "sensitive_changed": case.sensitive.is_some()}),
                    ),
            )?;
            Ok(())
        })
    }

    /// Adds a member to the returnee's household.
    pub fn add_household_member(
        &self,
        auth: &Authorized<WriteCases>,
        actor: &Actor,
        id: i64,
        m: &HouseholdMember,
    ) -> Result<i64, StoreError> {
        self.write(|c| {
            let backend = self.backend();
            let case = load_covered(c, backend, auth, id)?;
            let mut q = Sql::new(backend);
            q.push(
                "INSERT INTO household_members (returnee_id, name, relation, sex, birth_year, \
                 created_at) VALUES (",
            )
            .int(case.returnee_id)
            .push(", ")
            .text(m.name.clone())
            .push(", ")
            .text(m.relation.code())
            .push(", ")
            .text(m.sex.code())
            .push(", ")
            .opt_int(m.birth_year.map(i64::from))
            .push(", ")
            .text(crate::utc_now())
            .push(") RETURNING id");
            let member = q.insert_id(c)?;
            case_log::note(c, backend, id, actor, "household_added", m.relation.code())?;
            append(
                c,
                backend,
                actor,
                Change::new(Action::Create, "household_member", member).after(
                    json!({"returnee_id": case.returnee_id, "name": m.name, "relation": m.relation.code()}),
                ),
            )?;
            Ok(member)
        })
    }

    /// Removes a household member entered by mistake.
    pub fn remove_household_member(
        &self,
        auth: &Authorized<WriteCases>,
        actor: &Actor,
        id: i64,
        member_id: i64,
    ) -> Result<(), StoreError> {
        self.write(|c| {
            let backend = self.backend();
            let case = load_covered(c, backend, auth, id)?;
            let mut q = Sql::new(backend);
            q.push("DELETE FROM household_members WHERE id = ")
                .int(member_id)
                .push(" AND returnee_id = ")
                .int(case.returnee_id);
            if q.execute(c)? == 0 {
                return Err(StoreError::NotFound(format!(
                    "household member {member_id}"
                )));
            }
            case_log::note(c, backend, id, actor, "household_removed", "")?;
            append(
                c,
                backend,
                actor,
                Change::new(Action::Delete, "household_member", member_id)
                    .before(json!({"returnee_id": case.returnee_id})),
            )?;
            Ok(())
        })
    }

    /// Records a consent the returnee gave on `on` (for sharing: naming the partner).
    pub fn record_consent(
        &self,
        auth: &Authorized<WriteCases>,
        actor: &Actor,
        id: i64,
        purpose: Purpose,
        partner: Option<i64>,
        on: Ymd,
    ) -> Result<i64, StoreError> {
        if on > crate::today() {
            return Err(StoreError::conflict("given_on", "is in the future"));
        }
        let partner = if purpose == Purpose::SharePartner {
            Some(partner.ok_or_else(|| {
                StoreError::conflict("partner", "name the partner the data may be shared with")
            })?)
        } else {
            None
        };
        self.write(|c| {
            let backend = self.backend();
            let case = load_covered(c, backend, auth, id)?;
            if let Some(p) = partner {
                crate::offices::find(c, backend, p, "partner")?;
            }
            let mut q = Sql::new(backend);
            q.push(
                "INSERT INTO consents (returnee_id, purpose, partner_office_id, given_on, \
                 taken_by, created_at) VALUES (",
            )
            .int(case.returnee_id)
            .push(", ")
            .text(purpose.code())
            .push(", ")
            .opt_int(partner)
            .push(", ")
            .text(on.to_string())
            .push(", ")
            .int(auth.principal().user_id())
            .push(", ")
            .text(crate::utc_now())
            .push(") RETURNING id");
            let cid = q.insert_id(c)?;
            case_log::note(c, backend, id, actor, "consent_given", purpose.code())?;
            append(
                c,
                backend,
                actor,
                Change::new(Action::Create, "consent", cid).after(json!({
                    "returnee_id": case.returnee_id, "purpose": purpose.code(),
                    "partner_office_id": partner, "given_on": on.to_string(),
                })),
            )?;
            Ok(cid)
        })
    }

    /// Withdraws a consent from `on`. Withdrawing consent to share with a partner ends
    /// that partner's sight of the case at once.
    pub fn withdraw_consent(
        &self,
        auth: &Authorized<WriteCases>,
        actor: &Actor,
        id: i64,
        consent_id: i64,
        on: Ymd,
    ) -> Result<(), StoreError> {
        self.write(|c| {
            let backend = self.backend();
            let case = load_covered(c, backend, auth, id)?;
            let consent = consents_of(c, backend, case.returnee_id)?
                .into_iter()
                .find(|k| k.id == consent_id && k.consent.withdrawn_on.is_none())
                .ok_or_else(|| StoreError::NotFound(format!("consent {consent_id}")))?;
            let mut q = Sql::new(backend);
            q.push("UPDATE consents SET withdrawn_on = ")
                .text(on.to_string())
                .push(", withdrawn_by = ")
                .int(auth.principal().user_id())
                .push(" WHERE id = ")
                .int(consent_id);
            q.execute(c)?;
            if let Some(partner) = consent.consent.partner_office {
                let mut d = Sql::new(backend);
                d.push("DELETE FROM case_shares WHERE kind = 'referral' AND office_id = ")
                    .int(partner)
                    .push(" AND case_id IN (SELECT id FROM cases WHERE returnee_id = ")
                    .int(case.returnee_id)
                    .push(")");
                d.execute(c)?;
            }
            case_log::note(
                c,
                backend,
                id,
                actor,
                "consent_withdrawn",
                consent.consent.purpose.code(),
            )?;
            append(
                c,
                backend,
                actor,
                Change::new(Action::Update, "consent", consent_id)
                    .before(json!({"withdrawn_on": null}))
                    .after(json!({"withdrawn_on": on.to_string()})),
            )?;
            Ok(())
        })
    }
}
