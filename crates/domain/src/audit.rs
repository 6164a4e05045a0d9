//! The audit trail's rules: what an entry holds, how each entry's hash covers the one
//! before it, and how a chain read back from storage is checked. Editing, removing or
//! reordering any stored entry breaks a link that [`ChainVerifier`] reports by number.

use crate::retention::REDACTED_PREFIX;
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
        Anonymise = "anonymise" / "Anonymised",
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
    /// length-prefixed so no two different entries share an input; the before and after
    /// go in as their SHA-256, so that removing what they say (when a case is
    /// anonymised, [`Entry::redact`]) leaves the chain verifiable.
    pub fn compute_hash(&self, prev_hash: &str) -> String {
        let (before, after) = (side_digest(&self.before), side_digest(&self.after));
        self.hash_with(prev_hash, &before, &after)
    }

    /// The hash entries were sealed with before digests were hashed (the sides in
    /// clear); such an entry still verifies while it is not redacted.
    pub fn compute_plain_hash(&self, prev_hash: &str) -> String {
        self.hash_with(prev_hash, &self.before, &self.after)
    }

    fn hash_with(&self, prev_hash: &str, before: &str, after: &str) -> String {
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
            before,
            after,
        ] {
            h.update((part.len() as u64).to_be_bytes());
            h.update(part.as_bytes());
        }
        crate::credentials::secret::hex(&h.finalize())
    }

    /// Whether what the entry said was removed.
    pub fn is_redacted(&self) -> bool {
        self.before.starts_with(REDACTED_PREFIX) || self.after.starts_with(REDACTED_PREFIX)
    }

    /// The entry with what its before and after said replaced by their digests: who did
    /// what to which record, and when, stays readable and chained.
    pub fn redact(mut self) -> Entry {
        self.before = redacted_side(&self.before);
        self.after = redacted_side(&self.after);
        self
    }
}

/// A side as it stands once redacted (an empty side stays empty: it said nothing).
pub fn redacted_side(side: &str) -> String {
    if side.is_empty() || side.starts_with(REDACTED_PREFIX) {
        side.to_owned()
    } else {
        format!("{REDACTED_PREFIX}{}", side_digest(side))
    }
}

/// The SHA-256 of a side, read from it when it was redacted.
fn side_digest(side: &str) -> String {
    match side.strip_prefix(REDACTED_PREFIX) {
        Some(d) => d.to_owned(),
        None => crate::credentials::secret::hex(&Sha256::digest(side.as_bytes())),
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
    digests_from: i64,
    redacted_plain: u64,
}

impl Default for ChainVerifier {
    fn default() -> Self {
        ChainVerifier {
            last_seq: 0,
            last_hash: GENESIS.to_owned(),
            checked: 0,
            digests_from: 1,
            redacted_plain: 0,
        }
    }
}

impl ChainVerifier {
    /// A verifier for a trail whose entries from `seq` on were sealed with digests
    /// (the ones before were sealed with their sides in clear).
    pub fn digests_from(seq: i64) -> Self {
        ChainVerifier {
            digests_from: seq,
            ..Default::default()
        }
    }

    /// How many entries sealed before digests were hashed had their contents removed:
    /// their link is checked, their contents cannot be.
    pub fn redacted_unchecked(&self) -> u64 {
        self.redacted_plain
    }

    pub fn push(&mut self, e: &Entry) -> Result<(), ChainBreak> {
        let intact = if !e.is_redacted() {
            e.hash == e.compute_hash(&e.prev_hash) || e.hash == e.compute_plain_hash(&e.prev_hash)
        } else if e.seq < self.digests_from {
            self.redacted_plain += 1;
            true
        } else {
            e.hash == e.compute_hash(&e.prev_hash)
        };
        if !intact {
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

    #[test]
    fn a_redacted_entry_still_verifies_and_a_forged_redaction_does_not() {
        let mut c = chain(4);
        c[1].before = r#"{"given_name":"Besnik"}"#.into();
        c[1].hash = c[1].compute_hash(&c[1].prev_hash);
        let mut prev = c[1].hash.clone();
        for e in &mut c[2..] {
            e.prev_hash = prev.clone();
            e.hash = e.compute_hash(&prev);
            prev = e.hash.clone();
        }
        let head = c[3].clone();
        let mut redacted = c.clone();
        redacted[1] = redacted[1].clone().redact();
        assert!(redacted[1].is_redacted());
        assert!(!redacted[1].before.contains("Besnik"));
        assert_eq!(redacted[1].after, redacted_side("{}"));
        assert_eq!(verify(&redacted, &head), Ok(4));

        // Replacing what an entry said by the digest of something else is an edit.
        let mut forged = c.clone();
        forged[1].before = redacted_side(r#"{"given_name":"Someone"}"#);
        assert_eq!(verify(&forged, &head), Err(ChainBreak::Edited { seq: 2 }));
    }

    #[test]
    fn entries_sealed_with_plain_sides_still_verify() {
        let mut c = chain(3);
        let mut prev = GENESIS.to_owned();
        for e in &mut c {
            e.prev_hash = prev.clone();
            e.hash = e.compute_plain_hash(&prev);
            prev = e.hash.clone();
        }
        let head = c[2].clone();
        assert_eq!(verify(&c, &head), Ok(3));
        // Redacted, an entry from before digests keeps its link but cannot be checked.
        let mut v = ChainVerifier::digests_from(4);
        c[1] = c[1].clone().redact();
        for e in &c {
            v.push(e).unwrap();
        }
        assert_eq!(v.redacted_unchecked(), 1);
        let mut edited = c.clone();
        edited[0].actor = "x".into();
        assert_eq!(verify(&edited, &head), Err(ChainBreak::Edited { seq: 1 }));
    }
}
