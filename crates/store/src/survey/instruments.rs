//! Survey instruments as stored: each version's definition (the JSON of its file), which
//! version is current (the latest adopted), and re-scoring every survey when a version is
//! adopted, keeping the scores of the versions before it.

use super::{instrument_by_id, read_answers, write_scores};
use crate::audit::{Change, append};
use crate::db::sql::Sql;
use crate::survey::Definition;
use crate::survey::StoredAnswers;
use crate::survey::current;
use crate::{Actor, Backend, DbConnection, Store, StoreError};
use diesel::QueryableByName;
use diesel::sql_types::{BigInt, Nullable, Text};
use homeward_domain::access::{Authorized, ManageInstruments};
use homeward_domain::audit::Action;
use homeward_domain::survey::{Answers, Instrument};
use serde_json::json;

/// A stored version, as the instruments page lists it.
#[derive(Debug, Clone, PartialEq, Eq, QueryableByName)]
pub struct InstrumentRow {
    #[diesel(sql_type = BigInt)]
    pub id: i64,
    #[diesel(sql_type = Text)]
    pub code: String,
    #[diesel(sql_type = BigInt)]
    pub version: i64,
    #[diesel(sql_type = Text)]
    pub title: String,
    #[diesel(sql_type = Nullable<Text>)]
    pub adopted_at: Option<String>,
    #[diesel(sql_type = Text)]
    pub created_at: String,
    /// Surveys taken with this version.
    #[diesel(sql_type = BigInt)]
    pub surveys: i64,
    /// Surveys scored by this version (all of them once it was adopted).
    #[diesel(sql_type = BigInt)]
    pub scored: i64,
}

const ROWS: &str = "SELECT i.id, i.code, CAST(i.version AS BIGINT) AS version, i.title, \
    i.adopted_at, i.created_at, \
    (SELECT COUNT(*) FROM surveys s WHERE s.instrument_id = i.id) AS surveys, \
    (SELECT COUNT(*) FROM survey_scores sc WHERE sc.instrument_id = i.id) AS scored \
    FROM survey_instruments i";

/// Surveys re-scored per transaction when a version is adopted.
const RESCORE_BATCH: i64 = 2_000;

impl Store {
    /// Every stored version, newest first.
    pub fn instruments(&self) -> Result<Vec<InstrumentRow>, StoreError> {
        self.read(|c| {
            let mut q = Sql::new(self.backend());
            q.push(ROWS).push(" ORDER BY i.code, i.version DESC");
            Ok(q.load(c)?)
        })
    }

    /// One version with its definition.
    pub fn instrument(&self, id: i64) -> Result<Option<(InstrumentRow, Instrument)>, StoreError> {
        self.read(|c| {
            let backend = self.backend();
            let mut q = Sql::new(backend);
            q.push(ROWS).push(" WHERE i.id = ").int(id);
            let Some(row) = q.load::<InstrumentRow>(c)?.into_iter().next() else {
                return Ok(None);
            };
            Ok(instrument_by_id(c, backend, id)?.map(|i| (row, i)))
        })
    }

    /// The id of the current version, without reading its definition.
    pub fn current_instrument_id(&self) -> Result<Option<i64>, StoreError> {
        self.read(|c| Ok(current(c, self.backend())?.map(|x| x.id)))
    }

    /// The version new surveys are taken with and scores are shown by, if any.
    pub fn current_instrument(&self) -> Result<Option<(i64, Instrument)>, StoreError> {
        self.read(|c| super::current_instrument(c, self.backend()))
    }

    /// Stores a new version (not adopted yet). A code and version already stored is
    /// refused: a changed instrument needs a new version number, so old scores keep
    /// their meaning.
    pub fn add_instrument(
        &self,
        _auth: &Authorized<ManageInstruments>,
        actor: &Actor,
        instrument: &Instrument,
    ) -> Result<i64, StoreError> {
        self.write(|c| insert(c, self.backend(), actor, instrument, false))
    }

    /// As [`Store::add_instrument`] and [`Store::adopt_instrument`], from the server's
    /// console (`homeward import instrument FILE [--adopt]`). Returns the id and, when
    /// adopted, how many surveys were scored.
    pub fn load_instrument_console(
        &self,
        instrument: &Instrument,
        adopt: bool,
    ) -> Result<(i64, Option<usize>), StoreError> {
        let actor = Actor::console();
        let id = self.write(|c| insert(c, self.backend(), &actor, instrument, false))?;
        let scored = if adopt {
            Some(self.adopt(&actor, id)?)
        } else {
            None
        };
        Ok((id, scored))
    }

    /// At first start: stores and adopts `instrument` when no instrument is stored at all.
    /// Returns the new id, or none when there were instruments already.
    pub fn ensure_instrument(&self, instrument: &Instrument) -> Result<Option<i64>, StoreError> {
        self.write(|c| {
            let backend = self.backend();
            let mut q = Sql::new(backend);
            q.push("SELECT id, definition FROM survey_instruments LIMIT 1");
            if !q.load::<Definition>(c)?.is_empty() {
                return Ok(None);
            }
            insert(c, backend, &Actor::console(), instrument, true).map(Some)
        })
    }

    /// Makes a version current and scores every survey by it, keeping the scores other
    /// versions gave. Returns how many surveys were scored.
    pub fn adopt_instrument(
        &self,
        _auth: &Authorized<ManageInstruments>,
        actor: &Actor,
        id: i64,
    ) -> Result<usize, StoreError> {
        self.adopt(actor, id)
    }

    fn adopt(&self, actor: &Actor, id: i64) -> Result<usize, StoreError> {
        let backend = self.backend();
        let instrument = self.write(|c| {
            let instrument = instrument_by_id(c, backend, id)?
                .ok_or_else(|| StoreError::NotFound(format!("survey instrument {id}")))?;
            let mut q = Sql::new(backend);
            q.push("UPDATE survey_instruments SET adopted_at = ")
                .text(crate::utc_now())
                .push(
                    ", adoption = (SELECT COALESCE(MAX(a.adoption), 0) + 1 \
                     FROM survey_instruments a) WHERE id = ",
                )
                .int(id);
            q.execute(c)?;
            append(
                c,
                backend,
                actor,
                Change::new(Action::Update, "survey_instrument", id).after(json!({
                    "adopted": true, "code": instrument.code(), "version": instrument.version(),
                })),
            )?;
            Ok(instrument)
        })?;
        self.rescore(id, &instrument)
    }

    /// Scores every survey by one version, in batches, newest surveys last.
    pub(crate) fn rescore(&self, id: i64, instrument: &Instrument) -> Result<usize, StoreError> {
        let backend = self.backend();
        let mut after = 0;
        let mut done = 0;
        loop {
            let n = self.write(|c| {
                let mut q = Sql::new(backend);
                q.push("SELECT id, answers FROM surveys WHERE id > ")
                    .int(after)
                    .push(" ORDER BY id LIMIT ")
                    .int(RESCORE_BATCH);
                let rows = q.load::<StoredAnswers>(c)?;
                let batch: Vec<(i64, Answers)> = rows
                    .iter()
                    .map(|r| (r.id, read_answers(&r.answers)))
                    .collect();
                write_scores(c, backend, id, instrument, &batch)?;
                if let Some(last) = rows.last() {
                    after = last.id;
                }
                Ok(rows.len())
            })?;
            done += n;
            if (n as i64) < RESCORE_BATCH {
                return Ok(done);
            }
        }
    }
}

fn insert(
    c: &mut DbConnection,
    backend: Backend,
    actor: &Actor,
    instrument: &Instrument,
    adopt: bool,
) -> Result<i64, StoreError> {
    let mut q = Sql::new(backend);
    q.push("SELECT id, definition FROM survey_instruments WHERE code = ")
        .text(instrument.code())
        .push(" AND version = ")
        .int(instrument.version().into());
    if !q.load::<Definition>(c)?.is_empty() {
        return Err(StoreError::conflict(
            "version",
            format!(
                "version {} of {} is loaded already; give the changed instrument a new version number",
                instrument.version(),
                instrument.code()
            ),
        ));
    }
    let definition = serde_json::to_string(instrument.file())
        .map_err(|e| StoreError::Corrupt(format!("survey instrument: {e}")))?;
    let now = crate::utc_now();
    let mut ins = Sql::new(backend);
    ins.push(
        "INSERT INTO survey_instruments (code, version, title, definition, adopted_at, \
         adoption, created_by, created_at) VALUES (",
    )
    .text(instrument.code())
    .push(", ")
    .int(instrument.version().into())
    .push(", ")
    .text(instrument.title("en"))
    .push(", ")
    .text(definition)
    .push(", ")
    .opt_text(adopt.then(|| now.clone()))
    .push(", ")
    .opt_int(adopt.then_some(1))
    .push(", ")
    .opt_int(actor.user_id)
    .push(", ")
    .text(now)
    .push(") RETURNING id");
    let id = ins.insert_id(c)?;
    append(
        c,
        backend,
        actor,
        Change::new(Action::Create, "survey_instrument", id).after(json!({
            "code": instrument.code(), "version": instrument.version(), "adopted": adopt,
        })),
    )?;
    Ok(id)
}
