//! `homeward export xlsform|instrument` and `homeward import instrument` as an operator
//! runs them: the first start installs Homeward's own instrument, its TOML comes out and a
//! changed version goes back in, a broken file is refused naming its place, and the XLSForm
//! is written for ODK and Kobo.

use homeward_store::testing::TestDb;
use std::process::{Command, Output};

fn homeward(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_homeward"))
        .args(args)
        .env("HOMEWARD_LOG", "warn")
        .output()
        .expect("run homeward")
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

#[test]
fn an_instrument_goes_out_and_a_new_version_comes_in() {
    let db = TestDb::sqlite();
    let dir = tempfile::tempdir().expect("dir");
    let path = |n: &str| dir.path().join(n).to_str().expect("path").to_owned();
    let o = homeward(&[
        "export",
        "instrument",
        "--out",
        &path("v1.toml"),
        "--database-url",
        &db.url,
    ]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(
        text(&o).contains("homeward-wellbeing version 1"),
        "{}",
        text(&o)
    );
    let v1 = std::fs::read_to_string(path("v1.toml")).expect("written");
    assert!(v1.contains("code = \"homeward-wellbeing\""));

    let o = homeward(&[
        "export",
        "xlsform",
        "--out",
        &path("form.xlsx"),
        "--database-url",
        &db.url,
    ]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(
        std::fs::read(path("form.xlsx"))
            .expect("written")
            .starts_with(b"PK")
    );
    let o = homeward(&[
        "export",
        "csv",
        "--instrument",
        "1",
        "--out",
        &path("x.csv"),
        "--database-url",
        &db.url,
    ]);
    assert!(
        !o.status.success() && text(&o).contains("--instrument is for"),
        "{}",
        text(&o)
    );

    // A broken version is refused with its place; nothing is stored.
    std::fs::write(
        path("bad.toml"),
        v1.replacen("version = 1", "version = 2", 1)
            .replacen("score = 0.5", "score = 2.0", 1),
    )
    .expect("write");
    let o = homeward(&[
        "import",
        "instrument",
        &path("bad.toml"),
        "--database-url",
        &db.url,
    ]);
    assert!(!o.status.success());
    assert!(
        text(&o).contains("options[2] (one).score: 2 is not between 0 and 1"),
        "{}",
        text(&o)
    );
    assert_eq!(db.store.instruments().expect("list").len(), 1);

    std::fs::write(
        path("v2.toml"),
        v1.replacen("version = 1", "version = 2", 1),
    )
    .expect("write");
    let o = homeward(&[
        "import",
        "instrument",
        &path("v2.toml"),
        "--adopt",
        "--database-url",
        &db.url,
    ]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(
        text(&o).contains("version 2 stored as instrument 2; adopted, 0 survey(s) scored by it"),
        "{}",
        text(&o)
    );
    let (current, i) = db.store.current_instrument().expect("ok").expect("current");
    assert_eq!((current, i.version()), (2, 2));
    let o = homeward(&[
        "import",
        "instrument",
        &path("v2.toml"),
        "--database-url",
        &db.url,
    ]);
    assert!(
        !o.status.success() && text(&o).contains("loaded already"),
        "{}",
        text(&o)
    );
}
