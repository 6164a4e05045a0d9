//! Running retention: the cases past their term, listed (a dry run) or anonymised, by
//! `homeward retention run` or once a day inside `serve`, where the first server to claim
//! the day does it and the others do nothing.

use super::anonymise::{Search, Why, anonymise_returnee, redact_values};
use super::{TERM_SELECT, TermRow, all_due, cases_of_returnees};
use crate::db::sql::Sql;
use crate::{Actor, Backend, Store, StoreError};
use diesel::QueryableByName;
use diesel::sql_types::BigInt;
use homeward_domain::date::Ymd;
use homeward_domain::retention::Standing;
use std::collections::BTreeMap;

/// A case past its term.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DueCase {
    pub reference: String,
    pub office: String,
    pub closed_on: String,
    pub last_day: Ymd,
}

/// What a run did, or (dry) would do.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    /// Anonymised, or to be anonymised.
    pub cases: Vec<DueCase>,
    /// Past their term but kept while the same returnee has a case that is not (a newer
    /// return, or one held).
    pub waiting: Vec<DueCase>,
}

#[derive(QueryableByName)]
struct Checkpoint {
    #[diesel(sql_type = BigInt)]
    busy: i64,
}

impl Store {
    /// Lists (`dry`) or anonymises every record whose cases are all past their term on
    /// `today`. Each returnee is anonymised in a transaction of its own; a second run at
    /// the same time finds nothing left to do.
    pub fn retention_run(
        &self,
        actor: &Actor,
        today: Ymd,
        dry: bool,
    ) -> Result<Report, StoreError> {
        let backend = self.backend();
        // Entries still waiting to be chained are redacted with the rest once sealed.
        self.seal_audit()?;
        let mut q = Sql::new(backend);
        q.push(TERM_SELECT)
            .push(
                " WHERE c.anonymised_on IS NULL AND c.held_reason IS NULL \
                 AND c.closed_on IS NOT NULL AND c.closed_on < ",
            )
            .text(Ymd::from_days(today.to_days() - 364).to_string())
            .push(" ORDER BY c.closed_on, c.id");
        let candidates = self.read(|c| Ok(q.clone().load::<TermRow>(c)?))?;
        let mut by_returnee: BTreeMap<i64, Vec<DueCase>> = BTreeMap::new();
        for r in candidates {
            if let (Standing::Due { .. }, Some(last_day)) =
                (r.standing(today), r.facts().last_day())
            {
                by_returnee.entry(r.returnee_id).or_default().push(DueCase {
                    reference: r.reference,
                    office: r.office,
                    closed_on: r.closed_on.unwrap_or_default(),
                    last_day,
                });
            }
        }
        let mut report = Report::default();
        let mut removed: Vec<String> = vec![];
        let ids: Vec<i64> = by_returnee.keys().copied().collect();
        for chunk in ids.chunks(500) {
            let all = self.read(|c| cases_of_returnees(c, backend, chunk))?;
            let mut of: BTreeMap<i64, Vec<TermRow>> = BTreeMap::new();
            for r in all {
                of.entry(r.returnee_id).or_default().push(r);
            }
            for id in chunk {
                let due = by_returnee.remove(id).unwrap_or_default();
                if !of.get(id).is_some_and(|cases| all_due(cases, today)) {
                    report.waiting.extend(due);
                    continue;
                }
                if dry {
                    report.cases.extend(due);
                    continue;
                }
                let done = self.write(|c| {
                    anonymise_returnee(c, backend, actor, *id, today, Why::Retention, Search::Later)
                })?;
                removed.extend(done.values);
                report.cases.extend(
                    due.into_iter()
                        .filter(|d| done.references.contains(&d.reference)),
                );
            }
        }
        if !dry && !report.cases.is_empty() {
            // Entries naming what went, outside the people's own records: one pass over
            // the trail for the whole run.
            removed.sort();
            removed.dedup();
            redact_values(self, &removed)?;
            self.settle_removed();
        }
        Ok(report)
    }

    /// The run inside `serve`: claims `today` for this server and runs, or returns None
    /// when another server (or an earlier start) already claimed it.
    pub fn retention_daily(
        &self,
        actor: &Actor,
        today: Ymd,
        who: &str,
    ) -> Result<Option<Report>, StoreError> {
        let backend = self.backend();
        let mut claim = Sql::new(backend);
        claim
            .push("INSERT INTO retention_runs (day, started_at, by_whom) VALUES (")
            .text(today.to_string())
            .push(", ")
            .text(crate::utc_now())
            .push(", ")
            .text(who)
            .push(") ON CONFLICT (day) DO NOTHING");
        if self.write(|c| Ok(claim.clone().execute(c)?))? == 0 {
            return Ok(None);
        }
        let report = self.retention_run(actor, today, false)?;
        let mut done = Sql::new(backend);
        done.push("UPDATE retention_runs SET finished_at = ")
            .text(crate::utc_now())
            .push(", anonymised = ")
            .int(report.cases.len() as i64)
            .push(" WHERE day = ")
            .text(today.to_string());
        self.write(|c| Ok(done.clone().execute(c)?))?;
        Ok(Some(report))
    }

    /// After removals, makes the removed bytes go from the files too: SQLite copies its
    /// write-ahead log into the database (whose freed space it zeroes, `secure_delete`)
    /// and empties the log; PostgreSQL vacuums the tables touched. Best effort: a
    /// reader holding the log open only delays it to the next checkpoint.
    fn settle_removed(&self) {
        let result = match self.backend() {
            Backend::Sqlite => self.read(|c| {
                let mut q = Sql::new(Backend::Sqlite);
                q.push("PRAGMA wal_checkpoint(TRUNCATE)");
                Ok(q.load::<Checkpoint>(c)?.first().map(|r| r.busy))
            }),
            Backend::Postgres => self.read(|c| {
                let mut q = Sql::new(Backend::Postgres);
                q.push(
                    "VACUUM returnees, household_members, case_notes, follow_ups, \
                     disbursements, plan_items, referrals, case_events, notifications, tasks, \
                     cases, case_documents, receipts, name_words, name_word_keys, \
                     returnee_words, returnee_word_pairs, saved_searches, audit_events, \
                     audit_pending",
                );
                q.execute(c)?;
                Ok(None)
            }),
        };
        match result {
            Ok(Some(busy)) if busy != 0 => {
                tracing::info!(
                    "the database log is in use; removed values leave it at the next checkpoint"
                )
            }
            Ok(_) => {}
            Err(e) => tracing::warn!("removed values not yet cleared from the database files: {e}"),
        }
    }
}
