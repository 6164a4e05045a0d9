//! Passwords: the policy a new password must meet and its argon2id hash.
//!
//! The policy follows current guidance (NIST SP 800-63B): a minimum length, no composition
//! rules, and a check against lists of common and guessable passwords (zxcvbn's lists,
//! with the user's own email and name counted as guessable).

use crate::FieldError;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};

pub const MIN_LENGTH: usize = 12;
pub const MAX_LENGTH: usize = 128;

/// argon2id with 19 MiB of memory, two passes, one lane: the OWASP baseline, about 25 ms
/// on a server core (`cargo bench --bench access` measures it).
pub const MEMORY_KIB: u32 = 19 * 1024;
pub const PASSES: u32 = 2;
pub const LANES: u32 = 1;

/// How many hashes run at once in the process: each takes [`MEMORY_KIB`], and two hundred
/// people signing in together (or someone making them) must not take gigabytes. They run
/// on this many threads of their own, so that the memory each hash takes is reused by the
/// next instead of being kept by every request thread that ever hashed; the rest wait
/// their turn, a few milliseconds each.
fn slots() -> usize {
    std::thread::available_parallelism().map_or(2, |n| n.get()) * 2
}

type Job = Box<dyn FnOnce() + Send>;

/// The queue of the hashing threads, started on first use.
fn hashers() -> &'static std::sync::Mutex<std::sync::mpsc::Sender<Job>> {
    use std::sync::{Arc, Mutex, OnceLock, mpsc};
    static QUEUE: OnceLock<Mutex<mpsc::Sender<Job>>> = OnceLock::new();
    QUEUE.get_or_init(|| {
        let (tx, rx) = mpsc::channel::<Job>();
        let rx = Arc::new(Mutex::new(rx));
        for _ in 0..slots() {
            let rx = rx.clone();
            std::thread::spawn(move || {
                loop {
                    let job = match rx.lock().unwrap_or_else(|p| p.into_inner()).recv() {
                        Ok(job) => job,
                        Err(_) => return,
                    };
                    // A job that panics loses its answer (the caller sees None), not the thread.
                    let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(job));
                }
            });
        }
        Mutex::new(tx)
    })
}

/// Runs `f` on a hashing thread and waits for its answer; none if it could not run.
fn gated<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> Option<T> {
    let (tx, rx) = std::sync::mpsc::sync_channel(1);
    let job: Job = Box::new(move || {
        let _ = tx.send(f());
    });
    hashers()
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .send(job)
        .ok()?;
    rx.recv().ok()
}

fn hasher() -> Argon2<'static> {
    // The constants are within argon2's limits, so this cannot fail; the fallback keeps
    // the crate's own defaults (also argon2id) rather than panicking.
    let params = Params::new(MEMORY_KIB, PASSES, LANES, None).unwrap_or_default();
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Why a new password was refused, for the person choosing it.
pub fn check_policy(password: &str, user_inputs: &[&str]) -> Result<(), FieldError> {
    let n = password.chars().count();
    if n < MIN_LENGTH {
        return Err(FieldError::new(
            "password",
            format!("must have at least {MIN_LENGTH} characters (it has {n})"),
        ));
    }
    if n > MAX_LENGTH {
        return Err(FieldError::new(
            "password",
            format!("must have at most {MAX_LENGTH} characters"),
        ));
    }
    let words: Vec<String> = user_inputs
        .iter()
        .flat_map(|s| s.split(|c: char| !c.is_alphanumeric()))
        .filter(|w| w.len() >= 3)
        .map(str::to_lowercase)
        .collect();
    let lower = password.to_lowercase();
    if words
        .iter()
        .any(|w| w.chars().count() >= 4 && lower.contains(w.as_str()))
    {
        return Err(FieldError::new(
            "password",
            "must not contain your name or email address",
        ));
    }
    let inputs: Vec<&str> = words.iter().map(String::as_str).collect();
    let estimate = zxcvbn::zxcvbn(password, &inputs);
    let common = estimate.sequence().iter().any(|m| {
        m.j + 1 - m.i >= password.chars().count().saturating_sub(2)
            && match &m.pattern {
                // The dictionary's type is not nameable outside zxcvbn; its name is.
                zxcvbn::matching::patterns::MatchPattern::Dictionary(d) => {
                    format!("{:?}", d.dictionary_name) == "Passwords"
                }
                _ => false,
            }
    });
    if common {
        return Err(FieldError::new(
            "password",
            "is on the list of commonly used passwords; choose another",
        ));
    }
    if u8::from(estimate.score()) < 3 {
        let hint = estimate
            .feedback()
            .and_then(|f| f.warning())
            .map(|w| format!(" ({w})"))
            .unwrap_or_default();
        return Err(FieldError::new(
            "password",
            format!(
                "is too easy to guess{hint}; a few unrelated words together are strong and easy to remember"
            ),
        ));
    }
    Ok(())
}

/// The PHC string (`$argon2id$v=19$m=19456,t=2,p=1$salt$hash`) to store.
pub fn hash(password: &str) -> Result<String, String> {
    let salt_bytes: [u8; 16] = rand::random();
    let salt = SaltString::encode_b64(&salt_bytes).map_err(|e| e.to_string())?;
    let password = password.to_owned();
    gated(move || {
        hasher()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| e.to_string())
    })
    .unwrap_or_else(|| Err("the password could not be hashed".to_owned()))
}

/// Whether `password` matches a stored PHC string. A malformed string never matches.
pub fn verify(password: &str, stored: &str) -> bool {
    let (password, stored) = (password.to_owned(), stored.to_owned());
    gated(move || {
        PasswordHash::new(&stored).is_ok_and(|parsed| {
            hasher()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
    })
    .unwrap_or(false)
}

/// Spends the same time as [`verify`] on a hash that matches nothing, so that a sign-in
/// with an unknown email takes as long as one with a wrong password.
pub fn verify_dummy(password: &str) {
    use std::sync::OnceLock;
    static DUMMY: OnceLock<String> = OnceLock::new();
    let stored = DUMMY.get_or_init(|| hash("no account has this password").unwrap_or_default());
    let _ = verify(password, stored);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_more_hashes_run_at_once_than_there_are_slots() {
        use std::sync::atomic::{AtomicUsize, Ordering};
        static NOW: AtomicUsize = AtomicUsize::new(0);
        static MOST: AtomicUsize = AtomicUsize::new(0);
        let threads: Vec<_> = (0..4 * slots())
            .map(|_| {
                std::thread::spawn(|| {
                    gated(|| {
                        let n = NOW.fetch_add(1, Ordering::SeqCst) + 1;
                        MOST.fetch_max(n, Ordering::SeqCst);
                        std::thread::sleep(std::time::Duration::from_millis(5));
                        NOW.fetch_sub(1, Ordering::SeqCst);
                    })
                    .expect("ran")
                })
            })
            .collect();
        for t in threads {
            t.join().expect("thread");
        }
        let most = MOST.load(Ordering::SeqCst);
        assert!(
            most <= slots() && most > 1,
            "{most} at once, {} slots",
            slots()
        );
        // And a real hash still verifies through the gate.
        let h = hash("correct horse battery staple").expect("hash");
        assert!(verify("correct horse battery staple", &h) && !verify("wrong", &h));
    }

    #[test]
    fn refuses_short_common_and_personal_passwords() {
        assert!(check_policy("short", &[]).is_err());
        let e = check_policy("password1234", &[]).expect_err("common");
        assert!(e.reason.contains("common"), "{e}");
        assert!(check_policy("qwertyuiop123", &[]).is_err());
        assert!(
            check_policy("ana.berisha.1990", &["ana.berisha@example.org"]).is_err(),
            "built from the user's own email"
        );
        assert!(check_policy("copper lantern orchard drift", &[]).is_ok());
    }

    #[test]
    fn hashes_are_argon2id_salted_and_verify() {
        let a = hash("copper lantern orchard drift").expect("hash");
        let b = hash("copper lantern orchard drift").expect("hash");
        assert!(a.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{a}");
        assert_ne!(a, b, "salted");
        assert!(verify("copper lantern orchard drift", &a));
        assert!(!verify("copper lantern orchard drifts", &a));
        assert!(!verify("anything", "not a hash"));
    }
}
