//! The project portfolio: projects saved and loaded whole, the public search with its facet
//! index, the editable reference lists, exchange rates to USD, and project indicators
//! counted from case data.

pub mod bindings;
pub mod facets;
pub mod projects;
pub mod rates;
pub mod reference;
pub mod search;

use crate::db::sql::Sql;
use crate::{DbConnection, StoreError};
use diesel::QueryableByName;
use diesel::sql_types::{BigInt, Text};
use std::collections::HashMap;

/// An editable reference list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefList {
    IdfRegions,
    ProjectTypes,
}

impl RefList {
    fn table(&self) -> &'static str {
        match self {
            RefList::IdfRegions => "idf_regions",
            RefList::ProjectTypes => "project_types",
        }
    }

    /// The field name in messages.
    pub fn field(&self) -> &'static str {
        match self {
            RefList::IdfRegions => "idf_region",
            RefList::ProjectTypes => "project_type",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, QueryableByName)]
pub struct ListEntry {
    #[diesel(sql_type = BigInt)]
    pub id: i64,
    #[diesel(sql_type = Text)]
    pub name: String,
}

/// Both lists by id, loaded once per request that needs names.
#[derive(Debug, Clone, Default)]
pub struct Lists {
    pub regions: HashMap<i64, String>,
    pub types: HashMap<i64, String>,
}

impl Lists {
    pub(crate) fn load(
        conn: &mut DbConnection,
        backend: crate::Backend,
    ) -> Result<Lists, StoreError> {
        let to_map = |v: Vec<ListEntry>| v.into_iter().map(|e| (e.id, e.name)).collect();
        Ok(Lists {
            regions: to_map(entries(conn, backend, RefList::IdfRegions)?),
            types: to_map(entries(conn, backend, RefList::ProjectTypes)?),
        })
    }

    pub(crate) fn ids_of(&self, which: RefList, names: &[String]) -> Vec<i64> {
        let map = match which {
            RefList::IdfRegions => &self.regions,
            RefList::ProjectTypes => &self.types,
        };
        map.iter()
            .filter(|(_, n)| names.iter().any(|w| w.eq_ignore_ascii_case(n)))
            .map(|(id, _)| *id)
            .collect()
    }
}

fn entries(
    conn: &mut DbConnection,
    backend: crate::Backend,
    which: RefList,
) -> Result<Vec<ListEntry>, StoreError> {
    let mut q = Sql::new(backend);
    q.push(&format!(
        "SELECT id, name FROM {} ORDER BY name",
        which.table()
    ));
    Ok(q.load(conn)?)
}

/// A project's country, as both the page query and the facet index read them.
#[derive(QueryableByName)]
pub(crate) struct CountryRow {
    #[diesel(sql_type = BigInt)]
    pub project_id: i64,
    #[diesel(sql_type = Text)]
    pub country_code: String,
}
