//! The counts beside *My work* and *Notifications* in the menu, kept for a minute per
//! person so that every page does not read their whole caseload again. A person's own change (any form they send)
//! forgets their count, so what they did shows at once; what others did shows within a
//! minute.

use homeward_domain::access::{ApproveCases, AssignCases, Principal, ReadCases};
use homeward_store::Store;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How long a count is shown before it is read again.
const FRESH_FOR: Duration = Duration::from_secs(60);

/// What waits on a person: items on *My work*, and notifications not read.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub work: usize,
    pub unread: usize,
}

/// Counts by user, with when they were read.
#[derive(Clone, Debug, Default)]
pub struct WaitingCounts(Arc<Mutex<HashMap<i64, (Instant, Counts)>>>);

impl WaitingCounts {
    fn fresh(&self, user: i64) -> Option<Counts> {
        let map = self.0.lock().ok()?;
        map.get(&user)
            .filter(|(at, _)| at.elapsed() < FRESH_FOR)
            .map(|(_, n)| *n)
    }

    fn keep(&self, user: i64, n: Counts) {
        if let Ok(mut map) = self.0.lock() {
            // Old entries go when the map grows, so it holds about the people at work.
            if map.len() > 10_000 {
                map.retain(|_, (at, _)| at.elapsed() < FRESH_FOR);
            }
            map.insert(user, (Instant::now(), n));
        }
    }

    /// Forgets the person's count: they changed something.
    pub fn forget(&self, user: i64) {
        if let Ok(mut map) = self.0.lock() {
            map.remove(&user);
        }
    }
}

/// How many things wait on the *My work* of someone who works on cases, and how many of
/// their notifications are unread; none for others, or when it cannot be counted (the
/// page still opens).
pub async fn waiting(counts: &WaitingCounts, store: &Store, p: &Principal) -> Option<Counts> {
    let read = p.authorize::<ReadCases>().ok()?;
    let user = p.user_id();
    if let Some(n) = counts.fresh(user) {
        return Some(n);
    }
    let (assign, approve) = (
        p.authorize::<AssignCases>().ok(),
        p.authorize::<ApproveCases>().ok(),
    );
    let store = store.clone();
    let today = homeward_store::today();
    let n = crate::blocking(move || {
        let work = store
            .my_work(&read, assign.as_ref(), approve.as_ref(), today)?
            .waiting();
        let unread = store.unread_notifications(&read)?;
        Ok::<_, homeward_store::StoreError>(Counts {
            work,
            unread: usize::try_from(unread).unwrap_or(0),
        })
    })
    .await
    .ok()?
    .ok()?;
    counts.keep(user, n);
    Some(n)
}
