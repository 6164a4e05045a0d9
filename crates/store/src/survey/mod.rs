//! Measuring reintegration: survey instruments as stored (every version, the current one,
//! re-scoring on adoption) and the surveys taken on cases.

pub mod instruments;
pub mod surveys;

use crate::db::sql::Sql;
use crate::{Backend, DbConnection, StoreError};
use diesel::QueryableByName;
use diesel::sql_types::{BigInt, Text};
use homeward_domain::survey::{Answers, Instrument, InstrumentFile};
use std::collections::BTreeMap;

#[derive(QueryableByName)]
struct Definition {
    #[diesel(sql_type = BigInt)]
    id: i64,
    #[diesel(sql_type = Text)]
    definition: String,
}

fn parse(d: &Definition) -> Result<Instrument, StoreError> {
    let file: InstrumentFile = serde_json::from_str(&d.definition)
        .map_err(|e| StoreError::Corrupt(format!("survey instrument {}: {e}", d.id)))?;
    Instrument::parse(file).map_err(|errs| {
        StoreError::Corrupt(format!(
            "survey instrument {}: {}",
            d.id,
            errs.iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("; ")
        ))
    })
}

pub(crate) fn instrument_by_id(
    c: &mut DbConnection,
    backend: Backend,
    id: i64,
) -> Result<Option<Instrument>, StoreError> {
    let mut q = Sql::new(backend);
    q.push("SELECT id, definition FROM survey_instruments WHERE id = ")
        .int(id);
    q.load::<Definition>(c)?.first().map(parse).transpose()
}

/// Every adopted version, current (latest adopted) first.
pub(crate) fn adopted(
    c: &mut DbConnection,
    backend: Backend,
) -> Result<Vec<(i64, Instrument)>, StoreError> {
    let mut q = Sql::new(backend);
    q.push(
        "SELECT id, definition FROM survey_instruments WHERE adoption IS NOT NULL \
         ORDER BY adoption DESC",
    );
    q.load::<Definition>(c)?
        .iter()
        .map(|d| Ok((d.id, parse(d)?)))
        .collect()
}

/// The current version (the latest adopted) with its definition.
pub(crate) fn current_instrument(
    c: &mut DbConnection,
    backend: Backend,
) -> Result<Option<(i64, Instrument)>, StoreError> {
    let mut q = Sql::new(backend);
    q.push(
        "SELECT id, definition FROM survey_instruments WHERE adoption IS NOT NULL \
         ORDER BY adoption DESC LIMIT 1",
    );
    q.load::<Definition>(c)?
        .first()
        .map(|d| Ok((d.id, parse(d)?)))
        .transpose()
}

/// The current version's id and name, without reading its definition: for queries that
/// only filter scores by it.
#[derive(Clone, QueryableByName)]
pub(crate) struct Current {
    #[diesel(sql_type = BigInt)]
    pub id: i64,
    #[diesel(sql_type = Text)]
    pub code: String,
    #[diesel(sql_type = BigInt)]
    pub version: i64,
}

pub(crate) fn current(
    c: &mut DbConnection,
    backend: Backend,
) -> Result<Option<Current>, StoreError> {
    let mut q = Sql::new(backend);
    q.push(
        "SELECT id, code, CAST(version AS BIGINT) AS version FROM survey_instruments \
         WHERE adoption IS NOT NULL ORDER BY adoption DESC LIMIT 1",
    );
    Ok(q.load::<Current>(c)?.into_iter().next())
}

/// Writes a survey's scores under one instrument version (replacing any before).
pub(crate) fn write_scores(
    c: &mut DbConnection,
    backend: Backend,
    instrument_id: i64,
    instrument: &Instrument,
    surveys: &[(i64, Answers)],
) -> Result<(), StoreError> {
    if surveys.is_empty() {
        return Ok(());
    }
    let ids: Vec<i64> = surveys.iter().map(|(id, _)| *id).collect();
    let mut del = Sql::new(backend);
    del.push("DELETE FROM survey_scores WHERE instrument_id = ")
        .int(instrument_id)
        .push(" AND survey_id IN ")
        .int_list(&ids);
    del.execute(c)?;
    let mut ins = Sql::new(backend);
    ins.push(
        "INSERT INTO survey_scores (instrument_id, survey_id, economic, social, psychosocial, \
         composite, band) VALUES ",
    );
    for (i, (id, answers)) in surveys.iter().enumerate() {
        let s = instrument.score(answers);
        if i > 0 {
            ins.push(", ");
        }
        ins.push("(")
            .int(instrument_id)
            .push(", ")
            .int(*id)
            .push(", ")
            .opt_float(s.economic)
            .push(", ")
            .opt_float(s.social)
            .push(", ")
            .opt_float(s.psychosocial)
            .push(", ")
            .opt_float(s.composite)
            .push(", ")
            .opt_text(s.composite.map(|v| instrument.band(v).code().to_owned()))
            .push(")");
    }
    ins.execute(c)?;
    Ok(())
}

#[derive(QueryableByName)]
struct StoredAnswers {
    #[diesel(sql_type = BigInt)]
    id: i64,
    #[diesel(sql_type = Text)]
    answers: String,
}

/// Raw answers as stored; unreadable ones count as none (they were written by us as JSON).
pub(crate) fn read_answers(text: &str) -> Answers {
    Answers::stored(serde_json::from_str::<BTreeMap<String, String>>(text).unwrap_or_default())
}
