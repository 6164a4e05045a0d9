//! Editable reference lists: IDF regions and project types. Seeded by the migrations with
//! the values of the published records; extended by administrators and by imports.

use super::{ListEntry, RefList};
use crate::catalogue::entries;
use crate::db::sql::Sql;
use crate::{DbConnection, Store, StoreError};

/// The id of `name` in the list, adding it if it is new. Names compare without regard to
/// case, so "Europe" and "europe" are one region.
pub(crate) fn ensure_entry(
    conn: &mut DbConnection,
    backend: crate::Backend,
    which: RefList,
    name: &str,
) -> Result<i64, StoreError> {
    let find = |conn: &mut DbConnection| -> Result<Option<i64>, StoreError> {
        let mut q = Sql::new(backend);
        q.push(&format!(
            "SELECT id, name FROM {} WHERE LOWER(name) = LOWER(",
            which.table()
        ))
        .text(name)
        .push(")");
        Ok(q.load::<ListEntry>(conn)?.into_iter().next().map(|e| e.id))
    };
    if let Some(id) = find(conn)? {
        return Ok(id);
    }
    let mut ins = Sql::new(backend);
    ins.push(&format!("INSERT INTO {} (name) VALUES (", which.table()))
        .text(name.trim())
        .push(")");
    ins.execute(conn)?;
    find(conn)?.ok_or_else(|| StoreError::NotFound(format!("{} {name:?}", which.field())))
}

fn clean_name(which: RefList, name: &str) -> Result<String, StoreError> {
    let t = name.trim();
    if t.is_empty() || t.chars().count() > 120 {
        return Err(StoreError::conflict(
            which.field(),
            "a name must have 1 to 120 characters",
        ));
    }
    Ok(t.to_owned())
}

impl Store {
    pub fn list_entries(&self, which: RefList) -> Result<Vec<ListEntry>, StoreError> {
        self.read(|c| entries(c, self.backend(), which))
    }

    /// Adds a value to a list (or returns the one already there).
    pub fn add_list_entry(&self, which: RefList, name: &str) -> Result<i64, StoreError> {
        let name = clean_name(which, name)?;
        self.write(|c| ensure_entry(c, self.backend(), which, &name))
    }

    /// Renames a value; every project using it shows the new name.
    pub fn rename_list_entry(&self, which: RefList, id: i64, name: &str) -> Result<(), StoreError> {
        let name = clean_name(which, name)?;
        self.write(|c| {
            let taken = entries(c, self.backend(), which)?
                .into_iter()
                .any(|e| e.id != id && e.name.eq_ignore_ascii_case(&name));
            if taken {
                return Err(StoreError::conflict(
                    which.field(),
                    format!("{name:?} is already in the list"),
                ));
            }
            let mut q = Sql::new(self.backend());
            q.push(&format!("UPDATE {} SET name = ", which.table()))
                .text(name.clone())
                .push(" WHERE id = ")
                .int(id);
            match q.execute(c)? {
                0 => Err(StoreError::NotFound(format!("{} {id}", which.field()))),
                _ => crate::catalogue::facets::bump(c, self.backend()),
            }
        })
    }
}
