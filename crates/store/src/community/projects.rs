//! Community projects: kept under their funding project and their office, with the
//! returnees (by case) and community members (counted) who take part. Anyone may read a
//! project and its counts; only who may read a returnee's case sees that they take part.
//! Changes need `community.manage` over the project's office and are audited.

use super::activity::{
    self, ActivityHead, ActivityLine, Before, Details, Expense, Output, SavedActivity,
};
use crate::audit::{Change, append};
use crate::community::reaches;
use crate::db::sql::{Sql, Value};
use crate::{Actor, Backend, DbConnection, Store, StoreError};
use diesel::QueryableByName;
use diesel::sql_types::{BigInt, Text};
use homeward_domain::access::{Authorized, ManageCommunity, ReadCases};
use homeward_domain::audit::Action;
use homeward_domain::community::activity::Level;
use homeward_domain::community::project::{CommunityProjectDraft, MemberCounts, SEXES};
use homeward_domain::dashboard::AgeGroup;
use homeward_domain::date::Ymd;
use serde_json::json;

/// A community project as listed.
#[derive(Debug, Clone, PartialEq, Eq, QueryableByName, serde::Serialize)]
pub struct CommunityLine {
    #[diesel(embed)]
    #[serde(flatten)]
    pub head: ActivityHead,
    #[diesel(sql_type = Text)]
    pub name: String,
    #[diesel(sql_type = Text)]
    pub area: String,
    #[diesel(sql_type = Text)]
    pub place: String,
    #[diesel(sql_type = Text)]
    pub partner: String,
    /// Returnees taking part (cases linked).
    #[diesel(sql_type = BigInt)]
    pub returnees: i64,
    /// Community members counted, and of them women, men and others.
    #[diesel(sql_type = BigInt)]
    pub members: i64,
    #[diesel(sql_type = BigInt)]
    pub members_female: i64,
    #[diesel(sql_type = BigInt)]
    pub members_male: i64,
    #[diesel(sql_type = BigInt)]
    pub members_other: i64,
}

/// A community project with its parts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommunityProject {
    pub line: CommunityLine,
    pub members: MemberCounts,
    pub outputs: Vec<Output>,
    pub expenses: Vec<Expense>,
    pub pools: Vec<crate::community::pools::PoolLine>,
}

/// A returnee taking part, as a reader of their case sees them.
#[derive(Debug, Clone, PartialEq, Eq, QueryableByName)]
pub struct Participant {
    #[diesel(sql_type = BigInt)]
    pub case_id: i64,
    #[diesel(sql_type = Text)]
    pub reference: String,
    #[diesel(sql_type = Text)]
    pub given_name: String,
    #[diesel(sql_type = Text)]
    pub family_name: String,
    #[diesel(sql_type = Text)]
    pub joined_on: String,
}

fn select() -> String {
    let members = |sex: &str| {
        format!(
            "CAST((SELECT COALESCE(SUM(m.n), 0) FROM community_members m \
             WHERE m.community_project_id = a.id{sex}) AS BIGINT)"
        )
    };
    activity::select(
        Level::Community,
        &format!(
            "a.name, a.area, a.place, a.partner, \
             (SELECT COUNT(*) FROM community_participants x WHERE x.community_project_id = a.id) AS returnees, \
             {} AS members, {} AS members_female, {} AS members_male, {} AS members_other",
            members(""),
            members(" AND m.sex = 'female'"),
            members(" AND m.sex = 'male'"),
            members(" AND m.sex = 'other'"),
        ),
    )
}

fn line(c: &mut DbConnection, backend: Backend, id: i64) -> Result<CommunityLine, StoreError> {
    activity::one(c, backend, id)
}

impl ActivityLine for CommunityLine {
    const LEVEL: Level = Level::Community;

    fn select() -> String {
        select()
    }

    fn head(&self) -> &ActivityHead {
        &self.head
    }
}

#[derive(QueryableByName)]
struct MemberRow {
    #[diesel(sql_type = Text)]
    sex: String,
    #[diesel(sql_type = Text)]
    age_group: String,
    #[diesel(sql_type = BigInt)]
    n: i64,
}

fn members(c: &mut DbConnection, backend: Backend, id: i64) -> Result<MemberCounts, StoreError> {
    let mut q = Sql::new(backend);
    q.push("SELECT sex, age_group, n FROM community_members WHERE community_project_id = ")
        .int(id);
    let mut out = MemberCounts::default();
    for r in q.load::<MemberRow>(c)? {
        let s = SEXES.iter().position(|x| *x == r.sex);
        let a = AgeGroup::ALL.iter().position(|x| x.code() == r.age_group);
        if let (Some(s), Some(a)) = (s, a) {
            out.0[s][a] = u32::try_from(r.n).unwrap_or(u32::MAX);
        }
    }
    Ok(out)
}

impl SavedActivity for CommunityProjectDraft {
    fn details(&self) -> Details {
        Details {
            columns: vec![
                ("name", Value::Text(self.name.clone())),
                ("area", Value::Text(self.area.clone())),
                ("place", Value::Text(self.place.clone())),
                ("partner", Value::Text(self.partner.clone())),
            ],
            audit: json!({
                "name": self.name, "area": self.area, "place": self.place, "partner": self.partner,
            }),
        }
    }

    fn before(c: &mut DbConnection, backend: Backend, id: i64) -> Result<Before, StoreError> {
        let l = line(c, backend, id)?;
        Ok(Before {
            office_id: l.head.office_id,
            audit: json!({"name": l.name, "status": l.head.status, "version": l.head.version}),
            name: l.name,
            version: l.head.version,
        })
    }
}

impl Store {
    /// One community project with its counts, outputs, spending and pools.
    pub fn community_project(&self, id: i64) -> Result<CommunityProject, StoreError> {
        let backend = self.backend();
        self.read(|c| {
            Ok(CommunityProject {
                line: line(c, backend, id)?,
                members: members(c, backend, id)?,
                outputs: activity::outputs(c, backend, Level::Community, id)?,
                expenses: activity::expenses(c, backend, Level::Community, id)?,
                pools: crate::community::pools::pools_of(c, backend, id)?,
            })
        })
    }

    /// Replaces the counts of community members taking part.
    pub fn set_community_members(
        &self,
        auth: &Authorized<ManageCommunity>,
        actor: &Actor,
        id: i64,
        m: &MemberCounts,
    ) -> Result<(), StoreError> {
        let backend = self.backend();
        self.write(|c| {
            let l = line(c, backend, id)?;
            reaches(auth, l.head.office_id)?;
            let mut del = Sql::new(backend);
            del.push("DELETE FROM community_members WHERE community_project_id = ")
                .int(id);
            del.execute(c)?;
            let cells: Vec<(&str, AgeGroup, u32)> = SEXES
                .iter()
                .enumerate()
                .flat_map(|(si, s)| {
                    AgeGroup::ALL
                        .iter()
                        .enumerate()
                        .map(move |(ai, a)| (*s, *a, m.get(si, ai)))
                })
                .filter(|(_, _, n)| *n > 0)
                .collect();
            crate::db::sql::insert_rows(
                c,
                backend,
                "INSERT INTO community_members (community_project_id, sex, age_group, n)",
                4,
                cells.iter(),
                |q, (s, a, n)| {
                    q.int(id)
                        .push(", ")
                        .text(*s)
                        .push(", ")
                        .text(a.code())
                        .push(", ")
                        .int(i64::from(*n));
                },
            )?;
            append(
                c,
                backend,
                actor,
                Change::new(Action::Update, "community_project", id)
                    .after(json!({"community_members": m.total()})),
            )?;
            Ok(())
        })
    }

    /// Links a returnee's case to the project: the case must be one the principal reads.
    pub fn add_community_participant(
        &self,
        auth: &Authorized<ManageCommunity>,
        read: &Authorized<ReadCases>,
        actor: &Actor,
        id: i64,
        case_reference: &str,
        joined_on: Ymd,
    ) -> Result<i64, StoreError> {
        let backend = self.backend();
        self.write(|c| {
            let l = line(c, backend, id)?;
            reaches(auth, l.head.office_id)?;
            let case_id = crate::cases::id_by_reference(c, backend, case_reference.trim())?
                .ok_or_else(|| {
                    StoreError::conflict(
                        "case",
                        format!("{:?} is not a case number you can read", case_reference.trim()),
                    )
                })?;
            crate::cases::load_covered(c, backend, read, case_id).map_err(|_| {
                StoreError::conflict(
                    "case",
                    format!("{:?} is not a case number you can read", case_reference.trim()),
                )
            })?;
            let mut ins = Sql::new(backend);
            ins.push(
                "INSERT INTO community_participants (community_project_id, case_id, joined_on) VALUES (",
            )
            .int(id)
            .push(", ")
            .int(case_id)
            .push(", ")
            .text(joined_on.to_string())
            .push(") ON CONFLICT DO NOTHING");
            if ins.execute(c)? == 0 {
                return Err(StoreError::conflict(
                    "case",
                    format!("{} takes part already", case_reference.trim()),
                ));
            }
            append(
                c,
                backend,
                actor,
                Change::new(Action::Update, "community_project", id)
                    .after(json!({"participant_case": case_id})),
            )?;
            crate::cases::log::note(
                c,
                backend,
                case_id,
                actor,
                "community",
                &format!("takes part in {} ({joined_on})", l.name),
            )?;
            Ok(case_id)
        })
    }

    /// The returnees taking part whose cases the reader may read.
    pub fn community_participants(
        &self,
        auth: &Authorized<ReadCases>,
        id: i64,
    ) -> Result<Vec<Participant>, StoreError> {
        let backend = self.backend();
        self.read(|c| {
            let mut q = Sql::new(backend);
            q.push(
                "SELECT c.id AS case_id, c.reference, r.given_name, r.family_name, x.joined_on \
                 FROM community_participants x JOIN cases c ON c.id = x.case_id \
                 JOIN returnees r ON r.id = c.returnee_id WHERE x.community_project_id = ",
            )
            .int(id)
            .push(" AND ");
            crate::cases::push_scope(&mut q, auth.filter());
            q.push(" ORDER BY x.joined_on, c.id");
            Ok(q.load(c)?)
        })
    }

    /// Unlinks a returnee's case from the project (linked by mistake, or they left).
    pub fn remove_community_participant(
        &self,
        auth: &Authorized<ManageCommunity>,
        actor: &Actor,
        id: i64,
        case_id: i64,
    ) -> Result<(), StoreError> {
        let backend = self.backend();
        self.write(|c| {
            let l = line(c, backend, id)?;
            reaches(auth, l.head.office_id)?;
            let mut q = Sql::new(backend);
            q.push("DELETE FROM community_participants WHERE community_project_id = ")
                .int(id)
                .push(" AND case_id = ")
                .int(case_id);
            if q.execute(c)? == 0 {
                return Err(StoreError::NotFound(format!(
                    "case {case_id} among {}'s participants",
                    l.name
                )));
            }
            append(
                c,
                backend,
                actor,
                Change::new(Action::Update, "community_project", id)
                    .before(json!({"participant_case": case_id})),
            )?;
            crate::cases::log::note(
                c,
                backend,
                case_id,
                actor,
                "community",
                &format!("no longer takes part in {}", l.name),
            )?;
            Ok(())
        })
    }
}
