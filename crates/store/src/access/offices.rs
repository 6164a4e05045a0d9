//! Offices: IOM missions, government agencies and partner organisations. Every user
//! belongs to one; cases are owned by them.

use crate::audit::{Change, append};
use crate::db::sql::Sql;
use crate::{Actor, DbConnection, Store, StoreError};
use diesel::QueryableByName;
use diesel::sql_types::{BigInt, Text};
use homeward_domain::access::{Authorized, ManageOffices};
use homeward_domain::account::OfficeDraft;
use homeward_domain::audit::Action;
use serde_json::json;

#[derive(Debug, Clone, PartialEq, Eq, QueryableByName)]
pub struct Office {
    #[diesel(sql_type = BigInt)]
    pub id: i64,
    #[diesel(sql_type = Text)]
    pub name: String,
    #[diesel(sql_type = Text)]
    pub country: String,
    #[diesel(sql_type = Text)]
    pub kind: String,
}

impl Office {
    fn json(&self) -> serde_json::Value {
        json!({"name": self.name, "country": self.country, "kind": self.kind})
    }
}

fn draft_json(d: &OfficeDraft) -> serde_json::Value {
    json!({"name": d.name, "country": d.country.as_str(), "kind": d.kind.code()})
}

#[derive(QueryableByName)]
pub(crate) struct Id {
    #[diesel(sql_type = BigInt)]
    pub id: i64,
}

pub(crate) fn all(
    conn: &mut DbConnection,
    backend: crate::Backend,
) -> Result<Vec<Office>, StoreError> {
    let mut q = Sql::new(backend);
    q.push("SELECT id, name, country, kind FROM offices ORDER BY name");
    Ok(q.load(conn)?)
}

/// Office `id`, or a refusal of `field` when there is no such office.
pub(crate) fn find(
    conn: &mut DbConnection,
    backend: crate::Backend,
    id: i64,
    field: &str,
) -> Result<Office, StoreError> {
    let mut q = Sql::new(backend);
    q.push("SELECT id, name, country, kind FROM offices WHERE id = ")
        .int(id);
    q.load::<Office>(conn)?
        .into_iter()
        .next()
        .ok_or_else(|| StoreError::conflict(field, "choose an existing office"))
}

fn name_taken(
    conn: &mut DbConnection,
    backend: crate::Backend,
    name: &str,
    except: Option<i64>,
) -> Result<bool, StoreError> {
    Ok(all(conn, backend)?
        .iter()
        .any(|o| Some(o.id) != except && o.name.eq_ignore_ascii_case(name)))
}

/// Adds an office without an access check: for the console and demo data.
pub(crate) fn insert(
    conn: &mut DbConnection,
    backend: crate::Backend,
    actor: &Actor,
    d: &OfficeDraft,
) -> Result<i64, StoreError> {
    if name_taken(conn, backend, &d.name, None)? {
        return Err(StoreError::conflict(
            "name",
            format!("an office is already called {:?}", d.name),
        ));
    }
    let mut q = Sql::new(backend);
    q.push("INSERT INTO offices (name, country, kind, created_at) VALUES (")
        .text(d.name.clone())
        .push(", ")
        .text(d.country.as_str())
        .push(", ")
        .text(d.kind.code())
        .push(", ")
        .text(crate::utc_now())
        .push(") RETURNING id");
    let id = q
        .load::<Id>(conn)?
        .into_iter()
        .next()
        .map(|r| r.id)
        .ok_or_else(|| StoreError::NotFound("the new office".into()))?;
    append(
        conn,
        backend,
        actor,
        Change::new(Action::Create, "office", id).after(draft_json(d)),
    )?;
    Ok(id)
}

impl Store {
    /// Every office, by name. Not protected: office names appear on case pages and
    /// sign-in is needed to reach any page that lists them.
    pub fn offices(&self) -> Result<Vec<Office>, StoreError> {
        self.read(|c| all(c, self.backend()))
    }

    pub fn office(&self, id: i64) -> Result<Office, StoreError> {
        self.offices()?
            .into_iter()
            .find(|o| o.id == id)
            .ok_or_else(|| StoreError::NotFound(format!("office {id}")))
    }

    pub fn office_by_name(&self, name: &str) -> Result<Option<Office>, StoreError> {
        Ok(self
            .offices()?
            .into_iter()
            .find(|o| o.name.eq_ignore_ascii_case(name.trim())))
    }

    pub fn add_office(
        &self,
        _auth: &Authorized<ManageOffices>,
        actor: &Actor,
        d: &OfficeDraft,
    ) -> Result<i64, StoreError> {
        self.write(|c| insert(c, self.backend(), actor, d))
    }

    /// Adds an office from the server's console (first run, demo data).
    pub fn add_office_console(&self, d: &OfficeDraft) -> Result<i64, StoreError> {
        self.write(|c| insert(c, self.backend(), &Actor::console(), d))
    }

    pub fn update_office(
        &self,
        _auth: &Authorized<ManageOffices>,
        actor: &Actor,
        id: i64,
        d: &OfficeDraft,
    ) -> Result<(), StoreError> {
        self.write(|c| {
            let backend = self.backend();
            let before = all(c, backend)?
                .into_iter()
                .find(|o| o.id == id)
                .ok_or_else(|| StoreError::NotFound(format!("office {id}")))?;
            if name_taken(c, backend, &d.name, Some(id))? {
                return Err(StoreError::conflict(
                    "name",
                    format!("an office is already called {:?}", d.name),
                ));
            }
            let mut q = Sql::new(backend);
            q.push("UPDATE offices SET name = ")
                .text(d.name.clone())
                .push(", country = ")
                .text(d.country.as_str())
                .push(", kind = ")
                .text(d.kind.code())
                .push(" WHERE id = ")
                .int(id);
            q.execute(c)?;
            append(
                c,
                backend,
                actor,
                Change::new(Action::Update, "office", id)
                    .before(before.json())
                    .after(draft_json(d)),
            )?;
            Ok(())
        })
    }
}
