//! The access rule a route is declared with: who may reach it at all. The gate enforces it
//! before the handler runs; handlers still ask the policy for a proof before they touch
//! protected data, and record-level scope is decided there.

use homeward_domain::access::Permission;

/// Who may reach a route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anyone; the gate does not look for an identity (the public catalogue).
    Public,
    /// Anyone; forms are protected by the pre-session token (sign-in, password links).
    Anyone,
    /// Only the pending session between password and one-time code.
    Pending,
    /// Any signed-in user, including one who must still set up one-time codes.
    Enrolling,
    /// Any signed-in user.
    Signed,
    /// A signed-in user whose grants include this permission.
    Permission(Permission),
}
