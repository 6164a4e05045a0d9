//! The configuration file as an operator writes it: its settings are used by every
//! command, the environment beats it and the command line beats both, `homeward config
//! check` says what is in force and from where, and a key that is no setting is named.

use std::process::{Command, Output};

fn homeward(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_homeward"));
    c.args(args).env("HOMEWARD_LOG", "warn");
    for v in [
        "HOMEWARD_CONFIG",
        "HOMEWARD_DATABASE_URL",
        "HOMEWARD_LISTEN",
        "HOMEWARD_GRACE_SECONDS",
        "HOMEWARD_LOG_FORMAT",
    ] {
        c.env_remove(v);
    }
    for (k, v) in env {
        c.env(k, v);
    }
    c.output().expect("run homeward")
}

fn out(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// The line of `config check` for one setting.
fn line<'a>(text: &'a str, setting: &str) -> &'a str {
    text.lines()
        .find(|l| l.split_whitespace().next() == Some(setting))
        .unwrap_or_else(|| panic!("{setting} in {text}"))
}

#[test]
fn the_file_sets_what_flags_and_environment_leave_and_check_says_where_each_comes_from() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("from-file.db");
    let conf = dir.path().join("homeward.toml");
    std::fs::write(
        &conf,
        format!(
            "database_url = {:?}\nlog_format = \"json\"\n\n[serve]\nlisten = \"127.0.0.1:9999\"\ngrace_seconds = 7\ndemo = true\nsmtp_url = \"smtp://mailer:secret@mail.example.org:587\"\n",
            db.display()
        ),
    )
    .expect("write");
    let conf = conf.to_str().expect("utf-8");

    // A command with no flag uses the file's database.
    let o = homeward(&["migrate"], &[("HOMEWARD_CONFIG", conf)]);
    assert!(o.status.success(), "{}", out(&o));
    assert!(db.exists(), "the database named in the file was created");

    // The environment beats the file; the command line beats both.
    let o = homeward(
        &["config", "check", "serve", "--config", conf],
        &[("HOMEWARD_LISTEN", "127.0.0.1:8888")],
    );
    assert!(o.status.success(), "{}", out(&o));
    let text = out(&o);
    assert!(
        text.contains(&format!("Configuration file: {conf}")),
        "{text}"
    );
    let l = line(&text, "listen");
    assert!(
        l.contains("127.0.0.1:8888") && l.contains("environment HOMEWARD_LISTEN"),
        "{l}"
    );
    let l = line(&text, "grace_seconds");
    assert!(
        l.contains(" 7 ") && l.contains(&format!("file {conf}")),
        "{l}"
    );
    let l = line(&text, "database_url");
    assert!(l.contains("from-file.db") && l.contains("file"), "{l}");
    let l = line(&text, "log_format");
    assert!(
        l.contains("json") && l.contains("file"),
        "a global setting: {l}"
    );
    let l = line(&text, "demo");
    assert!(l.contains("true") && l.contains("file"), "a switch: {l}");
    let l = line(&text, "rate_max_age_days");
    assert!(l.contains("31") && l.contains("default"), "{l}");
    let l = line(&text, "smtp_url");
    assert!(!l.contains("secret"), "a password is never printed: {l}");

    let o = homeward(
        &["config", "check", "serve", "--config", conf],
        &[
            ("HOMEWARD_LISTEN", "127.0.0.1:8888"),
            ("HOMEWARD_GRACE_SECONDS", "9"),
        ],
    );
    assert!(line(&out(&o), "grace_seconds").contains("environment HOMEWARD_GRACE_SECONDS"));

    // The settings of another command, a required one given by no one included.
    let o = homeward(&["config", "check", "backup", "--config", conf], &[]);
    assert!(o.status.success(), "{}", out(&o));
    let text = out(&o);
    assert!(
        line(&text, "database_url").contains("from-file.db"),
        "{text}"
    );
    assert!(line(&text, "out").contains("not set"), "{text}");
    assert!(
        !text.contains("grace_seconds"),
        "serve's settings are not backup's: {text}"
    );
}

#[test]
fn a_key_that_is_no_setting_is_named_and_nothing_runs_with_it() {
    let dir = tempfile::tempdir().expect("dir");
    let conf = dir.path().join("homeward.toml");
    let db = dir.path().join("h.db");
    std::fs::write(
        &conf,
        format!(
            "database_url = {:?}\ndatabse_url = \"typo\"\n[serve]\nlistn = \"0.0.0.0:80\"\n[nonsense]\nx = 1\n",
            db.display()
        ),
    )
    .expect("write");
    let conf = conf.to_str().expect("utf-8");
    let o = homeward(&["config", "check", "--config", conf], &[]);
    assert_eq!(o.status.code(), Some(1), "{}", out(&o));
    let text = out(&o);
    for key in ["databse_url", "[serve] listn", "nonsense"] {
        assert!(text.contains(key), "{key} named: {text}");
    }
    assert!(
        line(&text, "listen").contains("default"),
        "the settings still listed: {text}"
    );

    let o = homeward(&["migrate", "--config", conf], &[]);
    assert!(!o.status.success());
    assert!(out(&o).contains("[serve] listn"), "{}", out(&o));
    assert!(!db.exists(), "nothing ran");

    // A value of the wrong kind is refused as a flag's would be, naming the setting.
    std::fs::write(
        dir.path().join("bad.toml"),
        "[serve]\ngrace_seconds = \"soon\"\n",
    )
    .expect("write");
    let bad = dir.path().join("bad.toml");
    let o = homeward(
        &["config", "check", "--config", bad.to_str().expect("utf-8")],
        &[],
    );
    assert!(!o.status.success());
    assert!(
        out(&o).contains("grace-seconds") && out(&o).contains("soon"),
        "{}",
        out(&o)
    );

    // A file that is not there is an error, not a silent default.
    let o = homeward(&["migrate", "--config", "/nonexistent/homeward.toml"], &[]);
    assert!(!o.status.success());
    assert!(
        out(&o).contains("/nonexistent/homeward.toml"),
        "{}",
        out(&o)
    );
}

#[test]
fn the_sample_configuration_shipped_for_operators_is_valid() {
    let sample = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../docs/deploy/homeward.toml"
    );
    let o = homeward(&["config", "check", "serve", "--config", sample], &[]);
    assert!(o.status.success(), "{}", out(&o));
    let text = out(&o);
    assert!(
        line(&text, "metrics_listen").contains("127.0.0.1:9464")
            && line(&text, "metrics_listen").contains("file"),
        "{text}"
    );
    assert!(line(&text, "trust_proxy").contains("true"), "{text}");
}
