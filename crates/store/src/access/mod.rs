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
use homeward_domain::access::{Principal, Role, Via};
use users::by_id;

/// The principal a user acts as, and whether they still have to set up one-time codes.
/// None for a disabled account.
pub(crate) fn principal_of(
    conn: &mut DbConnection,
    backend: Backend,
    user_id: i64,
    via: Via,
) -> Result<Option<(Principal, bool)>, StoreError> {
    let Some(u) = by_id(conn, backend, user_id)? else {
        return Ok(None);
    };
    if u.disabled_at.is_some() {
        return Ok(None);
    }
    let role = u.role();
    let grants = roles::grants_of(conn, backend, role)?;
    let must_enrol = !u.totp_enabled && role_requires_totp(conn, backend, role)?;
    Ok(Some((
        Principal::new(u.id, u.office_id, role, u.email, grants, via),
        must_enrol,
    )))
}

/// One query for the one role, not the whole role table: this runs on every request.
fn role_requires_totp(
    conn: &mut DbConnection,
    backend: Backend,
    role: Role,
) -> Result<bool, StoreError> {
    #[derive(diesel::QueryableByName)]
    struct RequireTotp {
        #[diesel(sql_type = diesel::sql_types::Bool)]
        require_totp: bool,
    }
    let mut q = Sql::new(backend);
    q.push("SELECT require_totp FROM roles WHERE code = ")
        .text(role.code());
    Ok(q.load::<RequireTotp>(conn)?
        .first()
        .is_some_and(|r| r.require_totp))
}
