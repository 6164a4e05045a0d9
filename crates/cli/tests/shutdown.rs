//! A clean stop: SIGTERM sent to `homeward serve` while clients keep asking; every
//! connection the server accepted gets its whole answer, later ones are refused, and the
//! process exits by itself, successfully, within its grace period.

mod support;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;
use support::Server;

#[test]
fn sigterm_finishes_the_requests_in_flight_and_stops() {
    let mut server = Server::start_with(None, &["--grace-seconds".into(), "20".into()]);
    let addr = server.base.trim_start_matches("http://").to_owned();
    let stop = Arc::new(AtomicBool::new(false));
    let (answered, broken) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
    let clients: Vec<_> = (0..6)
        .map(|_| {
            let (addr, stop, answered, broken) =
                (addr.clone(), stop.clone(), answered.clone(), broken.clone());
            std::thread::spawn(move || {
                while !stop.load(Ordering::Relaxed) {
                    // Refused: the server no longer accepts, as it should once stopping.
                    let Ok(mut s) = TcpStream::connect(&addr) else { break };
                    let _ = s.set_read_timeout(Some(Duration::from_secs(30)));
                    let asked = write!(
                        s,
                        "GET /projects?q=reintegration HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
                    );
                    let mut raw = Vec::new();
                    let read = s.read_to_end(&mut raw);
                    let text = String::from_utf8_lossy(&raw);
                    let whole = asked.is_ok()
                        && read.is_ok()
                        && text.starts_with("HTTP/1.1 200")
                        && text.trim_end().ends_with("</html>");
                    // A connection closed before any byte was read was never taken up.
                    if whole {
                        answered.fetch_add(1, Ordering::Relaxed);
                    } else if !raw.is_empty() {
                        broken.fetch_add(1, Ordering::Relaxed);
                    }
                }
            })
        })
        .collect();
    // Let the clients get answers (and wait for them on a busy machine).
    let started = std::time::Instant::now();
    while answered.load(Ordering::Relaxed) < 6 && started.elapsed() < Duration::from_secs(30) {
        std::thread::sleep(Duration::from_millis(50));
    }
    let before = answered.load(Ordering::Relaxed);
    let sent = Command::new("kill")
        .args(["-TERM", &server.pid().to_string()])
        .status()
        .expect("kill");
    assert!(sent.success());
    let status = server.stopped_within(Duration::from_secs(25));
    stop.store(true, Ordering::Relaxed);
    for c in clients {
        c.join().expect("client");
    }
    assert!(before > 5, "requests were being answered ({before})");
    assert_eq!(broken.load(Ordering::Relaxed), 0, "no answer cut half-way");
    let status = status.expect("the server stopped by itself within its grace period");
    assert!(status.success(), "{status:?}");
}
