//! API tokens for integrations: made by a user for themself, holding a subset of their
//! permissions, with an expiry; stored as digests, shown once, revocable. A token never
//! holds more than its owner's role holds now.

use crate::access::offices::Id;
use crate::audit::{Change, append};
use crate::db::sql::Sql;
use crate::{Actor, Store, StoreError};
use diesel::QueryableByName;
use diesel::sql_types::{BigInt, Nullable, Text};
use homeward_domain::access::{Permission, Principal, Via};
use homeward_domain::audit::Action;
use homeward_domain::credentials::secret;
use serde_json::json;

/// Tokens start with this, so a leaked one is recognisable (and scanners can find it).
pub const PREFIX: &str = "hw_";
pub const MAX_DAYS: i64 = 366;

#[derive(Debug, Clone, QueryableByName)]
pub struct ApiToken {
    #[diesel(sql_type = BigInt)]
    pub id: i64,
    #[diesel(sql_type = BigInt)]
    pub user_id: i64,
    #[diesel(sql_type = Text)]
    pub name: String,
    /// Permission codes, comma-separated.
    #[diesel(sql_type = Text)]
    pub permissions: String,
    #[diesel(sql_type = Text)]
    pub created_at: String,
    #[diesel(sql_type = Text)]
    pub expires_at: String,
    #[diesel(sql_type = Nullable<Text>)]
    pub revoked_at: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    pub last_used_at: Option<String>,
}

impl ApiToken {
    pub fn permission_list(&self) -> Vec<Permission> {
        self.permissions
            .split(',')
            .filter_map(|p| p.parse().ok())
            .collect()
    }

    pub fn is_live(&self) -> bool {
        self.revoked_at.is_none() && self.expires_at > crate::utc_now()
    }
}

const COLUMNS: &str =
    "id, user_id, name, permissions, created_at, expires_at, revoked_at, last_used_at";

impl Store {
    /// Creates a token for the principal's own account; returns its id and the secret,
    /// which is not kept and cannot be shown again.
    pub fn create_token(
        &self,
        owner: &Principal,
        actor: &Actor,
        name: &str,
        permissions: &[Permission],
        days: i64,
    ) -> Result<(i64, String), StoreError> {
        let name = name.trim();
        if name.is_empty() || name.chars().count() > 80 {
            return Err(StoreError::conflict("name", "must have 1 to 80 characters"));
        }
        if permissions.is_empty() {
            return Err(StoreError::conflict("permissions", "choose at least one"));
        }
        if let Some(p) = permissions.iter().find(|p| !owner.can(**p)) {
            return Err(StoreError::conflict(
                "permissions",
                format!("{} is not among your own permissions", p.code()),
            ));
        }
        if !(1..=MAX_DAYS).contains(&days) {
            return Err(StoreError::conflict(
                "days",
                format!("must be 1 to {MAX_DAYS}"),
            ));
        }
        let token = secret::new_token(PREFIX);
        let codes: Vec<&str> = permissions.iter().map(|p| p.code()).collect();
        let codes = codes.join(",");
        self.write(|c| {
            let backend = self.backend();
            let mut q = Sql::new(backend);
            q.push("INSERT INTO api_tokens (user_id, name, token_hash, permissions, created_at, expires_at) VALUES (")
                .int(owner.user_id())
                .push(", ")
                .text(name)
                .push(", ")
                .text(secret::digest(&token))
                .push(", ")
                .text(codes.clone())
                .push(", ")
                .text(crate::utc_now())
                .push(", ")
                .text(crate::clock::utc_after(days * 86_400))
                .push(") RETURNING id");
            let id = q
                .load::<Id>(c)?
                .into_iter()
                .next()
                .map(|r| r.id)
                .ok_or_else(|| StoreError::NotFound("the new token".into()))?;
            append(
                c,
                backend,
                actor,
                Change::new(Action::Create, "token", id)
                    .after(json!({"name": name, "permissions": codes, "days": days})),
            )?;
            Ok((id, token.clone()))
        })
    }

    pub fn tokens_of(&self, user_id: i64) -> Result<Vec<ApiToken>, StoreError> {
        self.read(|c| {
            let mut q = Sql::new(self.backend());
            q.push(&format!(
                "SELECT {COLUMNS} FROM api_tokens WHERE user_id = "
            ))
            .int(user_id)
            .push(" ORDER BY id DESC");
            Ok(q.load(c)?)
        })
    }

    /// Revokes one of the user's own tokens.
    pub fn revoke_token(&self, actor: &Actor, user_id: i64, id: i64) -> Result<(), StoreError> {
        self.write(|c| {
            let mut q = Sql::new(self.backend());
            q.push("UPDATE api_tokens SET revoked_at = ")
                .text(crate::utc_now())
                .push(" WHERE revoked_at IS NULL AND id = ")
                .int(id)
                .push(" AND user_id = ")
                .int(user_id);
            if q.execute(c)? == 0 {
                return Err(StoreError::NotFound(format!("token {id}")));
            }
            append(
                c,
                self.backend(),
                actor,
                Change::new(Action::Delete, "token", id),
            )?;
            Ok(())
        })
    }

    /// The principal a bearer token acts as: its owner, limited to the token's
    /// permissions and to what the owner's role holds now.
    pub fn token_principal(&self, token: &str) -> Result<Option<Principal>, StoreError> {
        if !token.starts_with(PREFIX) {
            return Ok(None);
        }
        let backend = self.backend();
        let digest = secret::digest(token);
        // The token and its owner's principal, on one connection.
        let found = self.read(|c| {
            let mut q = Sql::new(backend);
            q.push(&format!(
                "SELECT {COLUMNS} FROM api_tokens WHERE token_hash = "
            ))
            .text(digest.clone());
            let Some(t) = q
                .load::<ApiToken>(c)?
                .into_iter()
                .next()
                .filter(ApiToken::is_live)
            else {
                return Ok(None);
            };
            let owner =
                super::principal_of(c, backend, &self.lookups, t.user_id, Via::Token(t.id))?;
            Ok(Some((t, owner)))
        })?;
        let Some((t, owner)) = found else {
            return Ok(None);
        };
        let stale = t
            .last_used_at
            .as_deref()
            .and_then(crate::clock::parse_unix)
            .is_none_or(|at| crate::clock::unix_now() as i64 - at >= 60);
        if stale {
            self.write(|c| {
                let mut q = Sql::new(backend);
                q.push("UPDATE api_tokens SET last_used_at = ")
                    .text(crate::utc_now())
                    .push(" WHERE id = ")
                    .int(t.id);
                q.execute(c)?;
                Ok(())
            })?;
        }
        Ok(owner.map(|(p, _)| p.restricted_to(&t.permission_list())))
    }
}
