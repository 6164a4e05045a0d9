//! What the store measures about itself for a server's metrics: waits for a pooled
//! connection, audit entries written and sealed, failed sign-ins (counted by this process
//! since it started), with the pool's state and the dashboards' facts read when asked.

use std::sync::atomic::{AtomicU64, Ordering};

/// Counters of this process, shared by every store it opened.
#[derive(Default)]
pub(crate) struct Counters {
    pub pool_waits: AtomicU64,
    pub pool_wait_micros: AtomicU64,
    pub audit_written: AtomicU64,
    pub audit_sealed: AtomicU64,
    pub sign_in_failures: AtomicU64,
}

pub(crate) static COUNTERS: Counters = Counters {
    pool_waits: AtomicU64::new(0),
    pool_wait_micros: AtomicU64::new(0),
    audit_written: AtomicU64::new(0),
    audit_sealed: AtomicU64::new(0),
    sign_in_failures: AtomicU64::new(0),
};

pub(crate) fn add(counter: &AtomicU64, n: u64) {
    counter.fetch_add(n, Ordering::Relaxed);
}

/// The dashboards' facts held in memory.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FactsState {
    /// Seconds since they were last brought up to date with the database.
    pub age_seconds: f64,
    pub cases: usize,
    pub bytes: usize,
    /// They started from the facts stored in the database (and the changes since), not
    /// from reading every case.
    pub from_stored: bool,
}

/// A reading of the store, for `/metrics`.
#[derive(Debug, Clone, PartialEq)]
pub struct Stats {
    pub pool_max: u32,
    pub pool_open: u32,
    pub pool_idle: u32,
    /// Connections asked for when none was idle, and the time spent waiting for them.
    pub pool_waits: u64,
    pub pool_wait_seconds: f64,
    pub audit_written: u64,
    pub audit_sealed: u64,
    pub sign_in_failures: u64,
    /// None until the facts are first read.
    pub facts: Option<FactsState>,
}

pub(crate) fn counted() -> (u64, f64, u64, u64, u64) {
    let c = &COUNTERS;
    (
        c.pool_waits.load(Ordering::Relaxed),
        c.pool_wait_micros.load(Ordering::Relaxed) as f64 / 1e6,
        c.audit_written.load(Ordering::Relaxed),
        c.audit_sealed.load(Ordering::Relaxed),
        c.sign_in_failures.load(Ordering::Relaxed),
    )
}
