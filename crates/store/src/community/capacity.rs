//! Capacity-building activities at the structural level: trainings, workshops,
//! assessments and policy support for an institution, under a funding project and the
//! office that runs them; participants counted by sex, some listed (names optional) with
//! their test scores. Anyone may read an activity and its counts and mean scores;
//! participants' names are for who runs it. Changes need `community.manage` over the
//! activity's office and are audited.

use super::activity::{
    self, ActivityHead, ActivityLine, Before, Details, Expense, Output, SavedActivity,
};
use super::{add_part, reaches};
use crate::db::sql::{Sql, Value};
use crate::{Actor, Backend, DbConnection, Store, StoreError};
use diesel::QueryableByName;
use diesel::sql_types::{BigInt, Double, Nullable, Text};
use homeward_domain::access::{Authorized, ManageCommunity};
use homeward_domain::case::Sex;
use homeward_domain::community::activity::Level;
use homeward_domain::community::capacity::{
    CapacityDraft, ParticipantDraft, SexCounts, TestScores, may_list, test_scores,
};
use serde_json::json;

/// A capacity-building activity as listed.
#[derive(Debug, Clone, PartialEq, QueryableByName, serde::Serialize)]
pub struct CapacityLine {
    #[diesel(embed)]
    #[serde(flatten)]
    pub head: ActivityHead,
    #[diesel(sql_type = Text)]
    pub kind: String,
    #[diesel(sql_type = Text)]
    pub title: String,
    #[diesel(sql_type = Text)]
    pub institution: String,
    #[diesel(sql_type = BigInt)]
    pub female: i64,
    #[diesel(sql_type = BigInt)]
    pub male: i64,
    #[diesel(sql_type = BigInt)]
    pub other: i64,
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

fn select() -> String {
    activity::select(
        Level::Structural,
        "a.kind, a.title, a.institution, a.female, a.male, a.other, \
         (SELECT COUNT(*) FROM capacity_participants x WHERE x.activity_id = a.id AND x.pre_score IS NOT NULL \
         AND x.post_score IS NOT NULL) AS scored, \
         (SELECT CAST(AVG(x.pre_score) AS DOUBLE PRECISION) FROM capacity_participants x WHERE x.activity_id = a.id \
         AND x.pre_score IS NOT NULL AND x.post_score IS NOT NULL) AS pre_mean, \
         (SELECT CAST(AVG(x.post_score) AS DOUBLE PRECISION) FROM capacity_participants x WHERE x.activity_id = a.id \
         AND x.pre_score IS NOT NULL AND x.post_score IS NOT NULL) AS post_mean",
    )
}

fn line(c: &mut DbConnection, backend: Backend, id: i64) -> Result<CapacityLine, StoreError> {
    activity::one(c, backend, id)
}

impl ActivityLine for CapacityLine {
    const LEVEL: Level = Level::Structural;

    fn select() -> String {
        select()
    }

    fn head(&self) -> &ActivityHead {
        &self.head
    }
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

impl SavedActivity for CapacityDraft {
    fn details(&self) -> Details {
        let count = |n: u32| Value::Int(i64::from(n));
        let p = &self.participants;
        Details {
            columns: vec![
                ("kind", Value::Text(self.kind.code().to_owned())),
                ("title", Value::Text(self.title.clone())),
                ("institution", Value::Text(self.institution.clone())),
                ("female", count(p.female)),
                ("male", count(p.male)),
                ("other", count(p.other)),
            ],
            audit: json!({
                "title": self.title, "kind": self.kind.code(), "institution": self.institution,
                "female": p.female, "male": p.male, "other": p.other,
            }),
        }
    }

    fn before(c: &mut DbConnection, backend: Backend, id: i64) -> Result<Before, StoreError> {
        let l = line(c, backend, id)?;
        Ok(Before {
            office_id: l.head.office_id,
            audit: json!({"title": l.title, "version": l.head.version}),
            name: l.title,
            version: l.head.version,
        })
    }

    /// The counts may not fall below the participants listed of each sex.
    fn check(&self, c: &mut DbConnection, backend: Backend, id: i64) -> Result<(), StoreError> {
        let people = listed(c, backend, id)?;
        let n = |s: Sex| {
            people
                .iter()
                .filter(|p| p.sex.parse::<Sex>().ok() == Some(s))
                .count() as u32
        };
        let other = n(Sex::Other) + n(Sex::Unknown);
        if n(Sex::Female) > self.participants.female
            || n(Sex::Male) > self.participants.male
            || other > self.participants.other
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
        Ok(())
    }
}

impl Store {
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
                outputs: activity::outputs(c, backend, Level::Structural, id)?,
                expenses: activity::expenses(c, backend, Level::Structural, id)?,
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
            reaches(auth, line(c, backend, id)?.head.office_id)?;
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
            reaches(auth, l.head.office_id)?;
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
            add_part(
                c,
                backend,
                actor,
                "capacity_participants",
                vec![
                    ("activity_id", Value::Int(id)),
                    ("name", Value::Text(p.name.clone())),
                    ("sex", Value::Text(p.sex.code().to_owned())),
                    ("pre_score", Value::OptInt(p.pre_score.map(i64::from))),
                    ("post_score", Value::OptInt(p.post_score.map(i64::from))),
                    ("created_at", Value::Text(crate::utc_now())),
                ],
                "capacity_activity",
                id,
                |new| {
                    json!({
                        "participant": new, "named": !p.name.is_empty(),
                        "pre_score": p.pre_score, "post_score": p.post_score,
                    })
                },
            )
        })
    }
}
