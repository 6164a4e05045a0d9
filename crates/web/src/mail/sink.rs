//! For tests: a real SMTP server on loopback (`tests/mail/smtp_sink.py`, built on the PyPI
//! package aiosmtpd) that writes each message it receives, decoded, as a JSON line. Used
//! by the HTTP, mail and browser tests to read what Homeward sent.

use std::io::{BufRead, BufReader};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A running SMTP sink, stopped (and its file removed) when dropped.
pub struct SmtpSink {
    child: Child,
    pub port: u16,
    /// The JSON-lines file messages are written to.
    pub out: PathBuf,
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_file(&self.out);
    }
}

/// Whether python3 with aiosmtpd is at hand.
pub fn available() -> bool {
    Command::new("python3")
        .args(["-c", "import aiosmtpd"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

impl SmtpSink {
    /// Starts the sink from the repository at `repo_root`; None when it cannot start.
    pub fn start(repo_root: &Path) -> Option<SmtpSink> {
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .ok()?
            .port();
        let out =
            std::env::temp_dir().join(format!("homeward-mail-{}-{port}.jsonl", std::process::id()));
        let mut child = Command::new("python3")
            .arg(repo_root.join("tests/mail/smtp_sink.py"))
            .arg(port.to_string())
            .arg(&out)
            .stdout(Stdio::piped())
            .spawn()
            .ok()?;
        let mut line = String::new();
        let said = child
            .stdout
            .take()
            .map(|so| BufReader::new(so).read_line(&mut line));
        let sink = SmtpSink { child, port, out };
        if !matches!(said, Some(Ok(_))) || !line.starts_with("ready") {
            return None;
        }
        let started = Instant::now();
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            if started.elapsed() > Duration::from_secs(10) {
                return None;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        Some(sink)
    }

    /// The SMTP address to give Homeward.
    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// The messages received so far: recipients (`to`), `subject` and plain-text `body`.
    pub fn received(&self) -> Vec<serde_json::Value> {
        std::fs::read_to_string(&self.out)
            .unwrap_or_default()
            .lines()
            .filter_map(|l| serde_json::from_str(l).ok())
            .collect()
    }
}
