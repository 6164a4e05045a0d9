//! The audit trail's rules: what an entry holds, how each entry's hash covers the one
//! before it, and how a chain read back from storage is checked. Editing, removing or
//! reordering any stored entry breaks a link that [`ChainVerifier`] reports by number.

use sha2::{Digest, Sha256};

code_enum!(
    /// What was done.
    Action {
        Create = "create" / "Created",
        Update = "update" / "Updated",
        Delete = "delete" / "Deleted",
        View = "view" / "Viewed personal data",
        List = "list" / "Listed personal data",
        Export = "export" / "Exported",
        SignIn = "sign_in" / "Signed in",
        SignInFailed = "sign_in_failed" / "Failed sign-in",
        SignOut = "sign_out" / "Signed out",
        SignOutEverywhere = "sign_out_everywhere" / "Signed out everywhere",
        PermissionChange = "permission_change" / "Changed permissions",
        Share = "share" / "Shared",
        Handover = "handover" / "Handed over",
    }
);

/// The hash before the first entry.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// One entry as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub seq: i64,
    /// UTC instant, `2026-11-23T09:00:00Z`.
    pub at: String,
    pub actor_id: Option<i64>,
    /// The actor as a person reads it (email, or `console`).
    pub actor: String,
    /// The client address, or empty when there was none (console).
    pub ip: String,
    pub action: String,
    /// The kind of record (`case`, `user`, `office`, `role`, `token`, `session`, ...).
    pub record_type: String,
    pub record_id: String,
    /// JSON of the fields before and after (empty when there is no side).
    pub before: String,
    pub after: String,
    pub prev_hash: String,
    pub hash: String,
}

impl Entry {
    /// The hash this entry must carry, given the hash before it. Every field is
    /// length-prefixed so no two different entries share an input.
    pub fn compute_hash(&self, prev_hash: &str) -> String {
        let mut h = Sha256::new();
        let actor_id = self.actor_id.map(|i| i.to_string()).unwrap_or_default();
        let seq = self.seq.to_string();
        for part in [
            prev_hash,
            &seq,
            &self.at,
            &actor_id,
            &self.actor,
            &self.ip,
            &self.action,
            &self.record_type,
            &self.record_id,
            &self.before,
            &self.after,
        ] {
            h.update((part.len() as u64).to_be_bytes());
            h.update(part.as_bytes());
        }
        crate::credentials::secret::hex(&h.finalize())
    }
}

/// Where a chain stops being trustworthy.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ChainBreak {
    #[error("entry {seq} was changed after it was written (its hash does not match its contents)")]
    Edited { seq: i64 },
    #[error("entries {from} to {to} are missing")]
    Missing { from: i64, to: i64 },
    #[error("entry {seq} does not follow entry {previous} (entries were removed or reordered)")]
    BrokenLink { seq: i64, previous: i64 },
    #[error(
        "the trail ends at entry {last} but {head} entries were written (the newest were removed)"
    )]
    Truncated { last: i64, head: i64 },
    #[error("the trail has entries after {head}, the last one written through Homeward")]
    Unexpected { head: i64 },
}

/// Checks entries in order of `seq`, one at a time, so a trail of any length is checked
/// in constant memory.
#[derive(Debug)]
pub struct ChainVerifier {
    last_seq: i64,
    last_hash: String,
    checked: u64,
}

impl Default for ChainVerifier {
    fn default() -> Self {
        ChainVerifier {
            last_seq: 0,
            last_hash: GENESIS.to_owned(),
            checked: 0,
        }
    }
}

impl ChainVerifier {
    pub fn push(&mut self, e: &Entry) -> Result<(), ChainBreak> {
        if e.hash != e.compute_hash(&e.prev_hash) {
            return Err(ChainBreak::Edited { seq: e.seq });
        }
        if e.seq > self.last_seq + 1 {
            return Err(ChainBreak::Missing {
                from: self.last_seq + 1,
                to: e.seq - 1,
            });
        }
        if e.seq != self.last_seq + 1 || e.prev_hash != self.last_hash {
            return Err(ChainBreak::BrokenLink {
                seq: e.seq,
                previous: self.last_seq,
            });
        }
        self.last_seq = e.seq;
        self.last_hash = e.hash.clone();
        self.checked += 1;
        Ok(())
    }

    /// Ends the check against the head Homeward keeps beside the trail (the number and
    /// hash of the last entry it wrote), which catches removal of the newest entries.
    pub fn finish(self, head_seq: i64, head_hash: &str) -> Result<u64, ChainBreak> {
        if self.last_seq < head_seq {
            return Err(ChainBreak::Truncated {
                last: self.last_seq,
                head: head_seq,
            });
        }
        if self.last_seq > head_seq {
            return Err(ChainBreak::Unexpected { head: head_seq });
        }
        if self.last_hash != head_hash && head_seq > 0 {
            return Err(ChainBreak::Edited { seq: head_seq });
        }
        Ok(self.checked)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chain(n: i64) -> Vec<Entry> {
        let mut prev = GENESIS.to_owned();
        (1..=n)
            .map(|seq| {
                let mut e = Entry {
                    seq,
                    at: format!("2026-11-23T09:00:{seq:02}Z"),
                    actor_id: Some(1),
                    actor: "ana@example.org".into(),
                    ip: "127.0.0.1".into(),
                    action: "view".into(),
                    record_type: "case".into(),
                    record_id: seq.to_string(),
                    before: String::new(),
                    after: "{}".into(),
                    prev_hash: prev.clone(),
                    hash: String::new(),
                };
                e.hash = e.compute_hash(&prev);
                prev = e.hash.clone();
                e
            })
            .collect()
    }

    fn verify(entries: &[Entry], head: &Entry) -> Result<u64, ChainBreak> {
        let mut v = ChainVerifier::default();
        for e in entries {
            v.push(e)?;
        }
        v.finish(head.seq, &head.hash)
    }

    #[test]
    fn an_intact_chain_verifies() {
        let c = chain(5);
        assert_eq!(verify(&c, &c[4]), Ok(5));
    }

    #[test]
    fn edits_removals_reorders_and_truncation_are_found() {
        let c = chain(5);
        let head = c[4].clone();
        let mut edited = c.clone();
        edited[2].actor = "someone-else@example.org".into();
        assert_eq!(verify(&edited, &head), Err(ChainBreak::Edited { seq: 3 }));

        let mut removed = c.clone();
        removed.remove(1);
        assert_eq!(
            verify(&removed, &head),
            Err(ChainBreak::Missing { from: 2, to: 2 })
        );

        let mut swapped = c.clone();
        swapped.swap(1, 2);
        assert!(matches!(
            verify(&swapped, &head),
            Err(ChainBreak::Missing { .. })
        ));

        // A forger who renumbers and rehashes entry 3 after dropping it still breaks the
        // link to entry 2's successor.
        let mut renumbered = c.clone();
        renumbered.remove(2);
        renumbered[2].seq = 3;
        renumbered[2].hash = renumbered[2].compute_hash(&renumbered[2].prev_hash);
        assert_eq!(
            verify(&renumbered, &head),
            Err(ChainBreak::BrokenLink {
                seq: 3,
                previous: 2
            })
        );

        assert_eq!(
            verify(&c[..4], &head),
            Err(ChainBreak::Truncated { last: 4, head: 5 })
        );
    }
}
