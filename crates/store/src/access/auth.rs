//! Signing in and out: password, throttling, the optional one-time code, recovery codes,
//! and the principal a user acts as. Every outcome is in the audit trail.

use super::principal_of;
use crate::access::sessions::{NewSession, Stage, create, delete};
use crate::access::throttle::{attempt_key, keys};
use crate::access::users::{UserRow, by_email, by_id};
use crate::audit::{Change, append};
use crate::db::sql::Sql;
use crate::{Actor, Backend, DbConnection, Store, StoreError};
use homeward_domain::access::{Principal, Via};
use homeward_domain::audit::Action;
use homeward_domain::credentials::{password, secret, totp};
use serde_json::json;

/// How many recovery codes a user gets at a time.
pub const RECOVERY_CODES: usize = 10;

/// What a sign-in attempt led to. `Refused` is the same whether the email exists or not.
#[derive(Debug)]
pub enum SignIn {
    Done(NewSession),
    /// The password was right; a one-time code must follow on this pending session.
    NeedsCode(NewSession),
    Refused,
    /// Too many failures; try again in this many minutes.
    Throttled(i64),
}

fn actor_of(u: &UserRow, ip: &str) -> Actor {
    Actor {
        user_id: Some(u.id),
        label: u.email.clone(),
        ip: ip.to_owned(),
    }
}

fn failed(
    conn: &mut DbConnection,
    backend: Backend,
    email: &str,
    ip: &str,
    reason: &str,
) -> Result<(), StoreError> {
    crate::access::throttle::fail(conn, backend, &keys(email, ip))?;
    append(
        conn,
        backend,
        &Actor::anonymous(email.trim(), ip),
        Change::new(Action::SignInFailed, "account", email.trim().to_lowercase())
            .after(json!({"reason": reason})),
    )?;
    Ok(())
}

fn consume_recovery_code(
    conn: &mut DbConnection,
    backend: Backend,
    user_id: i64,
    typed: &str,
) -> Result<bool, StoreError> {
    let digest = secret::digest(&secret::normalize_code(typed));
    let mut q = Sql::new(backend);
    q.push("UPDATE recovery_codes SET used_at = ")
        .text(crate::utc_now())
        .push(" WHERE used_at IS NULL AND user_id = ")
        .int(user_id)
        .push(" AND code_hash = ")
        .text(digest);
    Ok(q.execute(conn)? == 1)
}

fn new_recovery_codes(
    conn: &mut DbConnection,
    backend: Backend,
    user_id: i64,
) -> Result<Vec<String>, StoreError> {
    let mut del = Sql::new(backend);
    del.push("DELETE FROM recovery_codes WHERE user_id = ")
        .int(user_id);
    del.execute(conn)?;
    let codes: Vec<String> = (0..RECOVERY_CODES)
        .map(|_| secret::recovery_code())
        .collect();
    for code in &codes {
        let mut ins = Sql::new(backend);
        ins.push("INSERT INTO recovery_codes (user_id, code_hash) VALUES (")
            .int(user_id)
            .push(", ")
            .text(secret::digest(&secret::normalize_code(code)))
            .push(")");
        ins.execute(conn)?;
    }
    Ok(codes)
}

impl Store {
    /// Checks an email and password. Unknown emails cost the same time as wrong passwords
    /// and get the same answer.
    pub fn sign_in(
        &self,
        email: &str,
        pw: &str,
        ip: &str,
        user_agent: &str,
    ) -> Result<SignIn, StoreError> {
        let backend = self.backend();
        let keys = keys(email, ip);
        if let Some(until) =
            self.read(|c| crate::access::throttle::locked_until(c, backend, &keys))?
        {
            password::verify_dummy(pw);
            self.write(|c| {
                append(
                    c,
                    backend,
                    &Actor::anonymous(email.trim(), ip),
                    Change::new(Action::SignInFailed, "account", email.trim().to_lowercase())
                        .after(json!({"reason": "throttled"})),
                )
            })?;
            return Ok(SignIn::Throttled(
                crate::access::throttle::minutes_until(&until).max(1),
            ));
        }
        let user = self.read(|c| by_email(c, backend, email))?;
        // Hashing happens outside any transaction: it is the slow part.
        let ok = match user.as_ref().and_then(|u| u.password_hash.as_deref()) {
            Some(h) => password::verify(pw, h),
            None => {
                password::verify_dummy(pw);
                false
            }
        };
        let user = match user {
            Some(u) if ok && u.disabled_at.is_none() => u,
            Some(u) if ok => {
                self.write(|c| failed(c, backend, &u.email, ip, "account disabled"))?;
                return Ok(SignIn::Refused);
            }
            _ => {
                self.write(|c| failed(c, backend, email, ip, "wrong email or password"))?;
                return Ok(SignIn::Refused);
            }
        };
        self.write(|c| {
            crate::access::throttle::clear(c, backend, &attempt_key(&user.email, ip))?;
            if user.totp_enabled {
                return Ok(SignIn::NeedsCode(create(
                    c,
                    backend,
                    user.id,
                    Stage::SecondFactor,
                    ip,
                    user_agent,
                )?));
            }
            let s = create(c, backend, user.id, Stage::Full, ip, user_agent)?;
            append(
                c,
                backend,
                &actor_of(&user, ip),
                Change::new(Action::SignIn, "user", user.id).after(json!({"method": "password"})),
            )?;
            Ok(SignIn::Done(s))
        })
    }

    /// Completes a sign-in with a one-time code or a recovery code. The pending session
    /// is replaced by a new one (new secret, new CSRF token).
    pub fn second_factor(
        &self,
        pending: &str,
        code: &str,
        ip: &str,
        user_agent: &str,
    ) -> Result<SignIn, StoreError> {
        let backend = self.backend();
        let Some(info) = self.session(pending)? else {
            return Ok(SignIn::Refused);
        };
        if info.stage != Stage::SecondFactor {
            return Ok(SignIn::Refused);
        }
        let user = self.read(|c| by_id(c, backend, info.user_id))?;
        let Some(user) = user else {
            return Ok(SignIn::Refused);
        };
        let keys = keys(&user.email, ip);
        if let Some(until) =
            self.read(|c| crate::access::throttle::locked_until(c, backend, &keys))?
        {
            return Ok(SignIn::Throttled(
                crate::access::throttle::minutes_until(&until).max(1),
            ));
        }
        self.write(|c| {
            let step = user.totp_secret.as_deref().and_then(|s| {
                totp::accept(
                    s,
                    code,
                    crate::clock::unix_now(),
                    user.totp_last_step.map(|v| v as u64),
                )
            });
            let method = match step {
                Some(step) => {
                    let mut q = Sql::new(backend);
                    q.push("UPDATE users SET totp_last_step = ")
                        .int(step as i64)
                        .push(" WHERE id = ")
                        .int(user.id);
                    q.execute(c)?;
                    "one-time code"
                }
                None if consume_recovery_code(c, backend, user.id, code)? => "recovery code",
                None => {
                    failed(c, backend, &user.email, ip, "wrong one-time code")?;
                    return Ok(SignIn::Refused);
                }
            };
            delete(c, backend, pending)?;
            crate::access::throttle::clear(c, backend, &attempt_key(&user.email, ip))?;
            let s = create(c, backend, user.id, Stage::Full, ip, user_agent)?;
            append(
                c,
                backend,
                &actor_of(&user, ip),
                Change::new(Action::SignIn, "user", user.id).after(json!({"method": method})),
            )?;
            Ok(SignIn::Done(s))
        })
    }

    /// The principal a user acts as when the server's own console works for them (demo
    /// data, imports run by the operator). Never reachable from a request.
    pub fn console_principal(&self, user_id: i64) -> Result<Option<Principal>, StoreError> {
        self.read(|c| {
            Ok(
                principal_of(c, self.backend(), &self.lookups, user_id, Via::Console)?
                    .map(|(p, _)| p),
            )
        })
    }

    pub fn sign_out(&self, actor: &Actor, user_id: i64, token: &str) -> Result<(), StoreError> {
        self.write(|c| {
            delete(c, self.backend(), token)?;
            append(
                c,
                self.backend(),
                actor,
                Change::new(Action::SignOut, "user", user_id),
            )?;
            Ok(())
        })
    }

    /// Ends every session of the user, on every device.
    pub fn sign_out_everywhere(&self, actor: &Actor, user_id: i64) -> Result<(), StoreError> {
        self.write(|c| {
            let mut q = Sql::new(self.backend());
            q.push("DELETE FROM sessions WHERE user_id = ").int(user_id);
            let n = q.execute(c)?;
            append(
                c,
                self.backend(),
                actor,
                Change::new(Action::SignOutEverywhere, "user", user_id)
                    .after(json!({"sessions": n})),
            )?;
            Ok(())
        })
    }

    /// Starts setting up one-time codes: a new secret, not yet in force. Returns it.
    pub fn totp_begin(&self, user_id: i64) -> Result<String, StoreError> {
        let s = totp::new_secret();
        self.write(|c| {
            let mut q = Sql::new(self.backend());
            q.push("UPDATE users SET totp_secret = ")
                .text(s.clone())
                .push(" WHERE totp_enabled = ")
                .bool(false)
                .push(" AND id = ")
                .int(user_id);
            match q.execute(c)? {
                1 => Ok(s.clone()),
                _ => Err(StoreError::conflict(
                    "totp",
                    "one-time codes are already on; turn them off first",
                )),
            }
        })
    }

    /// The secret being set up, while codes are not yet on.
    pub fn totp_pending_secret(&self, user_id: i64) -> Result<Option<String>, StoreError> {
        let u = self.read(|c| by_id(c, self.backend(), user_id))?;
        Ok(u.filter(|u| !u.totp_enabled).and_then(|u| u.totp_secret))
    }

    /// Turns one-time codes on once the user proves their app shows the right code;
    /// returns fresh recovery codes to show once.
    pub fn totp_confirm(
        &self,
        actor: &Actor,
        user_id: i64,
        code: &str,
    ) -> Result<Vec<String>, StoreError> {
        self.write(|c| {
            let backend = self.backend();
            let u = by_id(c, backend, user_id)?
                .ok_or_else(|| StoreError::NotFound(format!("user {user_id}")))?;
            let secret = u.totp_secret.filter(|_| !u.totp_enabled).ok_or_else(|| {
                StoreError::conflict("code", "start setting up one-time codes first")
            })?;
            let step =
                totp::accept(&secret, code, crate::clock::unix_now(), None).ok_or_else(|| {
                    StoreError::conflict("code", "is not the code your app shows now")
                })?;
            let mut q = Sql::new(backend);
            q.push("UPDATE users SET totp_enabled = ")
                .bool(true)
                .push(", totp_last_step = ")
                .int(step as i64)
                .push(" WHERE id = ")
                .int(user_id);
            q.execute(c)?;
            let codes = new_recovery_codes(c, backend, user_id)?;
            append(
                c,
                backend,
                actor,
                Change::new(Action::Update, "user", user_id)
                    .before(json!({"totp_enabled": false}))
                    .after(json!({"totp_enabled": true, "recovery_codes": RECOVERY_CODES})),
            )?;
            Ok(codes)
        })
    }

    /// Replaces the recovery codes (the old ones stop working).
    pub fn new_recovery_codes(
        &self,
        actor: &Actor,
        user_id: i64,
    ) -> Result<Vec<String>, StoreError> {
        self.write(|c| {
            let codes = new_recovery_codes(c, self.backend(), user_id)?;
            append(
                c,
                self.backend(),
                actor,
                Change::new(Action::Update, "user", user_id)
                    .after(json!({"recovery_codes": "replaced"})),
            )?;
            Ok(codes)
        })
    }

    /// Turns one-time codes off, proving the password.
    pub fn totp_disable(&self, actor: &Actor, user_id: i64, pw: &str) -> Result<(), StoreError> {
        let backend = self.backend();
        let u = self
            .read(|c| by_id(c, backend, user_id))?
            .ok_or_else(|| StoreError::NotFound(format!("user {user_id}")))?;
        if !u
            .password_hash
            .as_deref()
            .is_some_and(|h| password::verify(pw, h))
        {
            return Err(StoreError::conflict(
                "password",
                "is not your current password",
            ));
        }
        self.write(|c| {
            let mut q = Sql::new(backend);
            q.push("UPDATE users SET totp_secret = NULL, totp_last_step = NULL, totp_enabled = ")
                .bool(false)
                .push(" WHERE id = ")
                .int(user_id);
            q.execute(c)?;
            let mut d = Sql::new(backend);
            d.push("DELETE FROM recovery_codes WHERE user_id = ")
                .int(user_id);
            d.execute(c)?;
            append(
                c,
                backend,
                actor,
                Change::new(Action::Update, "user", user_id)
                    .before(json!({"totp_enabled": true}))
                    .after(json!({"totp_enabled": false})),
            )?;
            Ok(())
        })
    }

    /// How many unused recovery codes the user has left.
    pub fn recovery_codes_left(&self, user_id: i64) -> Result<i64, StoreError> {
        self.read(|c| {
            let mut q = Sql::new(self.backend());
            q.push(
                "SELECT COUNT(*) AS id FROM recovery_codes WHERE used_at IS NULL AND user_id = ",
            )
            .int(user_id);
            Ok(q.load::<crate::access::offices::Id>(c)?
                .first()
                .map_or(0, |r| r.id))
        })
    }
}
