#![allow(dead_code)] // each test file uses part of it
//! Starts the real `homeward` binary on `127.0.0.1:0` and talks to it over TCP.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

/// A running `homeward serve`, stopped when dropped.
pub struct Server {
    child: Child,
    pub base: String,
    /// What the server printed before it was ready.
    pub said: Vec<String>,
    _dir: tempfile::TempDir,
}

impl Server {
    /// `homeward serve --demo` on a new SQLite file (or `database_url`), on a free port.
    pub fn start(database_url: Option<&str>) -> Server {
        Server::start_with(database_url, &[])
    }

    /// The same, with more arguments to `serve`.
    pub fn start_with(database_url: Option<&str>, extra: &[String]) -> Server {
        let dir = tempfile::tempdir().expect("temporary directory");
        let db = database_url.map(str::to_owned).unwrap_or_else(|| {
            dir.path()
                .join("homeward.db")
                .to_string_lossy()
                .into_owned()
        });
        let mut child = Command::new(env!("CARGO_BIN_EXE_homeward"))
            .args([
                "serve",
                "--demo",
                "--listen",
                "127.0.0.1:0",
                "--database-url",
                &db,
            ])
            // Tests run many servers at once: no metrics unless a test asks for them.
            .args(if extra.iter().any(|a| a == "--metrics-listen") {
                &[][..]
            } else {
                &["--metrics-listen", "off"][..]
            })
            .args(extra)
            .env("HOMEWARD_LOG", "warn")
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start homeward");
        let stdout = child.stdout.take().expect("stdout");
        let mut lines = BufReader::new(stdout).lines();
        let mut said = Vec::new();
        let base = loop {
            let Some(Ok(line)) = lines.next() else {
                let _ = child.kill();
                panic!("homeward stopped before printing its URL: {said:?}");
            };
            if let Some(i) = line.find("http://") {
                let first = line[i..].split_whitespace().next().unwrap_or("");
                let url = first.trim_end_matches("/projects").to_owned();
                said.push(line);
                break url;
            }
            said.push(line);
        };
        assert!(
            said.iter().any(|l| l.contains("Demo mode")),
            "--demo says what it did: {said:?}"
        );
        Server {
            child,
            base,
            said,
            _dir: dir,
        }
    }

    /// The server's process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Waits up to `limit` for the server to stop by itself; its exit status, if it did.
    pub fn stopped_within(
        &mut self,
        limit: std::time::Duration,
    ) -> Option<std::process::ExitStatus> {
        let started = std::time::Instant::now();
        while started.elapsed() < limit {
            if let Ok(Some(status)) = self.child.try_wait() {
                return Some(status);
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        None
    }

    /// The demo users' password `serve --demo` printed.
    pub fn demo_password(&self) -> String {
        self.said
            .iter()
            .find_map(|l| {
                l.split_once("the password: ")
                    .map(|(_, p)| p.trim().to_owned())
            })
            .expect("serve --demo prints the demo password")
    }

    /// A GET over a real connection: status and body.
    pub fn get(&self, path: &str) -> (u16, String) {
        let addr = self.base.trim_start_matches("http://");
        let mut s = TcpStream::connect(addr).expect("connect");
        write!(
            s,
            "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
        )
        .expect("send");
        let mut raw = String::new();
        s.read_to_string(&mut raw).expect("read");
        let status = raw
            .split(' ')
            .nth(1)
            .and_then(|c| c.parse().ok())
            .unwrap_or(0);
        let body = raw
            .split_once("\r\n\r\n")
            .map(|(_, b)| b.to_owned())
            .unwrap_or_default();
        (status, body)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}
