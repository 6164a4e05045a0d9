//! What an administrator sets and reads: each office's term, a case's own term or hold
//! (each with its reason), and the schedule of what is due, coming and held.

use super::{TERM_SELECT, TermRow};
use crate::audit::{Change, append};
use crate::cases::log;
use crate::db::sql::Sql;
use crate::{Actor, Store, StoreError};
use diesel::QueryableByName;
use diesel::sql_types::{BigInt, Nullable, Text};
use homeward_domain::access::{Authorized, ManageRetention};
use homeward_domain::audit::Action;
use homeward_domain::date::Ymd;
use homeward_domain::retention::{Reason, Standing, Years};
use serde_json::json;

/// An office's term.
#[derive(QueryableByName, Debug, Clone, PartialEq, Eq)]
pub struct OfficeTerm {
    #[diesel(sql_type = BigInt)]
    pub id: i64,
    #[diesel(sql_type = Text)]
    pub name: String,
    #[diesel(sql_type = Text)]
    pub country: String,
    #[diesel(sql_type = BigInt)]
    pub years: i64,
    /// Closed cases it keeps that are not anonymised.
    #[diesel(sql_type = BigInt)]
    pub closed_kept: i64,
}

/// One case on the schedule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scheduled {
    pub case_id: i64,
    pub reference: String,
    pub office: String,
    pub closed_on: Option<String>,
    /// The last day it is kept (none while open).
    pub last_day: Option<Ymd>,
    pub standing: Standing,
    /// The case's own term and why, when it has one.
    pub own_term: Option<(i64, String)>,
    pub held_reason: Option<String>,
}

impl Scheduled {
    fn of(r: TermRow, today: Ymd) -> Scheduled {
        let facts = r.facts();
        Scheduled {
            case_id: r.id,
            reference: r.reference,
            office: r.office,
            closed_on: r.closed_on,
            last_day: facts.last_day(),
            standing: facts.standing(today),
            own_term: r.case_years.map(|y| (y, r.retention_reason)),
            held_reason: r.held_reason,
        }
    }
}

/// A daily run as recorded.
#[derive(QueryableByName, Debug, Clone, PartialEq, Eq)]
pub struct RunRecord {
    #[diesel(sql_type = Text)]
    pub day: String,
    #[diesel(sql_type = Text)]
    pub started_at: String,
    #[diesel(sql_type = Nullable<Text>)]
    pub finished_at: Option<String>,
    #[diesel(sql_type = BigInt)]
    pub anonymised: i64,
    #[diesel(sql_type = Text)]
    pub by_whom: String,
}

/// What the administrator's page shows.
#[derive(Debug, Clone, Default)]
pub struct Schedule {
    pub offices: Vec<OfficeTerm>,
    /// Past their term: anonymised at the next run (some may wait for a returnee's other,
    /// newer case).
    pub due: Vec<Scheduled>,
    /// Their term ends within [`COMING_DAYS`].
    pub coming: Vec<Scheduled>,
    pub held: Vec<Scheduled>,
    /// Cases with a term of their own.
    pub own_terms: Vec<Scheduled>,
    pub runs: Vec<RunRecord>,
}

/// How far ahead the schedule looks.
pub const COMING_DAYS: i64 = 90;
/// The most cases each list of the schedule shows.
const LISTED: usize = 200;

impl Store {
    /// Offices, their terms and what is due, coming and held on `today`.
    pub fn retention_schedule(
        &self,
        _auth: &Authorized<ManageRetention>,
        today: Ymd,
    ) -> Result<Schedule, StoreError> {
        let backend = self.backend();
        self.read(|c| {
            let mut o = Sql::new(backend);
            o.push(
                "SELECT o.id, o.name, o.country, CAST(o.retention_years AS BIGINT) AS years, \
                 (SELECT COUNT(*) FROM cases c WHERE c.owning_office_id = o.id \
                 AND c.closed_on IS NOT NULL AND c.anonymised_on IS NULL) AS closed_kept \
                 FROM offices o ORDER BY o.name",
            );
            let offices = o.load::<OfficeTerm>(c)?;
            // The shortest term is a year: nothing closed within the last year can be
            // due, though a hold or a term of its own can stand on any case.
            let horizon = Ymd::from_days(today.to_days() + COMING_DAYS);
            let mut q = Sql::new(backend);
            q.push(TERM_SELECT).push(
                " WHERE c.anonymised_on IS NULL AND (c.held_reason IS NOT NULL \
                 OR c.retention_years IS NOT NULL OR (c.closed_on IS NOT NULL AND c.closed_on <= ",
            );
            q.text(Ymd::from_days(horizon.to_days() - 365).to_string())
                .push(")) ORDER BY c.closed_on, c.id");
            let mut s = Schedule {
                offices,
                ..Default::default()
            };
            for r in q.load::<TermRow>(c)? {
                let own = r.case_years.is_some();
                let item = Scheduled::of(r, today);
                if own && s.own_terms.len() < LISTED {
                    s.own_terms.push(item.clone());
                }
                let list = match item.standing {
                    Standing::Due { .. } => &mut s.due,
                    Standing::Held { .. } => &mut s.held,
                    Standing::KeptUntil(l) if l <= horizon => &mut s.coming,
                    _ => continue,
                };
                if list.len() < LISTED {
                    list.push(item);
                }
            }
            let mut r = Sql::new(backend);
            r.push(
                "SELECT day, started_at, finished_at, anonymised, by_whom FROM retention_runs \
                 ORDER BY day DESC LIMIT 14",
            );
            s.runs = r.load::<RunRecord>(c)?;
            Ok(s)
        })
    }

    /// Sets how many years after closure an office keeps its cases.
    pub fn set_office_retention(
        &self,
        _auth: &Authorized<ManageRetention>,
        actor: &Actor,
        office_id: i64,
        years: Years,
    ) -> Result<(), StoreError> {
        let backend = self.backend();
        self.write(|c| {
            crate::access::offices::find(c, backend, office_id, "office")?;
            let mut q = Sql::new(backend);
            q.push("SELECT CAST(retention_years AS BIGINT) AS n FROM offices WHERE id = ")
                .int(office_id);
            let before = q.number(c)?;
            let mut u = Sql::new(backend);
            u.push("UPDATE offices SET retention_years = ")
                .int(i64::from(years.get()))
                .push(" WHERE id = ")
                .int(office_id);
            u.execute(c)?;
            append(
                c,
                backend,
                actor,
                Change::new(Action::Update, "office", office_id)
                    .before(json!({"retention_years": before}))
                    .after(json!({"retention_years": years.get()})),
            )
        })
    }

    /// Gives a case a term of its own with the reason, or (None) returns it to its
    /// office's term.
    pub fn set_case_retention(
        &self,
        _auth: &Authorized<ManageRetention>,
        actor: &Actor,
        reference: &str,
        term: Option<(Years, Reason)>,
    ) -> Result<i64, StoreError> {
        let backend = self.backend();
        self.write(|c| {
            let id = case_id(c, backend, reference)?;
            let mut u = Sql::new(backend);
            match &term {
                Some((y, why)) => u
                    .push("UPDATE cases SET retention_years = ")
                    .int(i64::from(y.get()))
                    .push(", retention_reason = ")
                    .text(why.as_str()),
                None => u.push("UPDATE cases SET retention_years = NULL, retention_reason = ''"),
            };
            u.push(" WHERE id = ").int(id);
            u.execute(c)?;
            let detail = term
                .as_ref()
                .map(|(y, _)| y.to_string())
                .unwrap_or_default();
            log::note(c, backend, id, actor, "retention_term", &detail)?;
            append(
                c,
                backend,
                actor,
                Change::new(Action::Update, "case", id).after(json!({
                    "retention_years": term.as_ref().map(|(y, _)| y.get()),
                    "retention_reason": term.as_ref().map(|(_, r)| r.as_str()),
                })),
            )?;
            Ok(id)
        })
    }

    /// Holds a case with the reason (kept whatever its term while the hold stands), or
    /// (None) releases it.
    pub fn hold_case(
        &self,
        auth: &Authorized<ManageRetention>,
        actor: &Actor,
        reference: &str,
        hold: Option<Reason>,
    ) -> Result<i64, StoreError> {
        let backend = self.backend();
        self.write(|c| {
            let id = case_id(c, backend, reference)?;
            let mut u = Sql::new(backend);
            match &hold {
                Some(why) => u
                    .push("UPDATE cases SET held_reason = ")
                    .text(why.as_str())
                    .push(", held_by = ")
                    .int(auth.principal().user_id())
                    .push(", held_at = ")
                    .text(crate::utc_now()),
                None => {
                    u.push("UPDATE cases SET held_reason = NULL, held_by = NULL, held_at = NULL")
                }
            };
            u.push(" WHERE id = ").int(id);
            u.execute(c)?;
            let kind = if hold.is_some() {
                "retention_held"
            } else {
                "retention_released"
            };
            log::note(c, backend, id, actor, kind, "")?;
            append(
                c,
                backend,
                actor,
                Change::new(Action::Update, "case", id)
                    .after(json!({"held_reason": hold.as_ref().map(Reason::as_str)})),
            )?;
            Ok(id)
        })
    }
}

/// A case by its reference, not yet anonymised.
fn case_id(
    c: &mut crate::DbConnection,
    backend: crate::Backend,
    reference: &str,
) -> Result<i64, StoreError> {
    let mut q = Sql::new(backend);
    q.push(TERM_SELECT)
        .push(" WHERE c.reference = ")
        .text(reference.trim().to_uppercase());
    let row = q
        .load::<TermRow>(c)?
        .into_iter()
        .next()
        .ok_or_else(|| StoreError::conflict("case", format!("no case {}", reference.trim())))?;
    if row.anonymised_on.is_some() {
        return Err(StoreError::conflict(
            "case",
            format!(
                "{} was anonymised on {}",
                row.reference,
                row.anonymised_on.unwrap_or_default()
            ),
        ));
    }
    Ok(row.id)
}
