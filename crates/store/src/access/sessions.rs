//! Browser sessions, stored in the database so several app servers share them. The
//! cookie holds a random secret; the table holds only its digest. Each session carries
//! its own CSRF token.

use crate::db::sql::Sql;
use crate::{Backend, DbConnection, Store, StoreError};
use diesel::QueryableByName;
use diesel::sql_types::{BigInt, Text};
use homeward_domain::access::{Principal, Via};
use homeward_domain::credentials::secret;

/// A session ends after this long without a request ...
pub const IDLE_MINUTES: i64 = 120;
/// ... and this long after sign-in in any case.
pub const ABSOLUTE_HOURS: i64 = 12;
/// Time allowed between the password and the one-time code.
pub const SECOND_FACTOR_MINUTES: i64 = 5;
/// `last_seen_at` is written at most this often, so reading pages does not write.
const TOUCH_SECONDS: i64 = 60;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Signed in.
    Full,
    /// Password accepted, one-time code still to come: reaches nothing but the code form.
    SecondFactor,
}

impl Stage {
    fn code(&self) -> &'static str {
        match self {
            Stage::Full => "full",
            Stage::SecondFactor => "second_factor",
        }
    }
}

/// A new session's secrets, for the cookie and the forms.
#[derive(Debug, Clone)]
pub struct NewSession {
    pub token: String,
    pub csrf: String,
}

/// What a request learns from its session cookie.
#[derive(Debug, Clone)]
pub struct SessionInfo {
    pub user_id: i64,
    pub csrf: String,
    pub stage: Stage,
    /// The role requires one-time codes and the user has not set them up: only the
    /// set-up pages are open.
    pub must_enrol: bool,
    pub principal: Option<Principal>,
}

#[derive(QueryableByName)]
struct Row {
    #[diesel(sql_type = BigInt)]
    user_id: i64,
    #[diesel(sql_type = Text)]
    csrf: String,
    #[diesel(sql_type = Text)]
    stage: String,
    #[diesel(sql_type = Text)]
    last_seen_at: String,
}

/// A live session with the principal it signs in, read in one query.
#[derive(QueryableByName)]
struct Found {
    #[diesel(embed)]
    session: Row,
    #[diesel(embed)]
    principal: super::PrincipalRow,
}

pub(crate) fn create(
    conn: &mut DbConnection,
    backend: Backend,
    user_id: i64,
    stage: Stage,
    ip: &str,
    user_agent: &str,
) -> Result<NewSession, StoreError> {
    let token = secret::new_token("");
    let csrf = secret::new_token("");
    let now = crate::utc_now();
    let expires = match stage {
        Stage::Full => crate::clock::utc_after(ABSOLUTE_HOURS * 3600),
        Stage::SecondFactor => crate::clock::utc_after(SECOND_FACTOR_MINUTES * 60),
    };
    let mut q = Sql::new(backend);
    q.push(
        "INSERT INTO sessions (token_hash, user_id, csrf, stage, created_at, last_seen_at, \
         expires_at, ip, user_agent) VALUES (",
    )
    .text(secret::digest(&token))
    .push(", ")
    .int(user_id)
    .push(", ")
    .text(csrf.clone())
    .push(", ")
    .text(stage.code())
    .push(", ")
    .text(now.clone())
    .push(", ")
    .text(now)
    .push(", ")
    .text(expires)
    .push(", ")
    .text(ip.chars().take(64).collect::<String>())
    .push(", ")
    .text(user_agent.chars().take(200).collect::<String>())
    .push(")");
    q.execute(conn)?;
    Ok(NewSession { token, csrf })
}

pub(crate) fn delete(
    conn: &mut DbConnection,
    backend: Backend,
    token: &str,
) -> Result<(), StoreError> {
    let mut q = Sql::new(backend);
    q.push("DELETE FROM sessions WHERE token_hash = ")
        .text(secret::digest(token));
    q.execute(conn)?;
    Ok(())
}

impl Store {
    /// The live session behind a cookie, with the principal it signs in (none while the
    /// second factor is pending). Expired sessions are removed on the way.
    pub fn session(&self, token: &str) -> Result<Option<SessionInfo>, StoreError> {
        let backend = self.backend();
        let digest = secret::digest(token);
        let now = crate::utc_now();
        let idle_floor = crate::clock::utc_after(-IDLE_MINUTES * 60);
        // The session and the principal it signs in, on one connection.
        let mut q = Sql::new(backend);
        q.push(&format!(
            "SELECT s.user_id, s.csrf, s.stage, s.last_seen_at, {} \
             FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = ",
            super::principal_columns()
        ))
        .text(digest.clone())
        .push(" AND s.expires_at > ")
        .text(now.clone());
        // A session whose account was removed finds nothing, as one that ended.
        let found = self.read(|c| {
            let Some(found) = q.clone().load::<Found>(c)?.into_iter().next() else {
                return Ok(None);
            };
            let loaded = found
                .principal
                .principal(c, backend, &self.lookups, Via::Session)?;
            Ok(Some((found.session, loaded)))
        })?;
        let Some((row, loaded)) = found else {
            return Ok(None);
        };
        if row.last_seen_at < idle_floor {
            self.write(|c| delete(c, backend, token))?;
            return Ok(None);
        }
        let stale = crate::clock::parse_unix(&row.last_seen_at)
            .is_none_or(|t| crate::clock::unix_now() as i64 - t >= TOUCH_SECONDS);
        if stale {
            self.write(|c| {
                let mut q = Sql::new(backend);
                q.push("UPDATE sessions SET last_seen_at = ")
                    .text(now.clone())
                    .push(" WHERE token_hash = ")
                    .text(digest.clone());
                q.execute(c)?;
                Ok(())
            })?;
        }
        let stage = if row.stage == "full" {
            Stage::Full
        } else {
            Stage::SecondFactor
        };
        let Some((principal, must_enrol)) = loaded else {
            // The account was disabled or removed after the session began.
            return Ok(None);
        };
        Ok(Some(SessionInfo {
            user_id: row.user_id,
            csrf: row.csrf,
            stage,
            must_enrol,
            principal: (stage == Stage::Full).then_some(principal),
        }))
    }

    /// Ends one session (sign out).
    pub fn end_session(&self, token: &str) -> Result<(), StoreError> {
        self.write(|c| delete(c, self.backend(), token))
    }
}
