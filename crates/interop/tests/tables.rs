//! CSV, XLSX and HXL: round trips, re-imports that update, and bad files that change
//! nothing, on SQLite and PostgreSQL.

use homeward_domain::project::Project;
use homeward_interop::csv_io::{import_csv, write_csv};
use homeward_interop::demo::{seed_projects, synthetic_projects};
use homeward_interop::hxl::write_hxl;
use homeward_interop::xlsx_io::{import_xlsx, write_xlsx};
use homeward_store::both_backends;
use homeward_store::testing::in_ci;
use std::process::Command;

fn csv_of(projects: &[Project]) -> Vec<u8> {
    let mut out = Vec::new();
    write_csv(&mut out, projects).unwrap();
    out
}

fn problems(e: &homeward_interop::ImportError) -> Vec<String> {
    e.problems().iter().map(|p| p.to_string()).collect()
}

#[test]
fn hxl_export_passes_hxlvalidate() {
    if Command::new("hxlvalidate").arg("--help").output().is_err() {
        assert!(
            !in_ci(),
            "hxlvalidate (PyPI libhxl) is required under CI=true"
        );
        eprintln!("skipping: hxlvalidate is not installed");
        return;
    }
    let projects: Vec<Project> = seed_projects()
        .into_iter()
        .chain(synthetic_projects(40))
        .collect();
    let mut out = Vec::new();
    write_hxl(&mut out, &projects).unwrap();
    let text = String::from_utf8(out.clone()).unwrap();
    let second = text.lines().nth(1).unwrap();
    assert!(second.starts_with("#activity+project+code,#activity+project+name,#sector,#region"));
    assert!(text.contains("TC.0495,Return Migration to Albania"));
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("projects.csv");
    std::fs::write(&file, &out).unwrap();
    let run = Command::new("hxlvalidate").arg(&file).output().unwrap();
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&run.stdout),
        String::from_utf8_lossy(&run.stderr)
    );
    assert!(run.status.success(), "hxlvalidate: {said}");
    // And a broken date is caught, so the check is real.
    std::fs::write(&file, text.replacen(",2012,2014,", ",2012,sometime,", 1)).unwrap();
    let bad = Command::new("hxlvalidate").arg(&file).output().unwrap();
    assert!(!bad.status.success(), "hxlvalidate accepted a bad date");
}

both_backends! {
    fn csv_round_trip_and_reimport_updates(db) {
        let seeds = seed_projects();
        let r = import_csv(&db.store, "p.csv", &csv_of(&seeds)).unwrap();
        assert_eq!((r.created, r.updated), (3, 0));
        for p in &seeds {
            assert_eq!(&db.store.project(&p.public_id()).unwrap().unwrap().project, p);
        }
        let r = import_csv(&db.store, "p.csv", &csv_of(&seeds)).unwrap();
        assert_eq!((r.created, r.updated), (0, 3));
        assert_eq!(db.store.project_count().unwrap(), 3);
    }

    fn a_partial_sheet_updates_only_its_columns(db) {
        let synthetic: Vec<Project> = synthetic_projects(2).collect();
        db.store.save_projects(&synthetic).unwrap();
        let id = synthetic[0].public_id();
        let csv = format!("Projects ID,Budget Amount (USD),Project Status\n{id},\"123,456.78\",Suspended\n");
        import_csv(&db.store, "budget.csv", csv.as_bytes()).unwrap();
        let after = db.store.project(&id).unwrap().unwrap().project;
        assert_eq!(after.budget.unwrap().to_decimal_string(), "123456.78");
        assert_eq!(after.status.unwrap().code(), "suspended");
        assert_eq!(after.title, synthetic[0].title);
        assert_eq!(after.results, synthetic[0].results, "indicators survive a sheet without them");
    }

    fn bad_rows_are_named_and_nothing_is_kept(db) {
        let csv = "projects_id,title,budget_usd,benefiting_member_states,start_date,status\n\
                   CD.0001,Good one,1000,AL,2020,active\n\
                   CD.0002,,-5,ZZ,2020-13-01,done\n\
                   CD.0001,Twice,1,AL,2020,active\n";
        let err = import_csv(&db.store, "bad.csv", csv.as_bytes()).unwrap_err();
        let got = problems(&err);
        for want in [
            "row 3, field title",
            "row 3, field budget_usd",
            "row 3, field benefiting_member_states",
            "row 3, field start_date",
            "row 3, field status",
            "row 4: CD.0001 is already in row 2",
        ] {
            assert!(got.iter().any(|g| g.starts_with(want)), "{want} missing from {got:#?}");
        }
        assert!(err.to_string().starts_with("bad.csv: nothing was imported"));
        assert_eq!(db.store.project_count().unwrap(), 0);
    }

    fn bad_files_are_refused_whole(db) {
        let unknown = import_csv(&db.store, "h.csv", b"projects_id,titel\nCD.0001,x\n").unwrap_err();
        assert!(unknown.to_string().contains("column 2 (\"titel\") is not a known field"), "{unknown}");
        let no_id = import_csv(&db.store, "h.csv", b"title\nx\n").unwrap_err();
        assert!(no_id.to_string().contains("needs a projects_id"), "{no_id}");
        let ragged = import_csv(&db.store, "r.csv", b"projects_id,title\nCD.0001,x,extra\n").unwrap_err();
        assert!(ragged.to_string().starts_with("r.csv: row 2"), "{ragged}");
        let binary = import_csv(&db.store, "b.csv", &[0xff, 0xfe, 0x00, 0x41]).unwrap_err();
        assert!(binary.to_string().contains("not UTF-8"), "{binary}");
        let empty = import_csv(&db.store, "e.csv", b"projects_id,title\n").unwrap_err();
        assert!(empty.to_string().contains("no project"), "{empty}");
        let not_xlsx = import_xlsx(&db.store, "n.xlsx", b"projects_id,title\n").unwrap_err();
        assert!(not_xlsx.to_string().contains("not an Excel workbook"), "{not_xlsx}");
        assert_eq!(db.store.project_count().unwrap(), 0);
    }

    fn formulas_are_defused_and_empty_identifiers_keep_stored_ones(db) {
        let mut d = homeward_interop::demo::armenia_georgia();
        d.summary = "=HYPERLINK(\"http://x\") and more".into();
        let p = d.validate().unwrap();
        let bytes = csv_of(std::slice::from_ref(&p));
        assert!(String::from_utf8_lossy(&bytes).contains("\"'=HYPERLINK"), "a spreadsheet would run it");
        import_csv(&db.store, "p.csv", &bytes).unwrap();
        assert_eq!(db.store.project("CD.0085").unwrap().unwrap().project.summary, p.summary);
        let sheet = "projects_id,prima_id,title\n,GE10P0527,Renamed by Prima ID\n";
        import_csv(&db.store, "s.csv", sheet.as_bytes()).unwrap();
        let after = db.store.project("GE10P0527").unwrap().unwrap().project;
        assert_eq!(after.title, "Renamed by Prima ID");
        assert_eq!(after.projects_id.unwrap().as_str(), "CD.0085", "the empty cell kept the Projects ID");
    }

    fn xlsx_round_trip(db) {
        let seeds = seed_projects();
        let bytes = write_xlsx(&seeds).unwrap();
        let r = import_xlsx(&db.store, "p.xlsx", &bytes).unwrap();
        assert_eq!(r.created, 3);
        for p in &seeds {
            assert_eq!(&db.store.project(&p.public_id()).unwrap().unwrap().project, p);
        }
    }
}

#[test]
fn xlsx_rows_are_numbered_as_excel_shows_them() {
    let db = homeward_store::testing::TestDb::sqlite();
    let mut seeds = seed_projects();
    seeds[1].title = String::new(); // written as an empty cell, refused on import
    let bytes = write_xlsx(&seeds).unwrap();
    let err = import_xlsx(&db.store, "p.xlsx", &bytes).unwrap_err();
    assert_eq!(
        problems(&err),
        vec!["row 3, field title: a project needs a title".to_owned()]
    );
}
