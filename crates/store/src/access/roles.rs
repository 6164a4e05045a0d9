//! What each role may do, as stored. A new database gets the domain's defaults; an
//! administrator's change is recorded as a permission change in the audit trail.

use crate::audit::{Change, append};
use crate::db::sql::Sql;
use crate::{Actor, Backend, DbConnection, Store, StoreError};
use diesel::QueryableByName;
use diesel::sql_types::{Bool, Text};
use homeward_domain::access::{Authorized, Grants, ManageRoles, Permission, Role};
use homeward_domain::audit::Action;
use serde_json::json;

#[derive(QueryableByName)]
struct GrantRow {
    #[diesel(sql_type = Text)]
    permission: String,
    #[diesel(sql_type = Text)]
    scope: String,
}

#[derive(QueryableByName)]
struct RoleRow {
    #[diesel(sql_type = Text)]
    code: String,
    #[diesel(sql_type = Bool)]
    require_totp: bool,
}

/// A role as an administrator sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoleSettings {
    pub role: Role,
    pub grants: Grants,
    pub require_totp: bool,
}

fn grants_json(g: &Grants) -> serde_json::Value {
    g.iter()
        .map(|(p, s)| (p.code().to_owned(), json!(s.code())))
        .collect::<serde_json::Map<_, _>>()
        .into()
}

pub(crate) fn grants_of(
    conn: &mut DbConnection,
    backend: Backend,
    role: Role,
) -> Result<Grants, StoreError> {
    let mut q = Sql::new(backend);
    q.push("SELECT permission, scope FROM role_permissions WHERE role = ")
        .text(role.code());
    let mut g = Grants::new();
    for r in q.load::<GrantRow>(conn)? {
        g.insert_codes(&r.permission, &r.scope);
    }
    Ok(g)
}

fn write_grants(
    conn: &mut DbConnection,
    backend: Backend,
    role: Role,
    g: &Grants,
) -> Result<(), StoreError> {
    let mut del = Sql::new(backend);
    del.push("DELETE FROM role_permissions WHERE role = ")
        .text(role.code());
    del.execute(conn)?;
    for (p, s) in g.iter() {
        let mut ins = Sql::new(backend);
        ins.push("INSERT INTO role_permissions (role, permission, scope) VALUES (")
            .text(role.code())
            .push(", ")
            .text(p.code())
            .push(", ")
            .text(s.code())
            .push(")");
        ins.execute(conn)?;
    }
    Ok(())
}

pub(crate) fn all_settings(
    conn: &mut DbConnection,
    backend: Backend,
) -> Result<Vec<RoleSettings>, StoreError> {
    let mut q = Sql::new(backend);
    q.push("SELECT code, require_totp FROM roles");
    let rows = q.load::<RoleRow>(conn)?;
    let mut out = Vec::new();
    for role in Role::ALL {
        let require_totp = rows.iter().any(|r| r.code == role.code() && r.require_totp);
        out.push(RoleSettings {
            role: *role,
            grants: grants_of(conn, backend, *role)?,
            require_totp,
        });
    }
    Ok(out)
}

impl Store {
    /// Gives every role the domain's default grants if the database has never heard of it.
    pub(crate) fn ensure_roles(&self) -> Result<(), StoreError> {
        self.write(|c| {
            let backend = self.backend();
            let mut q = Sql::new(backend);
            q.push("SELECT code, require_totp FROM roles");
            let known: Vec<String> = q.load::<RoleRow>(c)?.into_iter().map(|r| r.code).collect();
            for role in Role::ALL {
                if known.iter().any(|k| k == role.code()) {
                    continue;
                }
                let mut ins = Sql::new(backend);
                ins.push("INSERT INTO roles (code, require_totp) VALUES (")
                    .text(role.code())
                    .push(", ")
                    .bool(false)
                    .push(")");
                ins.execute(c)?;
                write_grants(c, backend, *role, &Grants::default_for(*role))?;
            }
            Ok(())
        })
    }

    pub fn role_settings(&self) -> Result<Vec<RoleSettings>, StoreError> {
        self.read(|c| all_settings(c, self.backend()))
    }

    /// Replaces what a role may do and whether it must use a one-time code.
    pub fn set_role(
        &self,
        _auth: &Authorized<ManageRoles>,
        actor: &Actor,
        role: Role,
        grants: &Grants,
        require_totp: bool,
    ) -> Result<(), StoreError> {
        if role == Role::Administrator
            && !(grants.has(Permission::RolesManage) && grants.has(Permission::UsersManage))
        {
            return Err(StoreError::conflict(
                "permissions",
                "the administrator role must keep roles.manage and users.manage, or no one could undo this",
            ));
        }
        self.write(|c| {
            let backend = self.backend();
            let before = all_settings(c, backend)?
                .into_iter()
                .find(|s| s.role == role)
                .ok_or_else(|| StoreError::NotFound(format!("role {role}")))?;
            write_grants(c, backend, role, grants)?;
            let mut up = Sql::new(backend);
            up.push("UPDATE roles SET require_totp = ")
                .bool(require_totp)
                .push(" WHERE code = ")
                .text(role.code());
            up.execute(c)?;
            append(
                c,
                backend,
                actor,
                Change::new(Action::PermissionChange, "role", role.code())
                    .before(json!({"permissions": grants_json(&before.grants), "require_totp": before.require_totp}))
                    .after(json!({"permissions": grants_json(grants), "require_totp": require_totp})),
            )?;
            Ok(())
        })
    }
}
