//! Notifications by email: the SMTP connection (through `lettre`, set by `--smtp-url`),
//! the messages in words (`compose`) and the background pass that notices overdue tasks
//! and sends what is due at once or in the day's digest (`worker`). Without SMTP settings
//! nothing is sent and nothing is tried; notifications stay in the application.

pub mod compose;
pub mod sink;
pub mod worker;

use lettre::message::{Mailbox, header::ContentType};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::time::Duration;

/// Why email could not be set up or sent.
#[derive(Debug, thiserror::Error)]
pub enum MailError {
    #[error("the SMTP address {url} cannot be used: {reason}")]
    Url { url: String, reason: String },
    #[error("the sender address {0:?} is not an email address")]
    From(String),
    #[error("an email to {to} could not be written: {reason}")]
    Build { to: String, reason: String },
    #[error("the SMTP server did not take the email: {0}")]
    Send(String),
}

/// Settings of outgoing email.
#[derive(Clone, Debug)]
pub struct MailSettings {
    /// `smtp://host:port` (plain, for a relay on the same machine or network),
    /// `smtp://host:587?tls=required` (STARTTLS) or `smtps://user:pass@host:465` (TLS).
    pub smtp_url: String,
    /// Who the emails come from, e.g. `Homeward <homeward@iom.example>`.
    pub from: String,
    /// Where readers open Homeward, for the links in emails, e.g. `https://homeward.example`;
    /// when not given, the address the server listens on (see [`Mailer::listening_on`]).
    pub public_url: Option<String>,
    /// The hour (UTC) the daily digest goes out.
    pub digest_hour: u8,
}

/// A ready SMTP connection with the sender and the links' base.
#[derive(Clone)]
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    /// None until given, or until [`Mailer::listening_on`] names the server's address.
    public_url: Option<String>,
    digest_hour: u8,
    server: String,
}

impl std::fmt::Debug for Mailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Mailer")
            .field("server", &self.server)
            .finish()
    }
}

/// The host and port of an SMTP address, without its user and password.
pub fn server_of(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let rest = rest.rsplit_once('@').map_or(rest, |(_, r)| r);
    rest.split(['/', '?']).next().unwrap_or_default().to_owned()
}

impl Mailer {
    pub fn new(s: &MailSettings) -> Result<Self, MailError> {
        let server = server_of(&s.smtp_url);
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(&s.smtp_url)
            .map_err(|e| MailError::Url {
                url: server.clone(),
                reason: e.to_string(),
            })?
            .timeout(Some(Duration::from_secs(30)))
            .build();
        let from = s
            .from
            .parse::<Mailbox>()
            .map_err(|_| MailError::From(s.from.clone()))?;
        Ok(Mailer {
            transport,
            from,
            public_url: s
                .public_url
                .as_deref()
                .map(|u| u.trim_end_matches('/').to_owned()),
            digest_hour: s.digest_hour.min(23),
            server,
        })
    }

    /// Links point at `addr` (over http) unless a public address was given.
    pub fn listening_on(mut self, addr: std::net::SocketAddr) -> Self {
        self.public_url
            .get_or_insert_with(|| format!("http://{addr}"));
        self
    }

    /// The SMTP server's host and port, for the administration page.
    pub fn server(&self) -> &str {
        &self.server
    }

    pub fn public_url(&self) -> &str {
        self.public_url
            .as_deref()
            .unwrap_or("http://localhost:8080")
    }

    pub fn digest_hour(&self) -> u8 {
        self.digest_hour
    }

    /// Sends one plain-text email.
    pub async fn send(&self, to: (&str, &str), mail: &compose::Mail) -> Result<(), MailError> {
        let (name, email) = to;
        let build = |reason: String| MailError::Build {
            to: email.to_owned(),
            reason,
        };
        let to = Mailbox::new(
            Some(name.to_owned()),
            email
                .parse()
                .map_err(|_| build("not an email address".into()))?,
        );
        let message = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(mail.subject.clone())
            .header(ContentType::TEXT_PLAIN)
            .body(mail.body.clone())
            .map_err(|e| build(e.to_string()))?;
        self.transport
            .send(message)
            .await
            .map(|_| ())
            .map_err(|e| MailError::Send(e.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_server_is_named_without_its_secret() {
        assert_eq!(
            server_of("smtps://me:secret@mail.example:465"),
            "mail.example:465"
        );
        assert_eq!(
            server_of("smtp://127.0.0.1:2525?tls=none"),
            "127.0.0.1:2525"
        );
        assert_eq!(server_of("smtp://relay"), "relay");
    }

    #[test]
    fn a_bad_sender_or_address_is_named() {
        let bad = Mailer::new(&MailSettings {
            smtp_url: "smtp://127.0.0.1:2525".into(),
            from: "not an address".into(),
            public_url: Some("http://x".into()),
            digest_hour: 6,
        });
        assert!(matches!(bad, Err(MailError::From(_))));
        let bad = Mailer::new(&MailSettings {
            smtp_url: "ftp://127.0.0.1".into(),
            from: "Homeward <h@example.org>".into(),
            public_url: Some("http://x".into()),
            digest_hour: 6,
        });
        assert!(matches!(bad, Err(MailError::Url { .. })), "{bad:?}");
    }
}
