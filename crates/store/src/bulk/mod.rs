//! Loading many generated returnees and their cases at once, for demo data and benchmarks
//! at a million returnees: multi-row inserts, one transaction per call, with the name keys,
//! shares, tasks, timeline and surveys each case would have had, and one audit entry per
//! call.

pub mod plans;
pub mod surveys;

use crate::audit::{Change, append};
use crate::db::sql::Sql;
use crate::db::sql::insert_rows;
use crate::{Actor, Backend, DbConnection, Store, StoreError};
use diesel::QueryableByName;
use diesel::sql_types::BigInt;
use homeward_domain::CountryCode;
use homeward_domain::audit::Action;
use homeward_domain::case::{Sex, Vulnerability};
use homeward_domain::date::Ymd;
use homeward_domain::names;
use homeward_domain::reintegration::stage::{ClosureReason, Stage};
use serde_json::json;

/// A task of a generated case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BulkTask {
    pub rule_key: &'static str,
    pub title: &'static str,
    pub due_on: Ymd,
    pub done_on: Option<Ymd>,
}

/// One step of a generated case's timeline; a `registered` step's detail is the case
/// number, filled in when it is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BulkEvent {
    pub on: Ymd,
    pub kind: &'static str,
    pub detail: String,
}

/// A returnee with their case, as a generator made them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BulkCase {
    pub given_name: String,
    pub family_name: String,
    pub sex: Sex,
    pub birth_date: Option<Ymd>,
    pub nationality: CountryCode,
    pub vulnerabilities: Vec<Vulnerability>,
    pub languages: String,
    pub return_area: String,
    pub return_place: String,
    pub host_office: i64,
    pub origin_office: i64,
    pub owning_office: i64,
    pub assigned_user: Option<i64>,
    pub stage: Stage,
    pub package: Option<i64>,
    pub project: Option<i64>,
    pub registered_on: Ymd,
    pub counselled_on: Option<Ymd>,
    pub departed_on: Option<Ymd>,
    pub arrived_on: Option<Ymd>,
    pub plan_agreed_on: Option<Ymd>,
    pub plan_state: &'static str,
    pub closed: Option<(Ymd, ClosureReason)>,
    pub tasks: Vec<BulkTask>,
    pub events: Vec<BulkEvent>,
    /// Well-being surveys, oldest first, taken by the assigned caseworker with the
    /// returnee's consent (written with it); answers for the current instrument.
    pub surveys: Vec<surveys::BulkSurvey>,
    /// The plan's items with what was paid against them.
    pub plan: Vec<plans::BulkItem>,
}

#[derive(QueryableByName)]
struct Max {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

fn max_id(c: &mut DbConnection, backend: Backend, table: &str) -> Result<i64, StoreError> {
    let mut q = Sql::new(backend);
    q.push("SELECT COALESCE(MAX(id), 0) AS n FROM ").push(table);
    Ok(q.load::<Max>(c)?.first().map(|m| m.n).unwrap_or(0))
}

fn stamp(d: Ymd) -> String {
    format!("{d}T09:00:00Z")
}

fn opt_day(d: Option<Ymd>) -> Option<String> {
    d.map(|d| d.to_string())
}

impl Store {
    /// Brings the planner's statistics up to date after a bulk load, as after a restore:
    /// until then a database that grew from nothing to a million rows in minutes is
    /// planned as if it were empty.
    pub fn refresh_statistics(&self) -> Result<(), StoreError> {
        let mut c = self.conn()?;
        let mut q = Sql::new(self.backend());
        // On PostgreSQL, VACUUM also marks the new pages all-visible, so name-key lookups
        // are index-only instead of visiting a heap page per key (180 ms → 15 ms).
        q.push(match self.backend() {
            Backend::Postgres => "VACUUM ANALYZE",
            Backend::Sqlite => "ANALYZE",
        });
        q.execute(&mut c)?;
        Ok(())
    }

    /// Writes generated cases in one transaction and gives the id of the first; the
    /// others follow in order. For the command line only (demo data, benchmarks).
    pub fn add_cases_in_bulk(&self, actor: &Actor, cases: &[BulkCase]) -> Result<i64, StoreError> {
        let backend = self.backend();
        self.write(|c| {
            if backend == Backend::Postgres {
                // Ids are chosen here, so no registration may take one meanwhile.
                let mut lock = Sql::new(backend);
                lock.push("LOCK TABLE returnees, cases, surveys, plan_items IN EXCLUSIVE MODE");
                lock.execute(c)?;
                // As `pg_restore --disable-triggers` does, when the role may: the rows are
                // consistent by construction, and checking each reference one by one
                // takes three quarters of the time.
                let mut may = Sql::new(backend);
                may.push(
                    "SELECT COUNT(*) AS n FROM pg_roles WHERE rolname = current_user AND rolsuper",
                );
                if may.load::<Max>(c)?.first().is_some_and(|m| m.n > 0) {
                    let mut off = Sql::new(backend);
                    off.push("SET LOCAL session_replication_role = replica");
                    off.execute(c)?;
                }
            }
            let first_returnee = max_id(c, backend, "returnees")? + 1;
            let first_case = max_id(c, backend, "cases")? + 1;
            let first_survey = max_id(c, backend, "surveys")? + 1;
            let first_item = max_id(c, backend, "plan_items")? + 1;
            let ids = || {
                cases
                    .iter()
                    .enumerate()
                    .map(|(i, k)| (first_returnee + i as i64, first_case + i as i64, k))
            };
            insert_rows(
                c,
                backend,
                "INSERT INTO returnees (id, given_name, family_name, sex, birth_date, \
                 nationality, vulnerabilities, health_notes, created_at, languages, \
                 return_country, return_area, return_place, keys_version, area_key, \
                 place_key)",
                16,
                ids(),
                |q, (r, _, k)| {
                    let codes: Vec<&str> = k.vulnerabilities.iter().map(|v| v.code()).collect();
                    q.int(r)
                        .push(", ")
                        .text(k.given_name.clone())
                        .push(", ")
                        .text(k.family_name.clone())
                        .push(", ")
                        .text(k.sex.code())
                        .push(", ")
                        .opt_text(opt_day(k.birth_date))
                        .push(", ")
                        .text(k.nationality.as_str())
                        .push(", ")
                        .text(codes.join(","))
                        .push(", '', ")
                        .text(stamp(k.registered_on))
                        .push(", ")
                        .text(k.languages.clone())
                        .push(", ")
                        .text(k.nationality.as_str())
                        .push(", ")
                        .text(k.return_area.clone())
                        .push(", ")
                        .text(k.return_place.clone())
                        .push(", ")
                        .int(crate::cases::names::KEYS_VERSION)
                        .push(", ")
                        .text(names::fold(&k.return_area))
                        .push(", ")
                        .text(names::fold(&k.return_place));
                },
            )?;
            insert_rows(
                c,
                backend,
                "INSERT INTO cases (id, reference, returnee_id, host_office_id, \
                 origin_office_id, owning_office_id, assigned_user_id, status, created_at, \
                 updated_at, package_id, project_id, version, counselled_on, departed_on, \
                 arrived_on, plan_agreed_on, closed_on, closure_reason, plan_state)",
                20,
                ids(),
                |q, (r, id, k)| {
                    let last = k.events.last().map(|e| e.on).unwrap_or(k.registered_on);
                    q.int(id)
                        .push(", ")
                        .text(format!("HW-{id:06}"))
                        .push(", ")
                        .int(r)
                        .push(", ")
                        .int(k.host_office)
                        .push(", ")
                        .int(k.origin_office)
                        .push(", ")
                        .int(k.owning_office)
                        .push(", ")
                        .opt_int(k.assigned_user)
                        .push(", ")
                        .text(k.stage.code())
                        .push(", ")
                        .text(stamp(k.registered_on))
                        .push(", ")
                        .text(stamp(last))
                        .push(", ")
                        .opt_int(k.package)
                        .push(", ")
                        .opt_int(k.project)
                        .push(", ")
                        .int(k.events.len().max(1) as i64)
                        .push(", ")
                        .opt_text(opt_day(k.counselled_on))
                        .push(", ")
                        .opt_text(opt_day(k.departed_on))
                        .push(", ")
                        .opt_text(opt_day(k.arrived_on))
                        .push(", ")
                        .opt_text(opt_day(k.plan_agreed_on))
                        .push(", ")
                        .opt_text(opt_day(k.closed.map(|(d, _)| d)))
                        .push(", ")
                        .opt_text(k.closed.map(|(_, r)| r.code().to_owned()))
                        .push(", ")
                        .text(k.plan_state);
                },
            )?;
            let people: Vec<(i64, Vec<String>)> = ids()
                .map(|(r, _, k)| (r, names::name_words(&k.given_name, &k.family_name)))
                .collect();
            crate::cases::names::index_names(c, backend, &people)?;
            insert_rows(
                c,
                backend,
                "INSERT INTO returnee_vulnerabilities (code, returnee_id)",
                2,
                ids().flat_map(|(r, _, k)| {
                    let mut vs: Vec<&'static str> =
                        k.vulnerabilities.iter().map(|v| v.code()).collect();
                    vs.sort_unstable();
                    vs.dedup();
                    vs.into_iter().map(move |v| (v, r))
                }),
                |q, (v, r)| {
                    q.text(v).push(", ").int(r);
                },
            )?;
            insert_rows(
                c,
                backend,
                "INSERT INTO case_shares (case_id, office_id, kind, created_at)",
                4,
                ids()
                    .filter(|(_, _, k)| k.owning_office != k.host_office)
                    .map(|(_, id, k)| (id, k.host_office, k.departed_on.or(k.counselled_on))),
                |q, (id, office, on)| {
                    q.int(id)
                        .push(", ")
                        .int(office)
                        .push(", 'handover', ")
                        .text(on.map(stamp).unwrap_or_else(crate::utc_now));
                },
            )?;
            insert_rows(
                c,
                backend,
                "INSERT INTO tasks (case_id, rule_key, title, due_on, done_on, done_by, \
                 created_at)",
                7,
                ids().flat_map(|(_, id, k)| {
                    k.tasks
                        .iter()
                        .map(move |t| (id, k.assigned_user, t, k.arrived_on))
                }),
                |q, (id, user, t, arrived)| {
                    q.int(id)
                        .push(", ")
                        .text(t.rule_key)
                        .push(", ")
                        .text(t.title)
                        .push(", ")
                        .text(t.due_on.to_string())
                        .push(", ")
                        .opt_text(opt_day(t.done_on))
                        .push(", ")
                        .opt_int(t.done_on.and(user))
                        .push(", ")
                        .text(stamp(arrived.unwrap_or(t.due_on)));
                },
            )?;
            insert_rows(
                c,
                backend,
                "INSERT INTO case_events (case_id, version, at, user_id, kind, detail)",
                6,
                ids().flat_map(|(_, id, k)| {
                    k.events
                        .iter()
                        .enumerate()
                        .map(move |(v, e)| (id, v as i64 + 1, e))
                }),
                |q, (id, version, e)| {
                    q.int(id)
                        .push(", ")
                        .int(version)
                        .push(", ")
                        .text(stamp(e.on))
                        .push(", NULL, ")
                        .text(e.kind)
                        .push(", ")
                        .text(if e.kind == "registered" {
                            format!("HW-{id:06}")
                        } else {
                            e.detail.clone()
                        });
                },
            )?;
            let surveyed: Vec<crate::bulk::surveys::CaseSurveys> = ids()
                .filter_map(|(r, id, k)| {
                    Some(crate::bulk::surveys::CaseSurveys {
                        case_id: id,
                        returnee_id: r,
                        taken_by: k.assigned_user?,
                        surveys: &k.surveys,
                    })
                })
                .collect();
            crate::bulk::surveys::write_surveys(c, backend, first_survey, &surveyed)?;
            let plans: Vec<crate::bulk::plans::CasePlan> = ids()
                .filter(|(_, _, k)| !k.plan.is_empty())
                .map(|(_, id, k)| crate::bulk::plans::CasePlan {
                    case_id: id,
                    project: k.project,
                    paid_by: k.assigned_user,
                    items: &k.plan,
                })
                .collect();
            crate::bulk::plans::write_plans(c, backend, first_item, &plans)?;
            if backend == Backend::Postgres {
                let mut seq = Sql::new(backend);
                seq.push(
                    "SELECT setval(pg_get_serial_sequence('returnees', 'id'), \
                     (SELECT MAX(id) FROM returnees)), \
                     setval(pg_get_serial_sequence('cases', 'id'), (SELECT MAX(id) FROM cases)), \
                     setval(pg_get_serial_sequence('plan_items', 'id'), \
                     GREATEST((SELECT MAX(id) FROM plan_items), 1))",
                );
                seq.execute(c)?;
                // With triggers off (above), the dashboards learn of the new cases here.
                let mut noted = Sql::new(backend);
                noted
                    .push("SELECT note_case_changes(ARRAY(SELECT id FROM cases WHERE id >= ")
                    .int(first_case)
                    .push("))");
                noted.execute(c)?;
            }
            if !cases.is_empty() {
                append(
                    c,
                    backend,
                    actor,
                    Change::new(Action::Create, "case", "").after(json!({
                        "generated": cases.len(),
                        "first_case": first_case,
                        "last_case": first_case + cases.len() as i64 - 1,
                    })),
                )?;
            }
            Ok(first_case)
        })
    }
}
