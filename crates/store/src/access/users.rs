//! User accounts: created from the console or invited by an administrator, disabled,
//! reset, moved between roles. Password hashes never leave this module; every change is
//! in the audit trail (without the hash).

use crate::access::offices::Id;
use crate::audit::{Change, append};
use crate::db::sql::Sql;
use crate::{Actor, Backend, DbConnection, Store, StoreError};
use diesel::QueryableByName;
use diesel::sql_types::{BigInt, Bool, Nullable, Text};
use homeward_domain::FieldError;
use homeward_domain::access::{Authorized, ManageUsers, Role};
use homeward_domain::account::Email;
use homeward_domain::audit::Action;
use homeward_domain::credentials::{password, secret};
use serde_json::json;

/// How long an invitation or reset link works.
pub const LINK_HOURS: i64 = 72;

#[derive(Debug, Clone, QueryableByName)]
pub(crate) struct UserRow {
    #[diesel(sql_type = BigInt)]
    pub id: i64,
    #[diesel(sql_type = Text)]
    pub email: String,
    #[diesel(sql_type = Text)]
    pub name: String,
    #[diesel(sql_type = BigInt)]
    pub office_id: i64,
    #[diesel(sql_type = Text)]
    pub role: String,
    #[diesel(sql_type = Nullable<Text>)]
    pub password_hash: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    pub totp_secret: Option<String>,
    #[diesel(sql_type = Bool)]
    pub totp_enabled: bool,
    #[diesel(sql_type = Nullable<BigInt>)]
    pub totp_last_step: Option<i64>,
    #[diesel(sql_type = Nullable<Text>)]
    pub disabled_at: Option<String>,
}

const USER_COLUMNS: &str = "id, email, name, office_id, role, password_hash, totp_secret, \
                            totp_enabled, totp_last_step, disabled_at";

/// [`USER_COLUMNS`] of `users u`, for queries that join it.
pub(crate) const USER_COLUMNS_OF_U: &str = "u.id, u.email, u.name, u.office_id, u.role, \
    u.password_hash, u.totp_secret, u.totp_enabled, u.totp_last_step, u.disabled_at";

/// An account as pages show it: no secrets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub office_id: i64,
    pub role: Role,
    pub disabled: bool,
    pub totp_enabled: bool,
    pub has_password: bool,
}

impl UserRow {
    pub(crate) fn role(&self) -> Role {
        // The column only ever holds codes written from `Role`; an unknown one (from a
        // newer version) gets the narrowest role.
        self.role.parse().unwrap_or(Role::Partner)
    }

    fn public(&self) -> User {
        User {
            id: self.id,
            email: self.email.clone(),
            name: self.name.clone(),
            office_id: self.office_id,
            role: self.role(),
            disabled: self.disabled_at.is_some(),
            totp_enabled: self.totp_enabled,
            has_password: self.password_hash.is_some(),
        }
    }

    fn json(&self) -> serde_json::Value {
        json!({
            "email": self.email, "name": self.name, "office_id": self.office_id,
            "role": self.role, "disabled": self.disabled_at.is_some(),
            "totp_enabled": self.totp_enabled,
        })
    }
}

pub(crate) fn by_id(
    conn: &mut DbConnection,
    backend: Backend,
    id: i64,
) -> Result<Option<UserRow>, StoreError> {
    let mut q = Sql::new(backend);
    q.push(&format!("SELECT {USER_COLUMNS} FROM users WHERE id = "))
        .int(id);
    Ok(q.load(conn)?.into_iter().next())
}

pub(crate) fn by_email(
    conn: &mut DbConnection,
    backend: Backend,
    email: &str,
) -> Result<Option<UserRow>, StoreError> {
    let mut q = Sql::new(backend);
    q.push(&format!("SELECT {USER_COLUMNS} FROM users WHERE email = "))
        .text(email.trim().to_lowercase());
    Ok(q.load(conn)?.into_iter().next())
}

/// One account as others may see it.
pub(crate) fn user(c: &mut DbConnection, backend: Backend, id: i64) -> Result<User, StoreError> {
    Ok(must(by_id(c, backend, id)?, id)?.public())
}

fn must(row: Option<UserRow>, id: i64) -> Result<UserRow, StoreError> {
    row.ok_or_else(|| StoreError::NotFound(format!("user {id}")))
}

/// A new account as entered.
#[derive(Debug, Clone)]
pub struct NewUser {
    pub email: Email,
    pub name: String,
    pub office_id: i64,
    pub role: Role,
}

fn insert(
    conn: &mut DbConnection,
    backend: Backend,
    actor: &Actor,
    u: &NewUser,
    password_hash: Option<String>,
) -> Result<i64, StoreError> {
    if by_email(conn, backend, u.email.as_str())?.is_some() {
        return Err(StoreError::conflict(
            "email",
            format!("{} already has an account", u.email),
        ));
    }
    crate::access::offices::all(conn, backend)?
        .iter()
        .find(|o| o.id == u.office_id)
        .ok_or_else(|| StoreError::conflict("office", "choose an existing office"))?;
    let mut q = Sql::new(backend);
    q.push("INSERT INTO users (email, name, office_id, role, password_hash, totp_enabled, created_at) VALUES (")
        .text(u.email.as_str())
        .push(", ")
        .text(u.name.clone())
        .push(", ")
        .int(u.office_id)
        .push(", ")
        .text(u.role.code())
        .push(", ")
        .opt_text(password_hash)
        .push(", ")
        .bool(false)
        .push(", ")
        .text(crate::utc_now())
        .push(") RETURNING id");
    let id = q
        .load::<Id>(conn)?
        .into_iter()
        .next()
        .map(|r| r.id)
        .ok_or_else(|| StoreError::NotFound("the new user".into()))?;
    append(
        conn,
        backend,
        actor,
        Change::new(Action::Create, "user", id).after(json!({
            "email": u.email.as_str(), "name": u.name, "office_id": u.office_id,
            "role": u.role.code(),
        })),
    )?;
    Ok(id)
}

/// A one-time link's secret, stored as a digest.
fn new_link(
    conn: &mut DbConnection,
    backend: Backend,
    user_id: i64,
    purpose: &str,
) -> Result<String, StoreError> {
    let token = secret::new_token("");
    let mut q = Sql::new(backend);
    q.push("INSERT INTO user_links (token_hash, user_id, purpose, expires_at) VALUES (")
        .text(secret::digest(&token))
        .push(", ")
        .int(user_id)
        .push(", ")
        .text(purpose)
        .push(", ")
        .text(crate::clock::utc_after(LINK_HOURS * 3600))
        .push(")");
    q.execute(conn)?;
    Ok(token)
}

#[derive(QueryableByName)]
struct LinkRow {
    #[diesel(sql_type = BigInt)]
    user_id: i64,
    #[diesel(sql_type = Text)]
    purpose: String,
}

fn live_link(
    conn: &mut DbConnection,
    backend: Backend,
    token: &str,
) -> Result<Option<LinkRow>, StoreError> {
    let mut q = Sql::new(backend);
    q.push("SELECT user_id, purpose FROM user_links WHERE token_hash = ")
        .text(secret::digest(token))
        .push(" AND used_at IS NULL AND expires_at > ")
        .text(crate::utc_now());
    Ok(q.load(conn)?.into_iter().next())
}

/// Ends every session and API token of a user (disable, reset).
pub(crate) fn cut_off(
    conn: &mut DbConnection,
    backend: Backend,
    user_id: i64,
) -> Result<(), StoreError> {
    let mut s = Sql::new(backend);
    s.push("DELETE FROM sessions WHERE user_id = ").int(user_id);
    s.execute(conn)?;
    let mut t = Sql::new(backend);
    t.push("UPDATE api_tokens SET revoked_at = ")
        .text(crate::utc_now())
        .push(" WHERE revoked_at IS NULL AND user_id = ")
        .int(user_id);
    t.execute(conn)?;
    Ok(())
}

fn policy_inputs(u: &UserRow) -> [&str; 2] {
    [u.email.as_str(), u.name.as_str()]
}

impl Store {
    /// Creates an account from the server's console with a password (already checked
    /// against the policy by the caller, or generated).
    pub fn add_user_console(&self, u: &NewUser, pw: &str) -> Result<i64, StoreError> {
        password::check_policy(pw, &[u.email.as_str(), &u.name]).map_err(field_conflict)?;
        let hash = password::hash(pw).map_err(StoreError::Hash)?;
        self.write(|c| insert(c, self.backend(), &Actor::console(), u, Some(hash.clone())))
    }

    /// Sets a demo account's password, creating the account if needed; for `serve --demo`.
    pub fn upsert_demo_user(&self, u: &NewUser, pw: &str) -> Result<i64, StoreError> {
        let hash = password::hash(pw).map_err(StoreError::Hash)?;
        self.write(|c| {
            let backend = self.backend();
            match by_email(c, backend, u.email.as_str())? {
                Some(row) => {
                    let mut q = Sql::new(backend);
                    q.push("UPDATE users SET password_hash = ")
                        .text(hash.clone())
                        .push(", disabled_at = NULL WHERE id = ")
                        .int(row.id);
                    q.execute(c)?;
                    Ok(row.id)
                }
                None => insert(c, backend, &Actor::console(), u, Some(hash.clone())),
            }
        })
    }

    /// Creates an account without a password and returns the invitation secret for the
    /// link the person uses to choose one.
    pub fn invite_user(
        &self,
        _auth: &Authorized<ManageUsers>,
        actor: &Actor,
        u: &NewUser,
    ) -> Result<(i64, String), StoreError> {
        self.write(|c| {
            let backend = self.backend();
            let id = insert(c, backend, actor, u, None)?;
            let token = new_link(c, backend, id, "invite")?;
            Ok((id, token))
        })
    }

    pub fn users(&self, _auth: &Authorized<ManageUsers>) -> Result<Vec<User>, StoreError> {
        self.read(|c| {
            let mut q = Sql::new(self.backend());
            q.push(&format!("SELECT {USER_COLUMNS} FROM users ORDER BY email"));
            Ok(q.load::<UserRow>(c)?.iter().map(UserRow::public).collect())
        })
    }

    /// The active users of an office, for assigning its cases.
    /// The active users of an office whose role may work on cases: those a case can be
    /// assigned to.
    pub fn office_users(
        &self,
        _auth: &Authorized<homeward_domain::access::AssignCases>,
        office_id: i64,
    ) -> Result<Vec<User>, StoreError> {
        self.read(|c| assignable(c, self.backend(), office_id))
    }

    /// One account, for its owner's own pages.
    pub fn user(&self, id: i64) -> Result<User, StoreError> {
        self.read(|c| user(c, self.backend(), id))
    }

    pub fn user_by_email(&self, email: &str) -> Result<Option<User>, StoreError> {
        self.read(|c| Ok(by_email(c, self.backend(), email)?.map(|u| u.public())))
    }

    /// Moves a user to another role or office.
    pub fn set_user_role(
        &self,
        _auth: &Authorized<ManageUsers>,
        actor: &Actor,
        id: i64,
        role: Role,
        office_id: i64,
    ) -> Result<(), StoreError> {
        self.write(|c| {
            let backend = self.backend();
            let before = must(by_id(c, backend, id)?, id)?;
            crate::access::offices::all(c, backend)?
                .iter()
                .find(|o| o.id == office_id)
                .ok_or_else(|| StoreError::conflict("office", "choose an existing office"))?;
            let mut q = Sql::new(backend);
            q.push("UPDATE users SET role = ")
                .text(role.code())
                .push(", office_id = ")
                .int(office_id)
                .push(" WHERE id = ")
                .int(id);
            q.execute(c)?;
            let after = must(by_id(c, backend, id)?, id)?;
            append(
                c,
                backend,
                actor,
                Change::new(Action::PermissionChange, "user", id)
                    .before(before.json())
                    .after(after.json()),
            )?;
            Ok(())
        })
    }

    /// Disables (or re-enables) an account; disabling ends its sessions and tokens.
    pub fn set_user_disabled(
        &self,
        _auth: &Authorized<ManageUsers>,
        actor: &Actor,
        id: i64,
        disabled: bool,
    ) -> Result<(), StoreError> {
        if disabled && actor.user_id == Some(id) {
            return Err(StoreError::conflict(
                "user",
                "you cannot disable your own account",
            ));
        }
        self.write(|c| {
            let backend = self.backend();
            let before = must(by_id(c, backend, id)?, id)?;
            let mut q = Sql::new(backend);
            q.push("UPDATE users SET disabled_at = ")
                .opt_text(disabled.then(crate::utc_now))
                .push(" WHERE id = ")
                .int(id);
            q.execute(c)?;
            if disabled {
                cut_off(c, backend, id)?;
            }
            let after = must(by_id(c, backend, id)?, id)?;
            append(
                c,
                backend,
                actor,
                Change::new(Action::Update, "user", id)
                    .before(before.json())
                    .after(after.json()),
            )?;
            Ok(())
        })
    }

    /// Clears a user's password and one-time codes, ends their sessions and tokens, and
    /// returns the secret for a link to choose a new password.
    pub fn reset_user(
        &self,
        _auth: &Authorized<ManageUsers>,
        actor: &Actor,
        id: i64,
    ) -> Result<String, StoreError> {
        self.write(|c| {
            let backend = self.backend();
            let before = must(by_id(c, backend, id)?, id)?;
            let mut q = Sql::new(backend);
            q.push(
                "UPDATE users SET password_hash = NULL, totp_secret = NULL, totp_last_step = NULL, totp_enabled = ",
            )
            .bool(false)
            .push(" WHERE id = ")
            .int(id);
            q.execute(c)?;
            let mut r = Sql::new(backend);
            r.push("DELETE FROM recovery_codes WHERE user_id = ").int(id);
            r.execute(c)?;
            cut_off(c, backend, id)?;
            let token = new_link(c, backend, id, "reset")?;
            let after = must(by_id(c, backend, id)?, id)?;
            append(
                c,
                backend,
                actor,
                Change::new(Action::Update, "user", id)
                    .before(before.json())
                    .after(json!({"password": "reset", "state": after.json()})),
            )?;
            Ok(token)
        })
    }

    /// The account an invitation or reset link is for, while the link is unused and fresh.
    pub fn link_user(&self, token: &str) -> Result<Option<User>, StoreError> {
        self.read(|c| {
            let backend = self.backend();
            match live_link(c, backend, token)? {
                Some(l) => Ok(by_id(c, backend, l.user_id)?.map(|u| u.public())),
                None => Ok(None),
            }
        })
    }

    /// Sets the password through a link, once.
    pub fn use_link(&self, token: &str, new_password: &str, ip: &str) -> Result<i64, StoreError> {
        self.write(|c| {
            let backend = self.backend();
            let link = live_link(c, backend, token)?.ok_or_else(|| {
                StoreError::NotFound("this link (it was used or has expired)".into())
            })?;
            let user = must(by_id(c, backend, link.user_id)?, link.user_id)?;
            password::check_policy(new_password, &policy_inputs(&user)).map_err(field_conflict)?;
            let hash = password::hash(new_password).map_err(StoreError::Hash)?;
            let mut q = Sql::new(backend);
            q.push("UPDATE users SET password_hash = ")
                .text(hash)
                .push(" WHERE id = ")
                .int(user.id);
            q.execute(c)?;
            let mut u = Sql::new(backend);
            u.push("UPDATE user_links SET used_at = ")
                .text(crate::utc_now())
                .push(" WHERE token_hash = ")
                .text(secret::digest(token));
            u.execute(c)?;
            let actor = Actor {
                user_id: Some(user.id),
                label: user.email.clone(),
                ip: ip.to_owned(),
            };
            append(
                c,
                backend,
                &actor,
                Change::new(Action::Update, "user", user.id)
                    .after(json!({"password": "set", "through": link.purpose})),
            )?;
            Ok(user.id)
        })
    }

    /// Changes one's own password, proving the current one; other sessions end.
    pub fn change_password(
        &self,
        actor: &Actor,
        user_id: i64,
        current: &str,
        new_password: &str,
        keep_session: &str,
    ) -> Result<(), StoreError> {
        let user = self.read(|c| must(by_id(c, self.backend(), user_id)?, user_id))?;
        let ok = user
            .password_hash
            .as_deref()
            .is_some_and(|h| password::verify(current, h));
        if !ok {
            return Err(StoreError::conflict(
                "current_password",
                "is not your current password",
            ));
        }
        password::check_policy(new_password, &policy_inputs(&user)).map_err(field_conflict)?;
        let hash = password::hash(new_password).map_err(StoreError::Hash)?;
        self.write(|c| {
            let backend = self.backend();
            let mut q = Sql::new(backend);
            q.push("UPDATE users SET password_hash = ")
                .text(hash.clone())
                .push(" WHERE id = ")
                .int(user_id);
            q.execute(c)?;
            let mut s = Sql::new(backend);
            s.push("DELETE FROM sessions WHERE user_id = ")
                .int(user_id)
                .push(" AND token_hash <> ")
                .text(secret::digest(keep_session));
            s.execute(c)?;
            append(
                c,
                backend,
                actor,
                Change::new(Action::Update, "user", user_id).after(json!({"password": "changed"})),
            )?;
            Ok(())
        })
    }
}

pub(crate) fn field_conflict(e: FieldError) -> StoreError {
    StoreError::Conflict {
        field: e.field,
        message: e.reason,
    }
}

/// The active users of an office whose role holds `case.write`, by email.
pub(crate) fn assignable(
    c: &mut DbConnection,
    backend: Backend,
    office_id: i64,
) -> Result<Vec<User>, StoreError> {
    let mut q = Sql::new(backend);
    q.push(&format!(
        "SELECT {USER_COLUMNS} FROM users WHERE disabled_at IS NULL AND office_id = "
    ))
    .int(office_id)
    .push(" ORDER BY email");
    let users: Vec<User> = q.load::<UserRow>(c)?.iter().map(UserRow::public).collect();
    let writers: Vec<homeward_domain::access::Role> =
        crate::access::roles::all_settings(c, backend)?
            .into_iter()
            .filter(|r| r.grants.has(homeward_domain::access::Permission::CaseWrite))
            .map(|r| r.role)
            .collect();
    Ok(users
        .into_iter()
        .filter(|u| writers.contains(&u.role))
        .collect())
}
