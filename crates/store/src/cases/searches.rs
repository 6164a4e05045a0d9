//! A person's saved searches of the caseload: a name and the list's filters as its
//! address holds them. Saving a name again replaces the search it named. Each person
//! sees and removes only their own.

use crate::db::sql::Sql;
use crate::{Store, StoreError};
use diesel::QueryableByName;
use diesel::sql_types::{BigInt, Text};

/// A saved search.
#[derive(Debug, Clone, PartialEq, Eq, QueryableByName)]
pub struct SavedSearch {
    #[diesel(sql_type = BigInt)]
    pub id: i64,
    #[diesel(sql_type = Text)]
    pub name: String,
    /// The list's query string, e.g. `view=office&stage=arrived`.
    #[diesel(sql_type = Text)]
    pub query: String,
}

impl Store {
    /// Saves `query` under `name` for user `user_id` (1 to 100 characters), replacing a
    /// search of the same name.
    pub fn save_search(&self, user_id: i64, name: &str, query: &str) -> Result<i64, StoreError> {
        let name = name.trim();
        if name.is_empty() || name.chars().count() > 100 {
            return Err(StoreError::conflict(
                "name",
                "give the search a name of 1 to 100 characters",
            ));
        }
        if query.len() > 2000 {
            return Err(StoreError::conflict(
                "query",
                "the search is too long to keep",
            ));
        }
        let backend = self.backend();
        self.write(|c| {
            let mut d = Sql::new(backend);
            d.push("DELETE FROM saved_searches WHERE user_id = ")
                .int(user_id)
                .push(" AND name = ")
                .text(name);
            d.execute(c)?;
            let mut q = Sql::new(backend);
            q.push("INSERT INTO saved_searches (user_id, name, query, created_at) VALUES (")
                .int(user_id)
                .push(", ")
                .text(name)
                .push(", ")
                .text(query)
                .push(", ")
                .text(crate::utc_now())
                .push(") RETURNING id");
            Ok(q.insert_id(c)?)
        })
    }

    /// User `user_id`'s saved searches, by name.
    pub fn saved_searches(&self, user_id: i64) -> Result<Vec<SavedSearch>, StoreError> {
        let backend = self.backend();
        self.read(|c| {
            let mut q = Sql::new(backend);
            q.push("SELECT id, name, query FROM saved_searches WHERE user_id = ")
                .int(user_id)
                .push(" ORDER BY name");
            Ok(q.load(c)?)
        })
    }

    /// Removes one of user `user_id`'s saved searches; another's is not found.
    pub fn delete_search(&self, user_id: i64, id: i64) -> Result<(), StoreError> {
        let backend = self.backend();
        self.write(|c| {
            let mut d = Sql::new(backend);
            d.push("DELETE FROM saved_searches WHERE user_id = ")
                .int(user_id)
                .push(" AND id = ")
                .int(id);
            match d.execute(c)? {
                0 => Err(StoreError::NotFound(format!("saved search {id}"))),
                _ => Ok(()),
            }
        })
    }
}
