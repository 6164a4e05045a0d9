//! What every handler can reach: the store and the web layer's settings.

use crate::auth::waiting::WaitingCounts;
use homeward_store::Store;

/// Settings of the web layer.
#[derive(Clone, Debug)]
pub struct WebConfig {
    /// Mark cookies `Secure` (only sent over HTTPS). Off only for plain HTTP on loopback.
    pub secure_cookies: bool,
    /// Take the client address from `X-Forwarded-For` (behind a reverse proxy).
    pub trust_proxy: bool,
    /// The SMTP server notifications are emailed through (host and port, no secret);
    /// none when this server sends no email.
    pub mail_server: Option<String>,
    /// How old an exchange rate may be, in days before a payment, before the payment waits
    /// for the person to confirm it.
    pub rate_max_age_days: u32,
}

impl Default for WebConfig {
    fn default() -> Self {
        WebConfig {
            secure_cookies: true,
            trust_proxy: false,
            mail_server: None,
            rate_max_age_days: homeward_domain::reintegration::exchange::DEFAULT_MAX_RATE_AGE_DAYS,
        }
    }
}

/// What every handler can reach.
#[derive(Clone, Debug)]
pub struct AppState {
    pub store: Store,
    pub config: WebConfig,
    /// The counts beside *My work*, kept a minute per person.
    pub waiting: WaitingCounts,
    /// What `/metrics` reports about this server.
    pub metrics: std::sync::Arc<crate::metrics::Metrics>,
}

impl AppState {
    pub fn new(store: Store) -> Self {
        AppState::with_config(store, WebConfig::default())
    }

    pub fn with_config(store: Store, config: WebConfig) -> Self {
        AppState {
            store,
            config,
            waiting: WaitingCounts::default(),
            metrics: Default::default(),
        }
    }
}
