//! Community projects: kept under their funding project and their office, with the
//! returnees (by case) and community members (counted) who take part. Anyone may read a
//! project and its counts; only who may read a returnee's case sees that they take part.
//! Changes need `community.manage` over the project's office and are audited.

use crate::activity_parts::{self, Expense, Output};
use crate::audit::{Change, append};
use crate::sql::Sql;
use crate::{Actor, Backend, DbConnection, Store, StoreError};
use diesel::QueryableByName;
use diesel::sql_types::{BigInt, Nullable, Text};
use homeward_domain::access::{Authorized, Capability, CaseFacts, ManageCommunity, ReadCases};
use homeward_domain::audit::Action;
use homeward_domain::community::activity::Level;
use homeward_domain::community::project::{CommunityProjectDraft, MemberCounts, SEXES};
use homeward_domain::dashboard::AgeGroup;
use homeward_domain::date::Ymd;
use serde_json::json;

/// A community project as listed.
#[derive(Debug, Clone, PartialEq, Eq, QueryableByName)]
pub struct CommunityLine {
    #[diesel(sql_type = BigInt)]
    pub id: i64,
    #[diesel(sql_type = Text)]
    pub name: String,
    #[diesel(sql_type = BigInt)]
    pub project_id: i64,
    /// The funding project's public id (Projects ID, else Prima ID).
    #[diesel(sql_type = Text)]
    pub project_code: String,
    #[diesel(sql_type = Text)]
    pub project_title: String,
    #[diesel(sql_type = BigInt)]
    pub office_id: i64,
    #[diesel(sql_type = Text)]
    pub office_name: String,
    #[diesel(sql_type = Text)]
    pub country: String,
    #[diesel(sql_type = Text)]
    pub area: String,
    #[diesel(sql_type = Text)]
    pub place: String,
    #[diesel(sql_type = Text)]
    pub partner: String,
    #[diesel(sql_type = Nullable<Text>)]
    pub start_on: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    pub end_on: Option<String>,
    #[diesel(sql_type = Text)]
    pub status: String,
    #[diesel(sql_type = Text)]
    pub description: String,
    #[diesel(sql_type = BigInt)]
    pub version: i64,
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
    /// Outputs achieved (with a date).
    #[diesel(sql_type = BigInt)]
    pub outputs_achieved: i64,
    /// Spent, in USD minor units.
    #[diesel(sql_type = BigInt)]
    pub spent_usd_minor: i64,
}

/// A community project with its parts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommunityProject {
    pub line: CommunityLine,
    pub members: MemberCounts,
    pub outputs: Vec<Output>,
    pub expenses: Vec<Expense>,
    pub pools: Vec<crate::pools::PoolLine>,
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

/// What a list of community projects may be narrowed to.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CommunityFilter {
    pub country: Option<String>,
    pub project_id: Option<i64>,
}

pub(crate) const PROJECT_CODE: &str = "COALESCE(p.projects_id, p.prima_id, p.iati_identifier, '')";

fn select() -> String {
    format!(
        "SELECT cp.id, cp.name, cp.project_id, {PROJECT_CODE} AS project_code, p.title AS project_title, \
         cp.office_id, o.name AS office_name, cp.country, cp.area, cp.place, cp.partner, cp.start_on, \
         cp.end_on, cp.status, cp.description, cp.version, \
         (SELECT COUNT(*) FROM community_participants x WHERE x.community_project_id = cp.id) AS returnees, \
         CAST((SELECT COALESCE(SUM(m.n), 0) FROM community_members m WHERE m.community_project_id = cp.id) AS BIGINT) AS members, \
         CAST((SELECT COALESCE(SUM(m.n), 0) FROM community_members m WHERE m.community_project_id = cp.id \
         AND m.sex = 'female') AS BIGINT) AS members_female, \
         CAST((SELECT COALESCE(SUM(m.n), 0) FROM community_members m WHERE m.community_project_id = cp.id \
         AND m.sex = 'male') AS BIGINT) AS members_male, \
         CAST((SELECT COALESCE(SUM(m.n), 0) FROM community_members m WHERE m.community_project_id = cp.id \
         AND m.sex = 'other') AS BIGINT) AS members_other, \
         (SELECT COUNT(*) FROM activity_outputs x WHERE x.level = 'community' AND x.activity_id = cp.id \
         AND x.achieved_on IS NOT NULL) AS outputs_achieved, \
         CAST((SELECT COALESCE(SUM(e.usd_minor), 0) FROM activity_expenses e WHERE e.level = 'community' \
         AND e.activity_id = cp.id) AS BIGINT) AS spent_usd_minor \
         FROM community_projects cp JOIN projects p ON p.id = cp.project_id JOIN offices o ON o.id = cp.office_id"
    )
}

/// Whether the proof reaches what office `office_id` runs.
pub(crate) fn reaches<C: Capability>(
    auth: &Authorized<C>,
    office_id: i64,
) -> Result<(), StoreError> {
    let facts = CaseFacts {
        owning_office: office_id,
        ..Default::default()
    };
    if auth.covers(&facts) {
        Ok(())
    } else {
        Err(StoreError::Forbidden(
            "this is run by another office; ask its staff".into(),
        ))
    }
}

pub(crate) fn office_exists(
    c: &mut DbConnection,
    backend: Backend,
    id: i64,
) -> Result<(), StoreError> {
    #[derive(QueryableByName)]
    struct N {
        #[diesel(sql_type = BigInt)]
        n: i64,
    }
    let mut q = Sql::new(backend);
    q.push("SELECT COUNT(*) AS n FROM offices WHERE id = ")
        .int(id);
    if q.load::<N>(c)?.first().is_some_and(|r| r.n > 0) {
        Ok(())
    } else {
        Err(StoreError::conflict("office", "choose an existing office"))
    }
}

fn line(c: &mut DbConnection, backend: Backend, id: i64) -> Result<CommunityLine, StoreError> {
    let mut q = Sql::new(backend);
    q.push(&select()).push(" WHERE cp.id = ").int(id);
    q.load::<CommunityLine>(c)?
        .into_iter()
        .next()
        .ok_or_else(|| StoreError::NotFound(format!("community project {id}")))
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

fn draft_json(d: &CommunityProjectDraft) -> serde_json::Value {
    json!({
        "name": d.name, "project_id": d.project_id, "office_id": d.office_id,
        "country": d.country.as_str(), "area": d.area, "place": d.place, "partner": d.partner,
        "start_on": d.start_on.map(|x| x.to_string()), "end_on": d.end_on.map(|x| x.to_string()),
        "status": d.status.code(), "description": d.description,
    })
}

impl Store {
    /// Adds a community project (`id` none) or changes one read at `version`.
    pub fn save_community_project(
        &self,
        auth: &Authorized<ManageCommunity>,
        actor: &Actor,
        id: Option<(i64, i64)>,
        d: &CommunityProjectDraft,
    ) -> Result<i64, StoreError> {
        let backend = self.backend();
        reaches(auth, d.office_id)?;
        self.write(|c| {
            crate::packages::project_exists(c, backend, d.project_id)?;
            office_exists(c, backend, d.office_id)?;
            let now = crate::utc_now();
            let opt = |x: Option<Ymd>| x.map(|d| d.to_string());
            match id {
                None => {
                    let mut q = Sql::new(backend);
                    q.push(
                        "INSERT INTO community_projects (project_id, office_id, name, country, area, \
                         place, partner, start_on, end_on, status, description, created_by, created_at, \
                         updated_at) VALUES (",
                    )
                    .int(d.project_id)
                    .push(", ")
                    .int(d.office_id)
                    .push(", ")
                    .text(d.name.clone())
                    .push(", ")
                    .text(d.country.as_str())
                    .push(", ")
                    .text(d.area.clone())
                    .push(", ")
                    .text(d.place.clone())
                    .push(", ")
                    .text(d.partner.clone())
                    .push(", ")
                    .opt_text(opt(d.start_on))
                    .push(", ")
                    .opt_text(opt(d.end_on))
                    .push(", ")
                    .text(d.status.code())
                    .push(", ")
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
                        Change::new(Action::Create, "community_project", new).after(draft_json(d)),
                    )?;
                    Ok(new)
                }
                Some((id, version)) => {
                    let before = line(c, backend, id)?;
                    reaches(auth, before.office_id)?;
                    crate::activity_parts::check_version(&before.name, version, before.version)?;
                    let mut q = Sql::new(backend);
                    q.push("UPDATE community_projects SET project_id = ")
                        .int(d.project_id)
                        .push(", office_id = ")
                        .int(d.office_id)
                        .push(", name = ")
                        .text(d.name.clone())
                        .push(", country = ")
                        .text(d.country.as_str())
                        .push(", area = ")
                        .text(d.area.clone())
                        .push(", place = ")
                        .text(d.place.clone())
                        .push(", partner = ")
                        .text(d.partner.clone())
                        .push(", start_on = ")
                        .opt_text(opt(d.start_on))
                        .push(", end_on = ")
                        .opt_text(opt(d.end_on))
                        .push(", status = ")
                        .text(d.status.code())
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
                        Change::new(Action::Update, "community_project", id)
                            .before(json!({"name": before.name, "status": before.status, "version": before.version}))
                            .after(draft_json(d)),
                    )?;
                    Ok(id)
                }
            }
        })
    }

    /// Community projects, newest first, narrowed by country or funding project.
    pub fn community_projects(
        &self,
        f: &CommunityFilter,
    ) -> Result<Vec<CommunityLine>, StoreError> {
        self.read(|c| {
            let mut q = Sql::new(self.backend());
            q.push(&select()).push(" WHERE 1 = 1");
            if let Some(cc) = &f.country {
                q.push(" AND cp.country = ").text(cc.clone());
            }
            if let Some(p) = f.project_id {
                q.push(" AND cp.project_id = ").int(p);
            }
            q.push(" ORDER BY cp.start_on DESC, cp.id DESC");
            Ok(q.load(c)?)
        })
    }

    /// One community project with its counts, outputs, spending and pools.
    pub fn community_project(&self, id: i64) -> Result<CommunityProject, StoreError> {
        let backend = self.backend();
        self.read(|c| {
            Ok(CommunityProject {
                line: line(c, backend, id)?,
                members: members(c, backend, id)?,
                outputs: activity_parts::outputs(c, backend, Level::Community, id)?,
                expenses: activity_parts::expenses(c, backend, Level::Community, id)?,
                pools: crate::pools::pools_of(c, backend, id)?,
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
            reaches(auth, l.office_id)?;
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
            crate::bulk::insert_rows(
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
            reaches(auth, l.office_id)?;
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
            crate::case_log::note(
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
            reaches(auth, l.office_id)?;
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
            crate::case_log::note(
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
