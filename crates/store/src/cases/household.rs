//! The returnee's household: the members who return or live with them, by name, relation,
//! sex and year of birth.

use crate::audit::{Change, append};
use crate::cases::load_covered;
use crate::cases::log;
use crate::db::sql::Sql;
use crate::{Actor, Backend, DbConnection, Store, StoreError};
use diesel::QueryableByName;
use diesel::sql_types::{BigInt, Nullable, Text};
use homeward_domain::access::{Authorized, WriteCases};
use homeward_domain::audit::Action;
use homeward_domain::case::HouseholdMember;
use serde_json::json;

#[derive(QueryableByName)]
struct MemberRow {
    #[diesel(sql_type = BigInt)]
    id: i64,
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = Text)]
    relation: String,
    #[diesel(sql_type = Text)]
    sex: String,
    #[diesel(sql_type = Nullable<BigInt>)]
    birth_year: Option<i64>,
}

/// A household member with its row id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredMember {
    pub id: i64,
    pub member: HouseholdMember,
}

pub(crate) fn household_of(
    c: &mut DbConnection,
    backend: Backend,
    returnee_id: i64,
) -> Result<Vec<StoredMember>, StoreError> {
    let mut q = Sql::new(backend);
    q.push(
        "SELECT id, name, relation, sex, CAST(birth_year AS BIGINT) AS birth_year \
         FROM household_members WHERE returnee_id = ",
    )
    .int(returnee_id)
    .push(" ORDER BY id");
    Ok(q.load::<MemberRow>(c)?
        .into_iter()
        .filter_map(|r| {
            Some(StoredMember {
                id: r.id,
                member: HouseholdMember {
                    name: r.name,
                    relation: r.relation.parse().ok()?,
                    sex: r.sex.parse().ok()?,
                    birth_year: r.birth_year.and_then(|y| i32::try_from(y).ok()),
                },
            })
        })
        .collect())
}

impl Store {
    /// Adds a member to the returnee's household.
    pub fn add_household_member(
        &self,
        auth: &Authorized<WriteCases>,
        actor: &Actor,
        id: i64,
        m: &HouseholdMember,
    ) -> Result<i64, StoreError> {
        self.write(|c| {
            let backend = self.backend();
            let case = load_covered(c, backend, auth, id)?;
            let mut q = Sql::new(backend);
            q.push(
                "INSERT INTO household_members (returnee_id, name, relation, sex, birth_year, \
                 created_at) VALUES (",
            )
            .int(case.returnee_id)
            .push(", ")
            .text(m.name.clone())
            .push(", ")
            .text(m.relation.code())
            .push(", ")
            .text(m.sex.code())
            .push(", ")
            .opt_int(m.birth_year.map(i64::from))
            .push(", ")
            .text(crate::utc_now())
            .push(") RETURNING id");
            let member = q.insert_id(c)?;
            log::note(c, backend, id, actor, "household_added", m.relation.code())?;
            append(
                c,
                backend,
                actor,
                Change::new(Action::Create, "household_member", member).after(
                    json!({"returnee_id": case.returnee_id, "name": m.name, "relation": m.relation.code()}),
                ),
            )?;
            Ok(member)
        })
    }

    /// Removes a household member entered by mistake.
    pub fn remove_household_member(
        &self,
        auth: &Authorized<WriteCases>,
        actor: &Actor,
        id: i64,
        member_id: i64,
    ) -> Result<(), StoreError> {
        self.write(|c| {
            let backend = self.backend();
            let case = load_covered(c, backend, auth, id)?;
            let mut q = Sql::new(backend);
            q.push("DELETE FROM household_members WHERE id = ")
                .int(member_id)
                .push(" AND returnee_id = ")
                .int(case.returnee_id);
            if q.execute(c)? == 0 {
                return Err(StoreError::NotFound(format!(
                    "household member {member_id}"
                )));
            }
            log::note(c, backend, id, actor, "household_removed", "")?;
            append(
                c,
                backend,
                actor,
                Change::new(Action::Delete, "household_member", member_id)
                    .before(json!({"returnee_id": case.returnee_id})),
            )?;
            Ok(())
        })
    }
}
