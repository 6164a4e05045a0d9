//! Capacity-building activities at the structural level: trainings, workshops,
//! assessments and policy support for an institution, under a funding project and the
//! office that runs them; participants counted by sex, some listed (names optional) with
//! their test scores. Anyone may read an activity and its counts and mean scores;
//! participants' names are for who runs it. Changes need `community.manage` over the
//! activity's office and are audited.

use crate::activity_parts::{self, Expense, Output};
use crate::audit::{Change, append};
use crate::community::{PROJECT_CODE, office_exists, reaches};
use crate::sql::Sql;
use crate::{Actor, Backend, DbConnection, Store, StoreError};
use diesel::QueryableByName;
use diesel::sql_types::{BigInt, Double, Nullable, Text};
use homeward_domain::access::{Authorized, ManageCommunity};
use homeward_domain::audit::Action;
use homeward_domain::case::Sex;
use homeward_domain::community::activity::Level;
use homeward_domain::community::capacity::{
    CapacityDraft, ParticipantDraft, SexCounts, TestScores, may_list, test_scores,
};
use homeward_domain::date::Ymd;
use serde_json::json;

/// A capacity-building activity as listed.
#[derive(Debug, Clone, PartialEq, QueryableByName)]
pub struct CapacityLine {
    #[diesel(sql_type = BigInt)]
    pub id: i64,
    #[diesel(sql_type = Text)]
    pub kind: String,
    #[diesel(sql_type = Text)]
    pub title: String,
    #[diesel(sql_type = BigInt)]
    pub project_id: i64,
    #[diesel(sql_type = Text)]
    pub project_code: String,
    #[diesel(sql_type = Text)]
    pub project_title: String,
    #[diesel(sql_type = BigInt)]
    pub office_id: i64,
    #[diesel(sql_type = Text)]
    pub office_name: String,
    #[diesel(sql_type = Text)]
    pub institution: String,
    #[diesel(sql_type = Text)]
    pub country: String,
    #[diesel(sql_type = Nullable<Text>)]
    pub start_on: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    pub end_on: Option<String>,
    #[diesel(sql_type = Text)]
    pub status: String,
    #[diesel(sql_type = BigInt)]
    pub female: i64,
    #[diesel(sql_type = BigInt)]
    pub male: i64,
    #[diesel(sql_type = BigInt)]
    pub other: i64,
    #[diesel(sql_type = Text)]
    pub description: String,
    #[diesel(sql_type = BigInt)]
    pub version: i64,
    /// Outputs achieved (with a date).
    #[diesel(sql_type = BigInt)]
    pub outputs_achieved: i64,
    #[diesel(sql_type = BigInt)]
    pub spent_usd_minor: i64,
    /// Participants listed with a score before and after, and their means.
    #[diesel(sql_type = BigInt)]
    pub scored: i64,
    #[diesel(sql_type = Nullable<Double>)]
    pub pre_mean: Option<f64>,
    #[diesel(sql_type = Nullable<Double>)]
    pub post_mean: Option<f64>,
}

impl CapacityLine {
    pub fn participants(&self) -> i64 {
        self.female + self.male + self.other
    }
}

/// A participant listed.
#[derive(Debug, Clone, PartialEq, Eq, QueryableByName)]
pub struct ListedParticipant {
    #[diesel(sql_type = BigInt)]
    pub id: i64,
    #[diesel(sql_type = Text)]
    pub name: String,
    #[diesel(sql_type = Text)]
    pub sex: String,
    #[diesel(sql_type = Nullable<BigInt>)]
    pub pre_score: Option<i64>,
    #[diesel(sql_type = Nullable<BigInt>)]
    pub post_score: Option<i64>,
}

/// An activity with its parts.
#[derive(Debug, Clone, PartialEq)]
pub struct CapacityActivity {
    pub line: CapacityLine,
    pub outputs: Vec<Output>,
    pub expenses: Vec<Expense>,
    /// Mean scores before and after, of the participants with both.
    pub scores: Option<TestScores>,
    /// How many are listed.
    pub listed: usize,
}

/// What a list of activities may be narrowed to.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CapacityFilter {
    pub country: Option<String>,
    pub project_id: Option<i64>,
}

fn select() -> String {
    format!(
        "SELECT a.id, a.kind, a.title, a.project_id, {PROJECT_CODE} AS project_code, p.title AS project_title, \
         a.office_id, o.name AS office_name, a.institution, a.country, a.start_on, a.end_on, a.status, \
         a.female, a.male, a.other, a.description, a.version, \
         (SELECT COUNT(*) FROM activity_outputs x WHERE x.level = 'structural' AND x.activity_id = a.id \
         AND x.achieved_on IS NOT NULL) AS outputs_achieved, \
         CAST((SELECT COALESCE(SUM(e.usd_minor), 0) FROM activity_expenses e WHERE e.level = 'structural' \
         AND e.activity_id = a.id) AS BIGINT) AS spent_usd_minor, \
         (SELECT COUNT(*) FROM capacity_participants x WHERE x.activity_id = a.id AND x.pre_score IS NOT NULL \
         AND x.post_score IS NOT NULL) AS scored, \
         (SELECT CAST(AVG(x.pre_score) AS DOUBLE PRECISION) FROM capacity_participants x WHERE x.activity_id = a.id \
         AND x.pre_score IS NOT NULL AND x.post_score IS NOT NULL) AS pre_mean, \
         (SELECT CAST(AVG(x.post_score) AS DOUBLE PRECISION) FROM capacity_participants x WHERE x.activity_id = a.id \
         AND x.pre_score IS NOT NULL AND x.post_score IS NOT NULL) AS post_mean \
         FROM capacity_activities a JOIN projects p ON p.id = a.project_id JOIN offices o ON o.id = a.office_id"
    )
}

fn line(c: &mut DbConnection, backend: Backend, id: i64) -> Result<CapacityLine, StoreError> {
    let mut q = Sql::new(backend);
    q.push(&select()).push(" WHERE a.id = ").int(id);
    q.load::<CapacityLine>(c)?
        .into_iter()
        .next()
        .ok_or_else(|| StoreError::NotFound(format!("capacity-building activity {id}")))
}

fn listed(
    c: &mut DbConnection,
    backend: Backend,
    id: i64,
) -> Result<Vec<ListedParticipant>, StoreError> {
    let mut q = Sql::new(backend);
    q.push("SELECT id, name, sex, pre_score, post_score FROM capacity_participants WHERE activity_id = ")
        .int(id)
        .push(" ORDER BY id");
    Ok(q.load(c)?)
}

fn score(v: Option<i64>) -> Option<u8> {
    v.and_then(|x| u8::try_from(x).ok())
}

fn draft_json(d: &CapacityDraft) -> serde_json::Value {
    json!({
        "title": d.title, "kind": d.kind.code(), "project_id": d.project_id, "office_id": d.office_id,
        "country": d.country.as_str(), "institution": d.institution,
        "start_on": d.start_on.map(|x| x.to_string()), "end_on": d.end_on.map(|x| x.to_string()),
        "status": d.status.code(), "female": d.participants.female, "male": d.participants.male,
        "other": d.participants.other,
    })
}

impl Store {
    /// Adds an activity (`id` none) or changes one read at `version`. Counts may not fall
    /// below the participants listed.
    pub fn save_capacity_activity(
        &self,
        auth: &Authorized<ManageCommunity>,
        actor: &Actor,
        id: Option<(i64, i64)>,
        d: &CapacityDraft,
    ) -> Result<i64, StoreError> {
        let backend = self.backend();
        reaches(auth, d.office_id)?;
        self.write(|c| {
            crate::packages::project_exists(c, backend, d.project_id)?;
            office_exists(c, backend, d.office_id)?;
            let now = crate::utc_now();
            let opt = |x: Option<Ymd>| x.map(|d| d.to_string());
            let counts = |q: &mut Sql| {
                q.int(i64::from(d.participants.female))
                    .push(", ")
                    .int(i64::from(d.participants.male))
                    .push(", ")
                    .int(i64::from(d.participants.other));
            };
            match id {
                None => {
                    let mut q = Sql::new(backend);
                    q.push(
                        "INSERT INTO capacity_activities (project_id, office_id, kind, title, institution, \
                         country, start_on, end_on, status, female, male, other, description, created_by, \
                         created_at, updated_at) VALUES (",
                    )
                    .int(d.project_id)
                    .push(", ")
                    .int(d.office_id)
                    .push(", ")
                    .text(d.kind.code())
                    .push(", ")
                    .text(d.title.clone())
                    .push(", ")
                    .text(d.institution.clone())
                    .push(", ")
                    .text(d.country.as_str())
                    .push(", ")
                    .opt_text(opt(d.start_on))
                    .push(", ")
                    .opt_text(opt(d.end_on))
                    .push(", ")
                    .text(d.status.code())
                    .push(", ");
                    counts(&mut q);
                    q.push(", ")
                        .text(d.description.clone())
                        .push(", ")
                        .opt_int(actor.user_id)
                        .push(", ")
                        .text(now.clone())
                        .push(", ")
                        .text(now)
                        .push(") RETURNING id");
                    let new = q.insert_id(c)?;
                    append(
                        c,
                        backend,
                        actor,
                        Change::new(Action::Create, "capacity_activity", new).after(draft_json(d)),
                    )?;
                    Ok(new)
                }
                Some((id, version)) => {
                    let before = line(c, backend, id)?;
                    reaches(auth, before.office_id)?;
                    crate::activity_parts::check_version(&before.title, version, before.version)?;
                    let people = listed(c, backend, id)?;
                    let n = |s: Sex| {
                        people
                            .iter()
                            .filter(|p| p.sex.parse::<Sex>().ok() == Some(s))
                            .count() as u32
                    };
                    let other = n(Sex::Other) + n(Sex::Unknown);
                    if n(Sex::Female) > d.participants.female
                        || n(Sex::Male) > d.participants.male
                        || other > d.participants.other
                    {
                        return Err(StoreError::conflict(
                            "female",
                            format!(
                                "{} women, {} men and {other} others are listed: the counts cannot be lower",
                                n(Sex::Female),
                                n(Sex::Male)
                            ),
                        ));
                    }
                    let mut q = Sql::new(backend);
                    q.push("UPDATE capacity_activities SET project_id = ")
                        .int(d.project_id)
                        .push(", office_id = ")
                        .int(d.office_id)
                        .push(", kind = ")
                        .text(d.kind.code())
                        .push(", title = ")
                        .text(d.title.clone())
                        .push(", institution = ")
                        .text(d.institution.clone())
                        .push(", country = ")
                        .text(d.country.as_str())
                        .push(", start_on = ")
                        .opt_text(opt(d.start_on))
                        .push(", end_on = ")
                        .opt_text(opt(d.end_on))
                        .push(", status = ")
                        .text(d.status.code())
                        .push(", female = ")
                        .int(i64::from(d.participants.female))
                        .push(", male = ")
                        .int(i64::from(d.participants.male))
                        .push(", other = ")
                        .int(i64::from(d.participants.other))
                        .push(", description = ")
                        .text(d.description.clone())
                        .push(", version = version + 1, updated_at = ")
                        .text(now)
                        .push(" WHERE id = ")
                        .int(id);
                    q.execute(c)?;
                    append(
                        c,
                        backend,
                        actor,
                        Change::new(Action::Update, "capacity_activity", id)
                            .before(json!({"title": before.title, "version": before.version}))
                            .after(draft_json(d)),
                    )?;
                    Ok(id)
                }
            }
        })
    }

    /// Activities, newest first, narrowed by country or funding project.
    pub fn capacity_activities(&self, f: &CapacityFilter) -> Result<Vec<CapacityLine>, StoreError> {
        self.read(|c| {
            let mut q = Sql::new(self.backend());
            q.push(&select()).push(" WHERE 1 = 1");
            if let Some(cc) = &f.country {
                q.push(" AND a.country = ").text(cc.clone());
            }
            if let Some(p) = f.project_id {
                q.push(" AND a.project_id = ").int(p);
            }
            q.push(" ORDER BY a.start_on DESC, a.id DESC");
            Ok(q.load(c)?)
        })
    }

    /// One activity with its outputs, spending and mean test scores.
    pub fn capacity_activity(&self, id: i64) -> Result<CapacityActivity, StoreError> {
        let backend = self.backend();
        self.read(|c| {
            let people = listed(c, backend, id)?;
            let pairs: Vec<(Option<u8>, Option<u8>)> = people
                .iter()
                .map(|p| (score(p.pre_score), score(p.post_score)))
                .collect();
            Ok(CapacityActivity {
                line: line(c, backend, id)?,
                outputs: activity_parts::outputs(c, backend, Level::Structural, id)?,
                expenses: activity_parts::expenses(c, backend, Level::Structural, id)?,
                scores: test_scores(&pairs),
                listed: people.len(),
            })
        })
    }

    /// The participants listed, with names: for who runs the activity.
    pub fn capacity_participants(
        &self,
        auth: &Authorized<ManageCommunity>,
        id: i64,
    ) -> Result<Vec<ListedParticipant>, StoreError> {
        let backend = self.backend();
        self.read(|c| {
            reaches(auth, line(c, backend, id)?.office_id)?;
            listed(c, backend, id)
        })
    }

    /// Lists a participant: no more of a sex than were counted.
    pub fn add_capacity_participant(
        &self,
        auth: &Authorized<ManageCommunity>,
        actor: &Actor,
        id: i64,
        p: &ParticipantDraft,
    ) -> Result<i64, StoreError> {
        let backend = self.backend();
        self.write(|c| {
            let l = line(c, backend, id)?;
            reaches(auth, l.office_id)?;
            let counts = SexCounts {
                female: u32::try_from(l.female).unwrap_or(0),
                male: u32::try_from(l.male).unwrap_or(0),
                other: u32::try_from(l.other).unwrap_or(0),
            };
            let sexes: Vec<Sex> = listed(c, backend, id)?
                .iter()
                .filter_map(|x| x.sex.parse().ok())
                .collect();
            may_list(counts, &sexes, p.sex)
                .map_err(|e| StoreError::conflict(&e.field, e.reason))?;
            let mut q = Sql::new(backend);
            q.push("INSERT INTO capacity_participants (activity_id, name, sex, pre_score, post_score, created_at) VALUES (")
                .int(id)
                .push(", ")
                .text(p.name.clone())
                .push(", ")
                .text(p.sex.code())
                .push(", ")
                .opt_int(p.pre_score.map(i64::from))
                .push(", ")
                .opt_int(p.post_score.map(i64::from))
                .push(", ")
                .text(crate::utc_now())
                .push(") RETURNING id");
            let new = q.insert_id(c)?;
            append(
                c,
                backend,
                actor,
                Change::new(Action::Update, "capacity_activity", id).after(json!({
                    "participant": new, "named": !p.name.is_empty(),
                    "pre_score": p.pre_score, "post_score": p.post_score,
                })),
            )?;
            Ok(new)
        })
    }
}
