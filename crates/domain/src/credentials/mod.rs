//! What people and programs prove themselves with: passwords, one-time codes, random
//! tokens. Pure computation; where they are kept is the store's business.

pub mod password;
pub mod secret;
pub mod totp;
