//! Random secrets handed to people or programs (session cookies, API tokens, invitation
//! links, recovery codes) and the one-way hash under which they are stored, so a copy of
//! the database does not let anyone sign in.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sha2::{Digest, Sha256};

/// 256 random bits as URL-safe text, with an optional prefix that tells what it is.
pub fn new_token(prefix: &str) -> String {
    let bytes: [u8; 32] = rand::random();
    format!("{prefix}{}", URL_SAFE_NO_PAD.encode(bytes))
}

/// The hex SHA-256 of a secret: what the database keeps. Secrets are random and long, so
/// a fast hash is enough (passwords, which are not, use argon2id).
pub fn digest(secret: &str) -> String {
    hex(&Sha256::digest(secret.as_bytes()))
}

/// The hex SHA-256 of a file, to show it was not changed since it was stored.
pub fn digest_bytes(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

pub fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes
        .iter()
        .fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
}

/// A recovery code a person can type: ten letters and digits in two groups, without
/// look-alikes (0/O, 1/I/L).
pub fn recovery_code() -> String {
    const ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";
    let picks: [u8; 10] = rand::random();
    let chars: String = picks
        .iter()
        .map(|b| ALPHABET[*b as usize % ALPHABET.len()] as char)
        .collect();
    format!("{}-{}", &chars[..5], &chars[5..])
}

/// How a typed recovery code compares: case, spaces and dashes do not matter.
pub fn normalize_code(typed: &str) -> String {
    typed
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_long_random_and_hashed_stably() {
        let a = new_token("hw_");
        assert!(a.starts_with("hw_") && a.len() == 3 + 43, "{a}");
        assert_ne!(a, new_token("hw_"));
        assert_eq!(digest("abc").len(), 64);
        assert_eq!(
            digest("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn recovery_codes_read_easily() {
        let c = recovery_code();
        assert_eq!(c.len(), 11);
        assert_eq!(normalize_code(&c.to_lowercase()), normalize_code(&c));
        assert!(!c.contains('0') && !c.contains('O'));
    }
}
