//! The gate every route passes: it finds who is asking (session cookie or bearer token),
//! refuses cross-site form posts (CSRF), and applies the route's declared [`Access`]
//! before the handler runs. The route table in `routes.rs` gives every route a rule, so
//! no route can exist without one.

use super::access::Access;
use super::cookies;
use super::identity::{ClientIp, Identity, Waiting};
use crate::{AppState, blocking};
use axum::body::{Body, to_bytes};
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderMap, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use homeward_domain::credentials::secret;
use homeward_store::access::sessions::Stage;
use std::net::SocketAddr;

/// Forms are small; files come later with their own limit.
const FORM_LIMIT: usize = 1024 * 1024;
/// The largest upload (a document, the largest kind of file, with the form around it and
/// room for the refusal to name the document's own limit).
pub(crate) const UPLOAD_LIMIT: usize =
    homeward_domain::reintegration::documents::MAX_DOCUMENT_BYTES + 1024 * 1024;

/// What the gate of one route needs.
#[derive(Clone)]
pub struct GateConfig {
    pub state: AppState,
    pub access: Access,
    /// API routes answer 401/403 in JSON; pages redirect to the sign-in form.
    pub api: bool,
}

fn client_ip(req: &Request, trust_proxy: bool) -> String {
    if trust_proxy
        && let Some(fwd) = req
            .headers()
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(',').next())
    {
        return fwd.trim().chars().take(64).collect();
    }
    req.extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip().to_string())
        .unwrap_or_else(|| "unknown".into())
}

fn bearer(headers: &HeaderMap) -> Option<String> {
    let v = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = v.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim().to_owned())
}

enum Refusal {
    /// Not signed in (or the token is not valid).
    SignIn,
    /// Signed in, but the role must set up one-time codes first.
    Enrol,
    Forbidden(String),
    Csrf,
    /// Who is asking could not be found out (the database is away, for instance).
    Failed(crate::PageError),
}

fn refuse(r: Refusal, api: bool, uri: &axum::http::Uri) -> Response {
    use crate::{ApiError, PageError};
    match (r, api) {
        (Refusal::SignIn, true) => ApiError::Unauthorized.into_response(),
        (Refusal::SignIn, false) => {
            let next = uri.path_and_query().map(|p| p.as_str()).unwrap_or("/");
            Redirect::to(&crate::links::with_pairs("/signin", [("next", next)])).into_response()
        }
        (Refusal::Enrol, true) => {
            ApiError::Forbidden("set up one-time codes first".into()).into_response()
        }
        (Refusal::Enrol, false) => Redirect::to("/account/totp").into_response(),
        (Refusal::Forbidden(why), true) => ApiError::Forbidden(why).into_response(),
        (Refusal::Forbidden(why), false) => PageError::Forbidden(why).into_response(),
        (Refusal::Csrf, true) => ApiError::Forbidden(
            "missing or wrong CSRF token: send the session's token in the X-CSRF-Token header"
                .into(),
        )
        .into_response(),
        (Refusal::Csrf, false) => PageError::Csrf.into_response(),
        (Refusal::Failed(e), true) => ApiError::from(e).into_response(),
        (Refusal::Failed(e), false) => e.into_response(),
    }
}

async fn identify(
    state: &AppState,
    headers: &HeaderMap,
) -> Result<(Identity, bool), crate::PageError> {
    if let Some(token) = bearer(headers) {
        let store = state.store.clone();
        let p = blocking(move || store.token_principal(&token)).await??;
        return Ok((
            p.map(|principal| Identity::Token { principal })
                .unwrap_or(Identity::Anonymous),
            true,
        ));
    }
    let session = cookies::get(headers, cookies::SESSION);
    let pending = cookies::get(headers, cookies::PENDING);
    for token in [session, pending].into_iter().flatten() {
        let store = state.store.clone();
        let t = token.clone();
        let info = blocking(move || store.session(&t)).await??;
        let Some(info) = info else { continue };
        return Ok((
            match (info.stage, info.principal) {
                (Stage::Full, Some(principal)) => Identity::Session {
                    principal,
                    token,
                    csrf: info.csrf,
                    must_enrol: info.must_enrol,
                },
                _ => Identity::Pending {
                    token,
                    csrf: info.csrf,
                },
            },
            false,
        ));
    }
    Ok((Identity::Anonymous, false))
}

fn same_digest(a: &str, b: &str) -> bool {
    !a.is_empty() && secret::digest(a) == secret::digest(b)
}

/// The CSRF token a form or script sent: the `x-csrf-token` header, or the `_csrf` field
/// of a URL-encoded or multipart body (which is handed on to the handler unchanged).
async fn sent_csrf(req: Request) -> Result<(Option<String>, Request), Refusal> {
    if let Some(h) = req
        .headers()
        .get("x-csrf-token")
        .and_then(|v| v.to_str().ok())
    {
        let h = h.to_owned();
        return Ok((Some(h), req));
    }
    let (parts, body) = req.into_parts();
    let content_type = parts
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    let multipart = content_type.starts_with("multipart/form-data");
    let limit = if multipart { UPLOAD_LIMIT } else { FORM_LIMIT };
    let bytes = to_bytes(body, limit).await.map_err(|_| {
        Refusal::Forbidden(format!(
            "the form is too large: files of at most {} MB are accepted",
            homeward_domain::reintegration::documents::MAX_DOCUMENT_BYTES / (1024 * 1024)
        ))
    })?;
    let token = if multipart {
        multipart_csrf(&content_type, bytes.clone()).await
    } else {
        form_urlencoded::parse(&bytes)
            .find(|(k, _)| k == "_csrf")
            .map(|(_, v)| v.into_owned())
    };
    Ok((token, Request::from_parts(parts, Body::from(bytes))))
}

/// The `_csrf` field of a file upload (a `multipart/form-data` body), read from a copy so
/// the handler still gets the whole body.
async fn multipart_csrf(content_type: &str, bytes: axum::body::Bytes) -> Option<String> {
    use axum::extract::{FromRequest, Multipart};
    let probe = Request::builder()
        .header(header::CONTENT_TYPE, content_type)
        .body(Body::from(bytes))
        .ok()?;
    let mut form = Multipart::from_request(probe, &()).await.ok()?;
    while let Ok(Some(field)) = form.next_field().await {
        if field.name() == Some("_csrf") {
            return field.text().await.ok();
        }
    }
    None
}

/// A browser's `Origin`, when sent, must be this site.
fn foreign_origin(headers: &HeaderMap) -> bool {
    let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) else {
        return false;
    };
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let origin_host = origin.split("://").nth(1).unwrap_or("");
    origin != "null" && origin_host != host
}

pub async fn gate(State(g): State<GateConfig>, mut req: Request, next: Next) -> Response {
    let uri = req.uri().clone();
    if g.access == Access::Public {
        return next.run(req).await;
    }
    let ip = client_ip(&req, g.state.config.trust_proxy);
    let (identity, by_token) = match identify(&g.state, req.headers()).await {
        Ok(x) => x,
        Err(e) => return refuse(Refusal::Failed(e), g.api, &uri),
    };
    let unsafe_method = !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    if unsafe_method && !by_token {
        if foreign_origin(req.headers()) {
            return refuse(Refusal::Csrf, g.api, &uri);
        }
        let expected = match &identity {
            Identity::Session { csrf, .. } | Identity::Pending { csrf, .. } => Some(csrf.clone()),
            _ => cookies::get(req.headers(), cookies::PRE_SESSION),
        };
        let (sent, rebuilt) = match sent_csrf(req).await {
            Ok(x) => x,
            Err(r) => return refuse(r, g.api, &uri),
        };
        req = rebuilt;
        match (expected, sent) {
            (Some(e), Some(s)) if same_digest(&e, &s) => {}
            _ => return refuse(Refusal::Csrf, g.api, &uri),
        }
    }
    let decision = match (g.access, &identity) {
        (Access::Public | Access::Anyone, _) => Ok(()),
        (Access::Pending, Identity::Pending { .. }) => Ok(()),
        (Access::Pending, _) => Err(Refusal::SignIn),
        (_, Identity::Anonymous | Identity::Pending { .. }) => Err(Refusal::SignIn),
        (Access::Enrolling, _) => Ok(()),
        (
            _,
            Identity::Session {
                must_enrol: true, ..
            },
        ) => Err(Refusal::Enrol),
        (Access::Signed, _) => Ok(()),
        (Access::Permission(p), id) => match id.principal() {
            Some(pr) if pr.can(p) => Ok(()),
            _ => Err(Refusal::Forbidden(format!("this needs the permission {p}"))),
        },
    };
    if let Err(r) = decision {
        return refuse(r, g.api, &uri);
    }
    if !g.api
        && req.method() == Method::GET
        && let Identity::Session {
            principal,
            must_enrol: false,
            ..
        } = &identity
        && let Some(n) = super::waiting::waiting(&g.state.waiting, &g.state.store, principal).await
    {
        req.extensions_mut().insert(Waiting(n));
    }
    // Someone who sends a change will see its effect on their count at once.
    if unsafe_method && let Some(p) = identity.principal() {
        g.state.waiting.forget(p.user_id());
    }
    req.extensions_mut().insert(identity);
    req.extensions_mut().insert(ClientIp(ip));
    let mut res = next.run(req).await;
    // Pages for signed-in people hold personal data: never in shared caches or history.
    res.headers_mut().insert(
        header::CACHE_CONTROL,
        header::HeaderValue::from_static("no-store"),
    );
    res
}
