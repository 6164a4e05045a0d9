//! Group commit for entries recorded on their own (a case viewed, a list shown, a failed
//! sign-in): every signed-in page writes one, and a transaction each would make the
//! database flush its log once per page. Entries recorded while another group is being
//! committed wait together and go in the next transaction, so under load one flush
//! carries many entries; alone, an entry is written at once. Nobody is answered before
//! its entry is committed.

use std::sync::{Arc, Condvar, Mutex, MutexGuard, OnceLock, PoisonError};

/// What became of an entry's group.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Outcome {
    Written,
    /// The group's transaction failed; the entry is not written.
    Failed,
}

/// The entries waiting for the next transaction, and whether one is being committed.
pub(crate) struct Group<T> {
    state: Mutex<State<T>>,
    settled: Condvar,
}

impl<T> Default for Group<T> {
    fn default() -> Self {
        Group {
            state: Mutex::new(State {
                queue: Vec::new(),
                open: Arc::default(),
                writing: false,
            }),
            settled: Condvar::new(),
        }
    }
}

struct State<T> {
    queue: Vec<T>,
    /// The group the queued entries belong to; settled once committed or failed.
    open: Arc<OnceLock<Outcome>>,
    writing: bool,
}

impl<T> Group<T> {
    fn lock(&self) -> MutexGuard<'_, State<T>> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Queues `entry` and returns once its group is settled. The first caller to find no
    /// transaction running commits everything queued with `write`; the others wait.
    pub(crate) fn commit<E>(&self, entry: T, write: impl FnOnce(&[T]) -> Result<(), E>) -> Outcome {
        let mut write = Some(write);
        let mut st = self.lock();
        st.queue.push(entry);
        let mine = st.open.clone();
        loop {
            if let Some(outcome) = mine.get() {
                return *outcome;
            }
            if !st.writing {
                // Nobody is writing and this entry's group is unsettled: it is the one
                // queued now, and this caller commits it.
                let Some(write) = write.take() else {
                    return Outcome::Failed;
                };
                st.writing = true;
                let batch = std::mem::take(&mut st.queue);
                let group = std::mem::take(&mut st.open);
                drop(st);
                let settle = Settle {
                    group: self,
                    open: &group,
                    outcome: Outcome::Failed,
                };
                let ok = write(&batch).is_ok();
                settle.done(if ok {
                    Outcome::Written
                } else {
                    Outcome::Failed
                });
                st = self.lock();
                continue;
            }
            st = self
                .settled
                .wait(st)
                .unwrap_or_else(PoisonError::into_inner);
        }
    }
}

/// Settles a group and wakes its waiters even when writing it panicked, so nobody waits
/// for a transaction that will never end.
struct Settle<'a, T> {
    group: &'a Group<T>,
    open: &'a OnceLock<Outcome>,
    outcome: Outcome,
}

impl<T> Settle<'_, T> {
    fn done(mut self, outcome: Outcome) {
        self.outcome = outcome;
    }
}

impl<T> Drop for Settle<'_, T> {
    fn drop(&mut self) {
        let _ = self.open.set(self.outcome);
        self.group.lock().writing = false;
        self.group.settled.notify_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    fn entry(n: usize) -> String {
        n.to_string()
    }

    #[test]
    fn every_entry_is_written_once_and_groups_form_under_contention() {
        let group = Arc::new(Group::<String>::default());
        let written = Arc::new(Mutex::new(Vec::new()));
        let transactions = Arc::new(AtomicUsize::new(0));
        let threads: Vec<_> = (0..8)
            .map(|t| {
                let (group, written, transactions) =
                    (group.clone(), written.clone(), transactions.clone());
                std::thread::spawn(move || {
                    for i in 0..50 {
                        let outcome = group.commit(entry(t * 100 + i), |batch: &[String]| {
                            transactions.fetch_add(1, Ordering::SeqCst);
                            // A commit takes a while: others queue meanwhile.
                            std::thread::sleep(std::time::Duration::from_millis(1));
                            let mut w = written.lock().unwrap();
                            w.extend(batch.iter().cloned());
                            Ok::<(), ()>(())
                        });
                        assert_eq!(outcome, Outcome::Written);
                    }
                })
            })
            .collect();
        for t in threads {
            t.join().unwrap();
        }
        let mut ids = written.lock().unwrap().clone();
        ids.sort();
        let mut expected: Vec<String> = (0..8)
            .flat_map(|t| (0..50).map(move |i| (t * 100 + i).to_string()))
            .collect();
        expected.sort();
        assert_eq!(ids, expected, "each entry exactly once");
        let n = transactions.load(Ordering::SeqCst);
        assert!(n < 400, "{n} transactions for 400 entries: no grouping");
    }

    #[test]
    fn a_failed_group_is_reported_to_every_member_and_the_next_group_goes_on() {
        let group = Group::<String>::default();
        let failed = group.commit(entry(1), |_| Err("the database is away"));
        assert_eq!(failed, Outcome::Failed);
        let written = group.commit(entry(2), |batch| {
            assert_eq!(batch, ["2"]);
            Ok::<(), ()>(())
        });
        assert_eq!(written, Outcome::Written);
    }

    #[test]
    fn a_panicking_write_fails_its_group_without_stranding_the_next() {
        let group = Arc::new(Group::<String>::default());
        let g = group.clone();
        let panicked = std::thread::spawn(move || {
            g.commit(entry(1), |_| -> Result<(), ()> {
                panic!("the driver broke")
            });
        })
        .join();
        assert!(panicked.is_err());
        assert_eq!(
            group.commit(entry(2), |_| Ok::<(), ()>(())),
            Outcome::Written
        );
    }
}
