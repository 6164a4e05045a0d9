//! Time-based one-time codes (RFC 6238: HMAC-SHA1, six digits, 30-second steps, one step
//! of clock drift either way), as authenticator apps expect them. A code is accepted once:
//! the caller keeps the last step used and passes it back.

use totp_rs::{Algorithm, Builder, Totp};

pub const ISSUER: &str = "Homeward";

/// A new 160-bit secret, as the base32 text authenticator apps take.
pub fn new_secret() -> String {
    let bytes: [u8; 20] = rand::random();
    totp_rs::Secret::from(bytes.to_vec()).to_base32()
}

fn totp(secret_b32: &str, account: &str) -> Option<Totp> {
    let secret = totp_rs::Secret::try_from_base32(secret_b32).ok()?;
    Builder::new()
        .with_algorithm(Algorithm::SHA1)
        .with_digits(6)
        .with_skew(1)
        .with_step_duration(30)
        .with_secret(secret)
        .with_account_name(account.replace(':', " "))
        .with_issuer(Some(ISSUER))
        .build()
        .ok()
}

/// The `otpauth://` address an authenticator app reads (typed or scanned).
pub fn setup_uri(secret_b32: &str, account: &str) -> Option<String> {
    totp(secret_b32, account)?.to_url().ok()
}

/// The step a code is valid for at `unix_time`, if it is valid and newer than
/// `last_step` (so a code seen once cannot be replayed).
pub fn accept(secret_b32: &str, code: &str, unix_time: u64, last_step: Option<u64>) -> Option<u64> {
    let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    let step = totp(secret_b32, "")?.check(&code, unix_time)?;
    match last_step {
        Some(last) if step <= last => None,
        _ => Some(step),
    }
}

/// The code for `unix_time`, for tests and demos.
pub fn code_at(secret_b32: &str, unix_time: u64) -> Option<String> {
    Some(totp(secret_b32, "")?.generate(unix_time).to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 6238 appendix B, SHA-1 column, truncated to six digits.
    #[test]
    fn matches_the_rfc_test_vectors() {
        let secret = totp_rs::Secret::from(b"12345678901234567890".to_vec()).to_base32();
        assert_eq!(code_at(&secret, 59).as_deref(), Some("287082"));
        assert_eq!(code_at(&secret, 1_111_111_109).as_deref(), Some("081804"));
        assert_eq!(code_at(&secret, 1_234_567_890).as_deref(), Some("005924"));
    }

    #[test]
    fn accepts_drift_of_one_step_and_never_twice() {
        let s = new_secret();
        let t = 1_700_000_000;
        let code = code_at(&s, t).expect("code");
        let step = accept(&s, &code, t + 30, None).expect("one step late is fine");
        assert_eq!(step, t / 30);
        assert_eq!(
            accept(&s, &code, t + 30, Some(step)),
            None,
            "replay refused"
        );
        assert_eq!(accept(&s, &code, t + 120, None), None, "too late");
        assert_eq!(accept(&s, "12345x", t, None), None);
        assert!(setup_uri(&s, "ana@example.org").is_some_and(|u| u.starts_with("otpauth://totp/")));
    }
}
