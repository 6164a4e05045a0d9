//! Who may do what: user accounts, offices, roles and their permissions, signing in with a
//! password and one-time codes, sessions shared by every app server, throttling of failed
//! sign-ins, and API tokens.

pub mod auth;
pub mod offices;
pub mod roles;
pub mod sessions;
pub mod throttle;
pub mod tokens;
pub mod users;

use crate::db::sql::Sql;
use crate::{Backend, DbConnection, StoreError};
use diesel::QueryableByName;
use homeward_domain::access::{Principal, Via};

/// A user's row, and the version of [`crate::lookups`] it was read at (for the role's
/// grants).
#[derive(QueryableByName)]
pub(crate) struct PrincipalRow {
    #[diesel(embed)]
    user: users::UserRow,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    lookups_version: i64,
}

/// The columns of a [`PrincipalRow`] for the user `u` of a query.
pub(crate) fn principal_columns() -> String {
    format!("{}, {}", users::USER_COLUMNS_OF_U, crate::lookups::VERSION)
}

impl PrincipalRow {
    /// The principal, and whether they still have to set up one-time codes; None for a
    /// disabled account. The role's grants are those of the lookups at the row's version.
    pub(crate) fn principal(
        self,
        conn: &mut DbConnection,
        backend: Backend,
        lookups: &crate::lookups::LookupCache,
        via: Via,
    ) -> Result<Option<(Principal, bool)>, StoreError> {
        let u = self.user;
        if u.disabled_at.is_some() {
            return Ok(None);
        }
        let role = u.role();
        let l = lookups.at(conn, backend, self.lookups_version, |_| true)?;
        let must_enrol = !u.totp_enabled && l.requires_totp(role);
        Ok(Some((
            Principal::new(u.id, u.office_id, role, u.email, l.grants(role), via),
            must_enrol,
        )))
    }
}

/// The principal a user acts as, and whether they still have to set up one-time codes.
/// None for a disabled account.
pub(crate) fn principal_of(
    conn: &mut DbConnection,
    backend: Backend,
    lookups: &crate::lookups::LookupCache,
    user_id: i64,
    via: Via,
) -> Result<Option<(Principal, bool)>, StoreError> {
    let mut q = Sql::new(backend);
    q.push(&format!(
        "SELECT {} FROM users u WHERE u.id = ",
        principal_columns()
    ))
    .int(user_id);
    match q.load::<PrincipalRow>(conn)?.into_iter().next() {
        Some(row) => row.principal(conn, backend, lookups, via),
        None => Ok(None),
    }
}
