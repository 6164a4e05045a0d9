//! The cookies Homeward sets: the session, the short-lived session between password and
//! one-time code, and the pre-session token that protects the sign-in form itself.
//! All are HttpOnly and SameSite=Lax; Secure unless the server runs on plain HTTP on
//! the loopback address (see `serve --secure-cookies`).

use axum::http::{HeaderMap, header};

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
