//! Who is acting and from where, as the audit trail records it.

use homeward_domain::access::Principal;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub user_id: Option<i64>,
    /// The email of the user, `console` for the command line, or what an anonymous
    /// client claimed (the email typed into a failed sign-in).
    pub label: String,
    /// The client address; empty on the console.
    pub ip: String,
}

impl Actor {
    pub fn of(p: &Principal, ip: &str) -> Actor {
        Actor {
            user_id: Some(p.user_id()),
            label: p.email().to_owned(),
            ip: ip.to_owned(),
        }
    }

    /// The command line on the server (`homeward user add`, demo data).
    pub fn console() -> Actor {
        Actor {
            user_id: None,
            label: "console".into(),
            ip: String::new(),
        }
    }

    /// Someone not signed in.
    pub fn anonymous(label: &str, ip: &str) -> Actor {
        Actor {
            user_id: None,
            label: label.chars().take(254).collect(),
            ip: ip.to_owned(),
        }
    }
}
