//! Well-being surveys on a case: taken at baseline (before the plan) and at follow-ups,
//! only with the returnee's consent to surveys, answers kept raw, scored by every adopted
//! instrument version at once.

use super::{adopted, instrument_by_id, read_answers, write_scores};
use crate::audit::{Change, append};
use crate::cases::consents::consents_of;
use crate::cases::load_covered;
use crate::cases::log;
use crate::db::sql::Sql;
use crate::{Actor, Backend, DbConnection, Store, StoreError};
use diesel::QueryableByName;
use diesel::sql_types::{BigInt, Double, Nullable, Text};
use homeward_domain::FieldError;
use homeward_domain::access::{Authorized, ReadCases, WriteCases};
use homeward_domain::audit::Action;
use homeward_domain::date::Ymd;
use homeward_domain::reintegration::consent::{self, Purpose};
use homeward_domain::survey::{Answers, Scores, SurveyKind};
use serde_json::json;
use std::collections::BTreeMap;

/// A survey to record: taken with instrument version `instrument_id`, answers by
/// indicator code (checked against that version).
#[derive(Debug, Clone)]
pub struct NewSurvey {
    pub kind: SurveyKind,
    pub taken_on: Ymd,
    pub instrument_id: i64,
    pub answers: BTreeMap<String, String>,
    /// `form` or `import`.
    pub source: &'static str,
}

/// A survey as the case page shows it, with its scores under the current version.
#[derive(Debug, Clone, PartialEq)]
pub struct SurveyRow {
    pub id: i64,
    pub kind: SurveyKind,
    pub taken_on: String,
    /// `homeward-wellbeing v1`: the version the questions came from.
    pub taken_with: String,
    pub by: String,
    pub source: String,
    pub answered: usize,
    pub scores: Scores,
    /// low, medium or high; none without a composite.
    pub band: Option<String>,
    /// Raw answers by indicator code.
    pub answers: BTreeMap<String, String>,
}

#[derive(QueryableByName)]
struct Row {
    #[diesel(sql_type = BigInt)]
    id: i64,
    #[diesel(sql_type = Text)]
    kind: String,
    #[diesel(sql_type = Text)]
    taken_on: String,
    #[diesel(sql_type = Text)]
    taken_with: String,
    #[diesel(sql_type = Text)]
    by: String,
    #[diesel(sql_type = Text)]
    source: String,
    #[diesel(sql_type = Text)]
    answers: String,
    #[diesel(sql_type = Nullable<Double>)]
    economic: Option<f64>,
    #[diesel(sql_type = Nullable<Double>)]
    social: Option<f64>,
    #[diesel(sql_type = Nullable<Double>)]
    psychosocial: Option<f64>,
    #[diesel(sql_type = Nullable<Double>)]
    composite: Option<f64>,
    #[diesel(sql_type = Nullable<Text>)]
    band: Option<String>,
}

/// A case's surveys, oldest first, scored by version `scored_by`.
pub(crate) fn surveys_of(
    c: &mut DbConnection,
    backend: Backend,
    case_id: i64,
    scored_by: Option<i64>,
) -> Result<Vec<SurveyRow>, StoreError> {
    let mut q = Sql::new(backend);
    q.push(
        "SELECT s.id, s.kind, s.taken_on, i.code || ' v' || CAST(i.version AS TEXT) AS taken_with, \
         u.name AS by, s.source, s.answers, sc.economic, sc.social, sc.psychosocial, \
         sc.composite, sc.band \
         FROM surveys s JOIN survey_instruments i ON i.id = s.instrument_id \
         JOIN users u ON u.id = s.taken_by \
         LEFT JOIN survey_scores sc ON sc.survey_id = s.id AND sc.instrument_id = ",
    )
    .int(scored_by.unwrap_or(0))
    .push(" WHERE s.case_id = ")
    .int(case_id)
    .push(" ORDER BY s.taken_on, s.id");
    Ok(q.load::<Row>(c)?
        .into_iter()
        .filter_map(|r| {
            let answers = read_answers(&r.answers);
            Some(SurveyRow {
                id: r.id,
                kind: r.kind.parse().ok()?,
                taken_on: r.taken_on,
                taken_with: r.taken_with,
                by: r.by,
                source: r.source,
                answered: answers.len(),
                scores: Scores {
                    economic: r.economic,
                    social: r.social,
                    psychosocial: r.psychosocial,
                    composite: r.composite,
                },
                band: r.band,
                answers: answers.as_map().clone(),
            })
        })
        .collect())
}

fn invalid(errs: Vec<FieldError>) -> StoreError {
    let first = errs.first().map(|e| e.field.clone()).unwrap_or_default();
    StoreError::conflict(
        &first,
        errs.iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("; "),
    )
}

/// Records one survey inside a transaction; the importer calls it per row.
pub(crate) fn insert_survey(
    c: &mut DbConnection,
    backend: Backend,
    auth: &Authorized<WriteCases>,
    actor: &Actor,
    case_id: i64,
    s: &NewSurvey,
) -> Result<i64, StoreError> {
    let case = load_covered(c, backend, auth, case_id)?;
    if s.taken_on > crate::today() {
        return Err(StoreError::conflict("taken_on", "is in the future"));
    }
    let consents: Vec<_> = consents_of(c, backend, case.returnee_id)?
        .into_iter()
        .map(|c| c.consent)
        .collect();
    consent::require(&consents, Purpose::Surveys, None, s.taken_on)
        .map_err(|e| StoreError::conflict("consent", e.to_string()))?;
    let instrument = instrument_by_id(c, backend, s.instrument_id)?.ok_or_else(|| {
        StoreError::conflict(
            "instrument_id",
            format!("{} is not a stored survey instrument", s.instrument_id),
        )
    })?;
    let answers = Answers::check(&instrument, &s.answers).map_err(invalid)?;
    if answers.is_empty() {
        return Err(StoreError::conflict("answers", "no question was answered"));
    }
    if s.kind == SurveyKind::Baseline {
        let mut q = Sql::new(backend);
        q.push("SELECT COUNT(*) AS n FROM surveys WHERE kind = 'baseline' AND case_id = ")
            .int(case_id);
        if q.number(c)? > 0 {
            return Err(StoreError::conflict(
                "kind",
                "the case has a baseline survey already; record this one as a follow-up",
            ));
        }
    }
    let stored = serde_json::to_string(answers.as_map())
        .map_err(|e| StoreError::Corrupt(format!("survey answers: {e}")))?;
    let mut q = Sql::new(backend);
    q.push(
        "INSERT INTO surveys (case_id, kind, taken_on, instrument_id, answers, source, taken_by, \
         created_at) VALUES (",
    )
    .int(case_id)
    .push(", ")
    .text(s.kind.code())
    .push(", ")
    .text(s.taken_on.to_string())
    .push(", ")
    .int(s.instrument_id)
    .push(", ")
    .text(stored)
    .push(", ")
    .text(s.source)
    .push(", ")
    .int(auth.principal().user_id())
    .push(", ")
    .text(crate::utc_now())
    .push(") RETURNING id");
    let id = q.insert_id(c)?;
    let mut latest = Sql::new(backend);
    latest
        .push("UPDATE surveys SET latest = (id = (SELECT l.id FROM surveys l WHERE l.case_id = ")
        .int(case_id)
        .push(" ORDER BY l.taken_on DESC, l.id DESC LIMIT 1)) WHERE case_id = ")
        .int(case_id);
    latest.execute(c)?;
    let mut versions = adopted(c, backend)?;
    if !versions.iter().any(|(v, _)| *v == s.instrument_id) {
        versions.push((s.instrument_id, instrument));
    }
    for (vid, v) in &versions {
        write_scores(c, backend, *vid, v, &[(id, answers.clone())])?;
    }
    log::note(
        c,
        backend,
        case_id,
        actor,
        "survey",
        &s.taken_on.to_string(),
    )?;
    append(
        c,
        backend,
        actor,
        Change::new(Action::Create, "survey", id).after(json!({
            "case_id": case_id, "kind": s.kind.code(), "taken_on": s.taken_on.to_string(),
            "instrument_id": s.instrument_id, "answered": answers.len(), "source": s.source,
        })),
    )?;
    Ok(id)
}

/// A survey from a file of collected submissions, to record on the case it names.
#[derive(Debug, Clone)]
pub struct ImportedSurvey {
    /// The row in the file, for the problems.
    pub row: usize,
    pub case_reference: String,
    pub survey: NewSurvey,
}

#[derive(QueryableByName)]
struct CaseId {
    #[diesel(sql_type = BigInt)]
    id: i64,
}

impl Store {
    /// Records every survey of a file, each under the same rules as one typed in, or none:
    /// a refused row (no such case within the writer's scope, no consent on the day, a
    /// second baseline, also within the file) is reported with its row and nothing is kept.
    /// Returns how many were recorded.
    pub fn import_surveys(
        &self,
        auth: &Authorized<WriteCases>,
        actor: &Actor,
        rows: &[ImportedSurvey],
    ) -> Result<usize, StoreError> {
        let backend = self.backend();
        self.write(|c| {
            let mut refused = vec![];
            for r in rows {
                let mut q = Sql::new(backend);
                q.push("SELECT id FROM cases WHERE reference = ")
                    .text(r.case_reference.clone());
                let Some(case) = q.load::<CaseId>(c)?.first().map(|x| x.id) else {
                    refused.push((
                        r.row,
                        "case_reference".to_owned(),
                        format!("{} is not a case", r.case_reference),
                    ));
                    continue;
                };
                match insert_survey(c, backend, auth, actor, case, &r.survey) {
                    Ok(_) => {}
                    Err(StoreError::Conflict { field, message }) => {
                        refused.push((r.row, field, message));
                    }
                    Err(StoreError::NotFound(_)) => refused.push((
                        r.row,
                        "case_reference".to_owned(),
                        format!(
                            "{} is not among the cases you may work on",
                            r.case_reference
                        ),
                    )),
                    Err(e) => return Err(e),
                }
            }
            if refused.is_empty() {
                Ok(rows.len())
            } else {
                Err(StoreError::Rows(refused))
            }
        })
    }

    /// Records a survey on a case: within the writer's scope, with the returnee's
    /// consent to surveys on the day it was taken, at most one baseline, answers that the
    /// version knows. Scored by every adopted version.
    pub fn add_survey(
        &self,
        auth: &Authorized<WriteCases>,
        actor: &Actor,
        case_id: i64,
        s: &NewSurvey,
    ) -> Result<i64, StoreError> {
        self.write(|c| insert_survey(c, self.backend(), auth, actor, case_id, s))
    }

    /// A case's surveys, oldest first, scored by the current version, with the raw
    /// answers; none for readers who may not see the case's sensitive fields (the answers
    /// and scores speak of distress, safety and health).
    pub fn case_surveys(
        &self,
        auth: &Authorized<ReadCases>,
        case_id: i64,
    ) -> Result<Option<Vec<SurveyRow>>, StoreError> {
        self.read(|c| surveys_for_reader(c, self.backend(), auth, case_id))
    }

    /// As [`Store::case_surveys`], recorded as a view of the case (for callers that read
    /// the surveys alone, such as the API).
    pub fn case_surveys_viewed(
        &self,
        auth: &Authorized<ReadCases>,
        actor: &Actor,
        case_id: i64,
    ) -> Result<Option<Vec<SurveyRow>>, StoreError> {
        self.write(|c| {
            let backend = self.backend();
            let rows = surveys_for_reader(c, backend, auth, case_id)?;
            append(
                c,
                backend,
                actor,
                Change::new(Action::View, "case", case_id)
                    .after(json!({"surveys": rows.as_ref().map(Vec::len)})),
            )?;
            Ok(rows)
        })
    }
}

pub(crate) fn surveys_for_reader(
    c: &mut DbConnection,
    backend: Backend,
    auth: &Authorized<ReadCases>,
    case_id: i64,
) -> Result<Option<Vec<SurveyRow>>, StoreError> {
    let case = load_covered(c, backend, auth, case_id)?;
    if !auth.principal().sees_sensitive(&case.facts()) {
        return Ok(None);
    }
    let current = crate::survey::current(c, backend)?.map(|x| x.id);
    surveys_of(c, backend, case_id, current).map(Some)
}
