//! Who is asking and whether they may: cookies, the per-route gate (identity, CSRF,
//! access rule) and the extractors handlers receive.

pub mod access;
pub mod cookies;
pub mod gate;
pub mod identity;
pub mod waiting;

pub use identity::{ClientIp, Identity, Signed, Visitor};
