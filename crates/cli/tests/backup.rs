//! `homeward backup` while a writer keeps writing, then `homeward restore` into another
//! database: every write acknowledged before the backup began is there, migrations are
//! current, and `audit verify` passes; a restore over a database that holds data is
//! refused without --force. Both databases, through the real binary.

use homeward_domain::account::OfficeDraft;
use homeward_store::testing::TestDb;
use homeward_store::{Store, both_backends};
use std::process::Command;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

fn homeward(args: &[&str]) -> (bool, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_homeward"))
        .args(args)
        .output()
        .expect("run homeward");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

both_backends! {
    fn a_backup_taken_while_writing_restores_every_acknowledged_write(db) {
        let store = db.store.clone();
        // A writer adds offices (each audited) until told to stop, noting when each was
        // acknowledged.
        let stop = Arc::new(AtomicBool::new(false));
        let acked: Arc<Mutex<Vec<(Instant, String)>>> = Arc::default();
        let writer = {
            let (store, stop, acked) = (store.clone(), stop.clone(), acked.clone());
            std::thread::spawn(move || {
                let mut n = 0;
                while !stop.load(Ordering::Relaxed) {
                    n += 1;
                    let name = format!("Field office {n}");
                    let d = OfficeDraft::parse(&name, "AL", "iom_mission").expect("draft");
                    if store.add_office_console(&d).is_ok() {
                        acked.lock().expect("lock").push((Instant::now(), name));
                    }
                }
            })
        };
        // Let the writer get going (and wait for it on a busy machine).
        let started = Instant::now();
        while acked.lock().expect("lock").len() < 5 && started.elapsed() < Duration::from_secs(20) {
            std::thread::sleep(Duration::from_millis(50));
        }
        let dir = tempfile::tempdir().expect("dir");
        let file = dir.path().join("homeward.backup");
        let began = Instant::now();
        let (ok, said) = homeward(&["backup", "--database-url", &db.url, "--out", &file.to_string_lossy()]);
        std::thread::sleep(Duration::from_millis(100));
        stop.store(true, Ordering::Relaxed);
        writer.join().expect("writer");
        assert!(ok, "{said}");
        assert!(said.contains("migrations current") && said.contains("audit entries verified"), "{said}");
        let (ok, said) = homeward(&["backup", "--database-url", &db.url, "--out", &file.to_string_lossy()]);
        assert!(!ok && said.contains("exists already"), "a backup never overwrites: {said}");
        // Over a database that holds data: refused without --force.
        let (ok, said) = homeward(&["restore", &file.to_string_lossy(), "--database-url", &db.url]);
        assert!(!ok && said.contains("is not empty") && said.contains("--force"), "{said}");
        // SQLite: into a new file; PostgreSQL: over a fresh (migrated, so not empty)
        // database, forced.
        let (pg_target, target_url) = match db.store.backend() {
            homeward_store::Backend::Sqlite => (None, dir.path().join("restored.db").to_string_lossy().into_owned()),
            homeward_store::Backend::Postgres => {
                let t = TestDb::postgres().expect("postgres");
                let url = t.url.clone();
                (Some(t), url)
            }
        };
        let mut args = vec!["restore", file.to_str().expect("path"), "--database-url", &target_url];
        if pg_target.is_some() {
            args.push("--force");
        }
        let (ok, said) = homeward(&args);
        assert!(ok, "{said}");
        assert!(said.contains("Restored: migrations current"), "{said}");
        let restored = Store::connect(&target_url).expect("open");
        let names: Vec<String> = restored.offices().expect("offices").into_iter().map(|o| o.name).collect();
        let before: Vec<String> = acked.lock().expect("lock").iter().filter(|(at, _)| *at < began).map(|(_, n)| n.clone()).collect();
        assert!(before.len() > 3, "the writer wrote before the backup ({})", before.len());
        let lost: Vec<&String> = before.iter().filter(|n| !names.contains(n)).collect();
        assert!(lost.is_empty(), "acknowledged before the backup began, missing after restore: {lost:?}");
        let (ok, said) = homeward(&["audit", "verify", "--database-url", &target_url]);
        assert!(ok && said.contains("intact"), "{said}");
    }
}
