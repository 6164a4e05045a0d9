//! The surveys of generated cases, written with them: the returnee's consent to surveys,
//! each survey with its answers (the last one marked latest), and its scores under every
//! adopted instrument version, as recording them one by one would have left them.

use crate::db::sql::Sql;
use crate::db::sql::insert_rows;
use crate::survey::adopted;
use crate::{Backend, DbConnection, StoreError};
use homeward_domain::date::Ymd;
use homeward_domain::survey::{Answers, SurveyKind};
use std::collections::BTreeMap;

/// A survey of a generated case, its answers by indicator code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BulkSurvey {
    pub kind: SurveyKind,
    pub taken_on: Ymd,
    pub answers: BTreeMap<String, String>,
}

/// One generated case's surveys and who took them.
pub(crate) struct CaseSurveys<'a> {
    pub case_id: i64,
    pub returnee_id: i64,
    pub taken_by: i64,
    pub surveys: &'a [BulkSurvey],
}

/// Writes the consents, surveys and scores; survey ids are chosen from `first_id` on.
pub(crate) fn write_surveys(
    c: &mut DbConnection,
    backend: Backend,
    first_id: i64,
    cases: &[CaseSurveys],
) -> Result<(), StoreError> {
    let cases: Vec<&CaseSurveys> = cases.iter().filter(|k| !k.surveys.is_empty()).collect();
    if cases.is_empty() {
        return Ok(());
    }
    let versions = adopted(c, backend)?;
    let Some((taken_with, _)) = versions.first() else {
        return Ok(());
    };
    insert_rows(
        c,
        backend,
        "INSERT INTO consents (returnee_id, purpose, partner_office_id, given_on, taken_by, created_at)",
        5,
        cases.iter(),
        |q, k| {
            let on = k.surveys[0].taken_on;
            q.int(k.returnee_id)
                .push(", 'surveys', NULL, ")
                .text(on.to_string())
                .push(", ")
                .int(k.taken_by)
                .push(", ")
                .text(format!("{on}T09:00:00Z"));
        },
    )?;
    let mut rows = vec![];
    let mut id = first_id;
    for k in &cases {
        for (i, s) in k.surveys.iter().enumerate() {
            rows.push((id, *k, s, i + 1 == k.surveys.len()));
            id += 1;
        }
    }
    insert_rows(
        c,
        backend,
        "INSERT INTO surveys (id, case_id, kind, taken_on, instrument_id, answers, source, \
         latest, taken_by, created_at)",
        9,
        rows.iter(),
        |q, (id, k, s, latest)| {
            q.int(*id)
                .push(", ")
                .int(k.case_id)
                .push(", ")
                .text(s.kind.code())
                .push(", ")
                .text(s.taken_on.to_string())
                .push(", ")
                .int(*taken_with)
                .push(", ")
                .text(serde_json::to_string(&s.answers).unwrap_or_default())
                .push(", 'import', ")
                .bool(*latest)
                .push(", ")
                .int(k.taken_by)
                .push(", ")
                .text(format!("{}T10:00:00Z", s.taken_on));
        },
    )?;
    for (vid, v) in &versions {
        insert_rows(
            c,
            backend,
            "INSERT INTO survey_scores (instrument_id, survey_id, economic, social, \
             psychosocial, composite, band)",
            7,
            rows.iter(),
            |q, (id, _, s, _)| {
                let sc = v.score(&Answers::stored(s.answers.clone()));
                q.int(*vid)
                    .push(", ")
                    .int(*id)
                    .push(", ")
                    .opt_float(sc.economic)
                    .push(", ")
                    .opt_float(sc.social)
                    .push(", ")
                    .opt_float(sc.psychosocial)
                    .push(", ")
                    .opt_float(sc.composite)
                    .push(", ")
                    .opt_text(sc.composite.map(|x| v.band(x).code().to_owned()));
            },
        )?;
    }
    if backend == Backend::Postgres {
        let mut seq = Sql::new(backend);
        seq.push(
            "SELECT setval(pg_get_serial_sequence('surveys', 'id'), (SELECT MAX(id) FROM surveys))",
        );
        seq.execute(c)?;
    }
    Ok(())
}
