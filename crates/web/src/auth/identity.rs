//! Who a request comes from, as the gate found it, and the extractors handlers use to
//! get it. A handler that needs a signed-in user takes [`Signed`]; to reach protected
//! data it must still ask the policy for a proof ([`Signed::authorize`]).

use crate::PageError;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use homeward_domain::access::{Authorized, Capability, Principal};
use homeward_store::Actor;

/// What the gate learned about the request.
#[derive(Debug, Clone)]
pub enum Identity {
    Anonymous,
    /// Password accepted, one-time code pending.
    Pending {
        token: String,
        csrf: String,
    },
    /// A browser session.
    Session {
        principal: Principal,
        token: String,
        csrf: String,
        must_enrol: bool,
    },
    /// An API token.
    Token {
        principal: Principal,
    },
}

impl Identity {
    pub fn principal(&self) -> Option<&Principal> {
        match self {
            Identity::Session { principal, .. } | Identity::Token { principal } => Some(principal),
            _ => None,
        }
    }
}

/// The client's address, as the gate determined it.
#[derive(Debug, Clone)]
pub struct ClientIp(pub String);

/// How many things wait on the person's *My work*, counted by the gate for the pages of
/// those who work on cases.
#[derive(Debug, Clone, Copy)]
pub struct Waiting(pub super::waiting::Counts);

/// A signed-in user (by session or token), with what handlers need around it.
#[derive(Debug, Clone)]
pub struct Signed {
    pub principal: Principal,
    /// The session's CSRF token for forms (empty for API tokens).
    pub csrf: String,
    /// The session cookie's secret (none for API tokens).
    pub session: Option<String>,
    pub ip: String,
    pub must_enrol: bool,
    /// What waits on *My work*, when the gate counted it (pages, not the API).
    pub waiting: Option<super::waiting::Counts>,
}

impl Signed {
    /// The policy's proof for capability `C`, or a 403.
    pub fn authorize<C: Capability>(&self) -> Result<Authorized<C>, PageError> {
        self.principal
            .authorize::<C>()
            .map_err(|d| PageError::Forbidden(d.to_string()))
    }

    /// The actor for the audit trail.
    pub fn actor(&self) -> Actor {
        Actor::of(&self.principal, &self.ip)
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Signed {
    type Rejection = PageError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, PageError> {
        let ip = parts
            .extensions
            .get::<ClientIp>()
            .map(|c| c.0.clone())
            .unwrap_or_default();
        let waiting = parts.extensions.get::<Waiting>().map(|w| w.0);
        match parts.extensions.get::<Identity>() {
            Some(Identity::Session {
                principal,
                token,
                csrf,
                must_enrol,
            }) => Ok(Signed {
                principal: principal.clone(),
                csrf: csrf.clone(),
                session: Some(token.clone()),
                ip,
                must_enrol: *must_enrol,
                waiting,
            }),
            Some(Identity::Token { principal }) => Ok(Signed {
                principal: principal.clone(),
                csrf: String::new(),
                session: None,
                ip,
                must_enrol: false,
                waiting: None,
            }),
            // The gate lets no such request through to a handler that takes `Signed`;
            // should a route be declared wrongly, the answer is still a refusal.
            _ => Err(PageError::Unauthorized(parts.uri.path().to_owned())),
        }
    }
}

/// Anyone, with the address and the identity the gate found (sign-in pages).
#[derive(Debug, Clone)]
pub struct Visitor {
    pub identity: Identity,
    pub ip: String,
    pub user_agent: String,
}

impl<S: Send + Sync> FromRequestParts<S> for Visitor {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(Visitor {
            identity: parts
                .extensions
                .get::<Identity>()
                .cloned()
                .unwrap_or(Identity::Anonymous),
            ip: parts
                .extensions
                .get::<ClientIp>()
                .map(|c| c.0.clone())
                .unwrap_or_default(),
            user_agent: parts
                .headers
                .get(axum::http::header::USER_AGENT)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("")
                .to_owned(),
        })
    }
}
