//! The background pass inside `serve`: notices tasks that became overdue (once an hour),
//! emails what people chose to hear at once, and, after the digest hour, each person's
//! daily digest. Rows are claimed before sending, so several servers never send one
//! notification twice; what the SMTP server did not take is given back and tried again.

use super::{Mailer, compose};
use crate::i18n::Tr;
use homeward_domain::reintegration::notifications::digest_cutoff;
use homeward_store::Store;
use homeward_store::cases::notifications::MailItem;
use std::collections::BTreeMap;
use std::time::{Duration, Instant};

/// How many notifications one claim takes.
const BATCH: i64 = 200;

/// What one pass did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Pass {
    /// Overdue tasks newly noticed.
    pub overdue: usize,
    /// Emails sent at once.
    pub sent: usize,
    /// Digests sent.
    pub digests: usize,
    /// Emails the SMTP server did not take (tried again on the next pass).
    pub failed: usize,
}

/// Why a pass stopped.
#[derive(Debug, thiserror::Error)]
pub enum PassError {
    #[error(transparent)]
    Store(#[from] homeward_store::StoreError),
    #[error(transparent)]
    Task(#[from] crate::TaskFailed),
}

async fn claim(
    store: &Store,
    f: impl FnOnce(&Store) -> Result<Vec<MailItem>, homeward_store::StoreError> + Send + 'static,
) -> Result<Vec<MailItem>, PassError> {
    let store = store.clone();
    Ok(crate::blocking(move || f(&store)).await??)
}

async fn give_back(store: &Store, ids: Vec<i64>) -> Result<(), PassError> {
    let store = store.clone();
    Ok(crate::blocking(move || store.unclaim_mail(&ids)).await??)
}

/// Emails what is due at once and, past the digest hour, the day's digests. `now` is
/// the UTC instant (`YYYY-MM-DDTHH:MM:SSZ`) the digest is reckoned from.
pub async fn send_due(store: &Store, mailer: &Mailer, now: &str) -> Result<Pass, PassError> {
    // Emails follow the reader's language once accounts hold one; English until then.
    let tr = Tr::new("en");
    let mut pass = Pass::default();
    loop {
        let items = claim(store, |s| s.claim_mail_now(BATCH)).await?;
        if items.is_empty() {
            break;
        }
        let mut failed = vec![];
        for i in &items {
            let mail = compose::at_once(&tr, i, mailer.public_url());
            match mailer.send((&i.name, &i.email), &mail).await {
                Ok(()) => pass.sent += 1,
                Err(e) => {
                    tracing::warn!(notification = i.id, "email not sent: {e}");
                    failed.push(i.id);
                }
            }
        }
        pass.failed += failed.len();
        let stop = !failed.is_empty() || items.len() < BATCH as usize;
        give_back(store, failed).await?;
        if stop {
            break;
        }
    }
    let Some(cutoff) = digest_cutoff(now, mailer.digest_hour()) else {
        return Ok(pass);
    };
    loop {
        let c = cutoff.clone();
        let items = claim(store, move |s| s.claim_mail_digest(&c, BATCH)).await?;
        if items.is_empty() {
            break;
        }
        let full = items.len() == BATCH as usize;
        let mut by_user: BTreeMap<i64, Vec<MailItem>> = BTreeMap::new();
        for i in items {
            by_user.entry(i.user_id).or_default().push(i);
        }
        let mut failed = vec![];
        for list in by_user.values() {
            let mail = compose::digest(&tr, list, mailer.public_url());
            let first = &list[0];
            match mailer.send((&first.name, &first.email), &mail).await {
                Ok(()) => pass.digests += 1,
                Err(e) => {
                    tracing::warn!(user = first.user_id, "digest not sent: {e}");
                    failed.extend(list.iter().map(|i| i.id));
                }
            }
        }
        pass.failed += failed.len();
        let stop = !failed.is_empty() || !full;
        give_back(store, failed).await?;
        if stop {
            break;
        }
    }
    Ok(pass)
}

/// Notices the tasks overdue today.
pub async fn notice_overdue(store: &Store) -> Result<usize, PassError> {
    let store = store.clone();
    Ok(crate::blocking(move || store.notice_overdue_tasks(homeward_store::today())).await??)
}

/// Runs for as long as the server: every `every`, sends what is due; every hour (and at
/// start), notices overdue tasks.
pub async fn run(store: Store, mailer: Option<Mailer>, every: Duration) {
    let mut noticed: Option<Instant> = None;
    let mut tick = tokio::time::interval(every);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        if noticed.is_none_or(|t| t.elapsed() >= Duration::from_secs(3600)) {
            match notice_overdue(&store).await {
                Ok(n) => {
                    noticed = Some(Instant::now());
                    if n > 0 {
                        tracing::info!(tasks = n, "overdue tasks noticed");
                    }
                }
                Err(e) => tracing::warn!("overdue tasks not noticed: {e}"),
            }
        }
        if let Some(m) = &mailer {
            match send_due(&store, m, &homeward_store::utc_now()).await {
                Ok(p) if p != Pass::default() => tracing::info!(
                    sent = p.sent,
                    digests = p.digests,
                    failed = p.failed,
                    "notification emails"
                ),
                Ok(_) => {}
                Err(e) => tracing::warn!("notification emails not sent: {e}"),
            }
        }
    }
}
