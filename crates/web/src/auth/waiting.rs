//! The count beside *My work* in the menu, kept for a minute per person so that every page
//! does not read their whole caseload again. A person's own change (any form they send)
//! forgets their count, so what they did shows at once; what others did shows within a
//! minute.

use homeward_domain::access::{ApproveCases, AssignCases, Principal, ReadCases};
use homeward_store::Store;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How long a count is shown before it is read again.
const FRESH_FOR: Duration = Duration::from_secs(60);

/// Counts by user, with when they were read.
#[derive(Clone, Debug, Default)]
pub struct WaitingCounts(Arc<Mutex<HashMap<i64, (Instant, usize)>>>);

impl WaitingCounts {
    fn fresh(&self, user: i64) -> Option<usize> {
        let map = self.0.lock().ok()?;
        map.get(&user)
            .filter(|(at, _)| at.elapsed() < FRESH_FOR)
            .map(|(_, n)| *n)
    }

    fn keep(&self, user: i64, n: usize) {
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

/// How many things wait on the *My work* of someone who works on cases; none for others,
/// or when it cannot be counted (the page still opens).
pub async fn waiting(counts: &WaitingCounts, store: &Store, p: &Principal) -> Option<usize> {
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
    let n = crate::blocking(move || store.my_work(&read, assign.as_ref(), approve.as_ref(), today))
        .await
        .ok()?
        .ok()?
        .waiting();
    counts.keep(user, n);
    Some(n)
}
