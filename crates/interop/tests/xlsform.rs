//! The XLSForm export read by `pyxform` (what KoboToolbox and ODK use to build a form):
//! the bundled instrument becomes a valid XForm with every indicator as a question and
//! every option as a choice, and a broken sheet is caught, so the check is real.

use homeward_interop::survey::default_instrument;
use homeward_interop::survey::xlsform::{form_id, write_xlsform};
use homeward_store::testing::in_ci;
use std::path::Path;
use std::process::Command;

fn xls2xform(xlsx: &Path, xml: &Path) -> Option<(bool, String)> {
    let run = Command::new("xls2xform")
        .arg("--skip_validate")
        .arg("--json")
        .arg(xlsx)
        .arg(xml)
        .output()
        .ok()?;
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&run.stdout),
        String::from_utf8_lossy(&run.stderr)
    );
    // `--json` reports {"code": 100, ...} on success and 999 on an error.
    Some((run.status.success() && said.contains("\"code\": 100"), said))
}

#[test]
fn pyxform_turns_the_export_into_an_xform() {
    let dir = tempfile::tempdir().unwrap();
    let (xlsx, xml) = (dir.path().join("form.xlsx"), dir.path().join("form.xml"));
    let instrument = default_instrument();
    std::fs::write(&xlsx, write_xlsform(&instrument).unwrap()).unwrap();
    let Some((ok, said)) = xls2xform(&xlsx, &xml) else {
        assert!(
            !in_ci(),
            "xls2xform (PyPI pyxform) is required under CI=true"
        );
        eprintln!("skipping: xls2xform is not installed");
        return;
    };
    assert!(ok, "xls2xform: {said}");
    let form = std::fs::read_to_string(&xml).unwrap();
    if std::env::var("SHOW_XFORM").is_ok() {
        eprintln!("{form}");
    }
    assert!(
        form.contains(&format!(
            "<data id=\"{}\" version=\"1\">",
            form_id(&instrument)
        )),
        "{form}"
    );
    for ind in instrument.indicators() {
        assert!(
            form.contains(&format!(
                "<bind nodeset=\"/data/{}\" type=\"string\" relevant=\" /data/consent  = 'yes'\"/>",
                ind.code
            )),
            "{} is asked only with consent",
            ind.code
        );
        for o in &ind.options {
            assert!(
                form.contains(&format!("<name>{}</name>", o.code)),
                "{}",
                o.code
            );
        }
    }
    // Both languages are in the form's translations.
    assert!(form.contains("lang=\"English (en)\"") && form.contains("lang=\"French (fr)\""));
    assert!(form.contains("Vos revenus suffisent-ils"));

    // A question whose choices are missing is refused by pyxform.
    let mut broken = instrument.file().clone();
    broken.indicators[0].code = "income sources".into();
    let text = serde_json::to_string(&broken).unwrap();
    assert!(text.contains("income sources"));
    let unchecked: homeward_domain::survey::InstrumentFile = serde_json::from_str(&text).unwrap();
    assert!(
        homeward_domain::survey::Instrument::parse(unchecked).is_err(),
        "our own check refuses the name before pyxform would"
    );
    let mut book = rust_xlsxwriter::Workbook::new();
    let survey = book.add_worksheet();
    survey.set_name("survey").unwrap();
    survey.write_string(0, 0, "type").unwrap();
    survey.write_string(0, 1, "name").unwrap();
    survey.write_string(0, 2, "label").unwrap();
    survey
        .write_string(1, 0, "select_one no_such_list")
        .unwrap();
    survey.write_string(1, 1, "q").unwrap();
    survey.write_string(1, 2, "Q?").unwrap();
    std::fs::write(&xlsx, book.save_to_buffer().unwrap()).unwrap();
    let (ok, said) = xls2xform(&xlsx, &xml).unwrap();
    assert!(!ok, "pyxform accepted a question without choices: {said}");
}
