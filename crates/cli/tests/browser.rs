//! The catalogue and signing in, in a real headless Chromium (Playwright driving Debian's chromium), with
//! axe-core on every page: the scripts in `tests/browser/` against a live `homeward serve --demo`
//! on an encrypted database.
//! Skipped with a notice on a machine without Node, Chromium or the npm packages, but
//! never under `CI=true`.

mod support;

use homeward_web::mail::sink::SmtpSink;
use std::path::Path;
use std::process::Command;
use support::{Server, repo_root};

fn missing_tools(dir: &Path) -> Vec<String> {
    let mut missing = Vec::new();
    if Command::new("node").arg("--version").output().is_err() {
        missing.push("node".to_owned());
    }
    // The story reads the case file Chromium printed to PDF.
    if Command::new("pdftotext").arg("-v").output().is_err() {
        missing.push("pdftotext (Debian poppler-utils)".to_owned());
    }
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    if !Path::new(&chromium).exists() {
        missing.push(chromium);
    }
    for pkg in ["playwright-core", "axe-core"] {
        if !dir.join("node_modules").join(pkg).exists() {
            missing.push(format!("npm package {pkg} (run npm ci in tests/browser)"));
        }
    }
    missing
}

/// Runs one browser script against a fresh demo server; false when the tools are
/// missing outside CI.
fn run_script(script: &str) {
    run_script_with(script, false);
}

/// The same; with `mail`, the server emails notifications to a real SMTP server on
/// loopback whose messages the script reads (`HOMEWARD_MAIL_SINK`, a JSON-lines file).
fn run_script_with(script: &str, mail: bool) {
    let dir = repo_root().join("tests/browser");
    let missing = missing_tools(&dir);
    if !missing.is_empty() {
        if homeward_store::testing::in_ci() {
            panic!("browser tests need {missing:?} under CI=true");
        }
        eprintln!("skipping the browser test: missing {missing:?}");
        return;
    }
    let sink = if mail {
        if !homeward_web::mail::sink::available() {
            assert!(
                !homeward_store::testing::in_ci(),
                "python3 with aiosmtpd is required under CI=true"
            );
            eprintln!("no aiosmtpd: the story runs without email");
            None
        } else {
            Some(SmtpSink::start(&repo_root()).expect("the SMTP sink starts"))
        }
    } else {
        None
    };
    let mut extra: Vec<String> = match &sink {
        Some(s) => vec![
            "--smtp-url".into(),
            s.url(),
            "--mail-every".into(),
            "1".into(),
        ],
        None => vec![],
    };
    // Every page is checked on an encrypted database, as a laptop in the field keeps it.
    let keys = tempfile::tempdir().expect("a directory for the key");
    extra.extend(["--database-key-file".into(), key_file(keys.path())]);
    let server = Server::start_with(None, &extra);
    let shots = repo_root().join("target/screenshots");
    let mut cmd = Command::new("node");
    if let Some(s) = &sink {
        cmd.env("HOMEWARD_MAIL_SINK", &s.out);
    }
    let out = cmd
        .arg(dir.join(script))
        .arg(&server.base)
        .arg(&shots)
        .env("HOMEWARD_DEMO_PASSWORD", server.demo_password())
        .current_dir(&dir)
        .output()
        .expect("run node");
    let stdout = String::from_utf8_lossy(&out.stdout);
    println!("{stdout}");
    eprintln!("{}", String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "browser checks failed:\n{stdout}");
}

/// A key file only its owner reads, in `dir`.
fn key_file(dir: &Path) -> String {
    let path = dir.join("database.key");
    std::fs::write(&path, "browser-checks-key-0123456789\n").expect("write the key");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).expect("chmod");
    }
    path.to_string_lossy().into_owned()
}

#[test]
fn catalogue_in_a_real_browser() {
    run_script("catalogue.mjs");
}

/// Sign in, see only what the role allows, sign out.
#[test]
fn accounts_in_a_real_browser() {
    run_script("access.mjs");
}

/// The Norway → Albania story with three people, ending with a closed case within the cap.
#[test]
fn the_return_story_in_a_real_browser() {
    run_script_with("story.mjs", true);
}

/// The Samgori tool library's counter: lend a drill, refuse it again, take it back with
/// its fee; the public pages of the three levels.
#[test]
fn the_tool_counter_in_a_real_browser() {
    run_script("community.mjs");
}
