//! The cookies Homeward sets: the session, the short-lived session between password and
//! one-time code, and the pre-session token that protects the sign-in form itself.
//! All are HttpOnly and SameSite=Lax; Secure unless the server runs on plain HTTP on
//! the loopback address (see `serve --secure-cookies`).

use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::Response;

pub const SESSION: &str = "hw_session";
pub const PENDING: &str = "hw_pending";
pub const PRE_SESSION: &str = "hw_pre";

/// A cookie's value from the request, if sent.
pub fn get(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|c| c.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_owned())
        .filter(|v| !v.is_empty())
}

/// `Set-Cookie` for a value that lives `max_age` seconds (or the browser session).
pub fn set(name: &str, value: &str, max_age: Option<i64>, secure: bool) -> String {
    let mut c = format!("{name}={value}; Path=/; HttpOnly; SameSite=Lax");
    if let Some(age) = max_age {
        c.push_str(&format!("; Max-Age={age}"));
    }
    if secure {
        c.push_str("; Secure");
    }
    c
}

/// `Set-Cookie` that removes a cookie.
pub fn clear(name: &str, secure: bool) -> String {
    set(name, "", Some(0), secure)
}

/// The pre-session token for a form shown before sign-in: the one the browser already
/// holds, or a new one.
pub struct PreSession {
    pub token: String,
    new: bool,
}

impl PreSession {
    pub fn of(headers: &HeaderMap) -> PreSession {
        match get(headers, PRE_SESSION) {
            Some(token) => PreSession { token, new: false },
            None => PreSession {
                token: homeward_domain::credentials::secret::new_token(""),
                new: true,
            },
        }
    }

    /// Gives the browser the token if it did not have it.
    pub fn attach(&self, res: &mut Response, secure: bool) {
        if self.new
            && let Ok(v) = HeaderValue::from_str(&set(PRE_SESSION, &self.token, Some(3600), secure))
        {
            res.headers_mut().insert(header::SET_COOKIE, v);
        }
    }
}
