//! IATI export validated with the official XSD (xmllint) and codelists, and imported back
//! into an empty database on both backends.

use homeward_domain::project::Project;
use homeward_interop::demo::{seed_projects, synthetic_projects};
use homeward_interop::iati::{read_iati, write_iati};
use homeward_store::both_backends;
use homeward_store::testing::in_ci;
use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::process::Command;

fn standards() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/standards/iati-2.03")
}

fn portfolio() -> Vec<(Project, String)> {
    seed_projects()
        .into_iter()
        .chain(synthetic_projects(60))
        .map(|p| (p, "2026-11-23T08:00:00Z".to_owned()))
        .collect()
}

fn today() -> homeward_domain::date::Ymd {
    homeward_domain::date::Ymd::new(2026, 11, 23).unwrap()
}

fn export() -> String {
    write_iati(&portfolio(), "2026-11-23T08:00:00Z", today())
}

/// Codes of one codelist file.
fn codelist(name: &str) -> HashSet<String> {
    let text = std::fs::read_to_string(standards().join("codelists").join(format!("{name}.xml")))
        .unwrap_or_else(|e| panic!("codelist {name}: {e}"));
    text.split("<code>")
        .skip(1)
        .filter_map(|s| s.split("</code>").next())
        .map(|c| c.trim().to_owned())
        .collect()
}

#[test]
fn export_is_valid_against_the_official_schema() {
    if Command::new("xmllint").arg("--version").output().is_err() {
        assert!(
            !in_ci(),
            "xmllint (Debian libxml2-utils) is required under CI=true"
        );
        eprintln!("skipping: xmllint is not installed");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("activities.xml");
    std::fs::write(&file, export()).unwrap();
    let out = Command::new("xmllint")
        .arg("--noout")
        .arg("--schema")
        .arg(standards().join("iati-activities-schema.xsd"))
        .arg(&file)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "xmllint: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("validates"));
}

/// `(element, attribute, codelist)` for every coded value the export writes.
const CODED: &[(&str, &str, &str)] = &[
    ("activity-status", "code", "ActivityStatus"),
    ("activity-date", "type", "ActivityDateType"),
    ("activity-scope", "code", "ActivityScope"),
    ("recipient-country", "code", "Country"),
    ("description", "type", "DescriptionType"),
    ("participating-org", "role", "OrganisationRole"),
    ("participating-org", "type", "OrganisationType"),
    ("reporting-org", "type", "OrganisationType"),
    ("other-identifier", "type", "OtherIdentifierType"),
    ("sector", "vocabulary", "SectorVocabulary"),
    ("budget", "type", "BudgetType"),
    ("budget", "status", "BudgetStatus"),
    ("value", "currency", "Currency"),
    ("iati-activity", "default-currency", "Currency"),
];

fn attr_values<'a>(xml: &'a str, element: &str, attr: &str) -> Vec<&'a str> {
    let open = format!("<{element} ");
    xml.match_indices(&open)
        .filter_map(|(i, _)| {
            let tag = &xml[i..i + xml[i..].find('>')?];
            let key = format!(" {attr}=\"");
            let at = tag.find(&key)? + key.len();
            Some(&tag[at..at + tag[at..].find('"')?])
        })
        .collect()
}

#[test]
fn every_coded_value_is_in_its_codelist() {
    let xml = export();
    let mut lists: HashMap<&str, HashSet<String>> = HashMap::new();
    for (element, attr, list) in CODED {
        let codes = lists.entry(list).or_insert_with(|| codelist(list));
        let values = attr_values(&xml, element, attr);
        assert!(
            !values.is_empty() || *element == "other-identifier",
            "{element}@{attr} never written"
        );
        for v in values {
            assert!(codes.contains(v), "{element}@{attr}={v:?} is not in {list}");
        }
    }
    // DAC sectors (vocabulary 1) come from the Sector codelist.
    let sectors = codelist("Sector");
    assert!(sectors.contains("15190"));
    assert!(xml.contains("<sector vocabulary=\"1\" code=\"15190\""));
}

#[test]
fn mapping_follows_the_design() {
    let xml = export();
    assert!(xml.contains("<iati-identifier>XM-DAC-47066-CD.0085</iati-identifier>"));
    assert!(xml.contains("<other-identifier ref=\"GE10P0527\" type=\"A1\"/>"));
    assert!(xml.contains("<iati-identifier>XM-DAC-47066-AU10P0004</iati-identifier>"));
    // Armenia and Georgia share the recipients 50/50; a two-year budget is two periods.
    let cd = &xml[xml.find("XM-DAC-47066-CD.0085").unwrap()..];
    let cd = &cd[..cd.find("</iati-activity>").unwrap()];
    assert!(cd.contains("<recipient-country code=\"AM\" percentage=\"50.00\"/>"));
    assert!(cd.contains("<activity-scope code=\"2\"/>"));
    assert!(cd.contains("<activity-status code=\"2\"/>"));
    assert_eq!(cd.matches("<budget type=\"1\" status=\"2\">").count(), 2);
    assert!(
        cd.contains("<period-start iso-date=\"2023-01-01\"/>")
            && cd.contains("<period-end iso-date=\"2024-12-31\"/>")
    );
    // Actual end only once it is past: Albania ended in 2014.
    let tc = &xml[xml.find("XM-DAC-47066-TC.0495").unwrap()..];
    assert!(tc.contains("<activity-date iso-date=\"2014-12-31\" type=\"4\"/>"));
    assert!(tc.contains("<activity-status code=\"4\"/>"));
    assert!(
        !cd.contains("type=\"4\"/>"),
        "an active project has no actual end"
    );
    for (role, _) in [("1", ""), ("2", ""), ("4", "")] {
        assert!(cd.contains(&format!("role=\"{role}\"")));
    }
    assert!(!xml.contains("homeward:project status=\"active\" coverage=\"regional\" start=\"2023\" end=\"2024\" funding-year=\"2021\""));
}

#[test]
fn reading_back_gives_the_same_projects() {
    let originals: Vec<Project> = portfolio().into_iter().map(|(p, _)| p).collect();
    let back = read_iati("activities.xml", export().as_bytes()).unwrap();
    assert_eq!(back.len(), originals.len());
    for (a, b) in originals.iter().zip(&back) {
        assert_eq!(a, b, "{} changed in the round trip", a.public_id());
    }
}

#[test]
fn other_publishers_files_are_read_leniently() {
    let xml = r#"<?xml version="1.0"?>
<iati-activities version="2.03">
 <iati-activity default-currency="USD" humanitarian="0">
  <iati-identifier>GB-GOV-1-300123</iati-identifier>
  <reporting-org ref="GB-GOV-1" type="10"><narrative>FCDO</narrative></reporting-org>
  <title><narrative xml:lang="fr">Titre</narrative><narrative xml:lang="en">Safe return support</narrative></title>
  <description><narrative>Support to returnees.</narrative></description>
  <activity-status code="3"/>
  <activity-date type="2" iso-date="2020-04-01"/>
  <activity-date type="3" iso-date="2023-03-31"/>
  <recipient-country code="NG"/>
  <something-new><narrative>ignored</narrative></something-new>
  <budget><period-start iso-date="2020-04-01"/><period-end iso-date="2021-03-31"/><value value-date="2020-04-01">1500000</value></budget>
  <budget><period-start iso-date="2021-04-01"/><period-end iso-date="2022-03-31"/><value currency="GBP" value-date="2021-04-01">900000</value></budget>
  <result type="2"><title><narrative>Returnees employed</narrative></title>
   <indicator measure="1"><title><narrative>Returnees in work</narrative></title><baseline year="2020" value="0"/>
    <period><period-start iso-date="2020-04-01"/><period-end iso-date="2023-03-31"/><target value="500"/><actual value="420"/></period></indicator></result>
 </iati-activity>
</iati-activities>"#;
    let ps = read_iati("fcdo.xml", xml.as_bytes()).unwrap();
    let p = &ps[0];
    assert_eq!(p.iati_identifier.as_deref(), Some("GB-GOV-1-300123"));
    assert_eq!(p.title, "Safe return support");
    assert_eq!(p.status.unwrap().code(), "completed");
    assert_eq!(p.start.unwrap().to_string(), "2020-04-01");
    assert_eq!(
        p.budget.unwrap().to_decimal_string(),
        "1500000.00",
        "the GBP budget is left out"
    );
    assert_eq!(p.results.outcomes[0].indicators[0].achieved, Some(420.0));
}

#[test]
fn deep_nesting_is_refused_not_followed() {
    let deep = "<a>".repeat(10_000) + &"</a>".repeat(10_000);
    let xml = format!("<iati-activities>{deep}</iati-activities>");
    let err = read_iati("deep.xml", xml.as_bytes())
        .unwrap_err()
        .to_string();
    assert!(err.contains("nest deeper"), "{err}");
}

#[test]
fn an_imported_identifier_gives_way_to_a_projects_id() {
    let mut d = homeward_interop::demo::albania();
    d.iati_identifier = "GB-GOV-1-300123".into();
    let p = d.validate().unwrap();
    let xml = write_iati(
        &[(p.clone(), "2026-01-01T00:00:00Z".into())],
        "2026-01-01T00:00:00Z",
        today(),
    );
    assert!(xml.contains("<iati-identifier>XM-DAC-47066-TC.0495</iati-identifier>"));
    assert_eq!(read_iati("x.xml", xml.as_bytes()).unwrap()[0], p);
}

#[test]
fn bad_files_name_the_place_and_the_field() {
    let broken = read_iati("broken.xml", b"<iati-activities><iati-activity>")
        .unwrap_err()
        .to_string();
    assert!(broken.starts_with("broken.xml:"), "{broken}");
    let wrong_root = read_iati("x.xml", b"<html/>").unwrap_err().to_string();
    assert!(wrong_root.contains("<html>"), "{wrong_root}");
    let xml = r#"<iati-activities version="2.03">
 <iati-activity><iati-identifier>XM-DAC-47066-TC.0495</iati-identifier><title><narrative>A</narrative></title>
  <recipient-country code="ZZ"/><activity-status code="9"/></iati-activity>
 <iati-activity><title><narrative>B</narrative></title></iati-activity>
</iati-activities>"#;
    let err = read_iati("bad.xml", xml.as_bytes()).unwrap_err();
    let text = err.to_string();
    assert!(
        text.contains(
            "activity 1 (XM-DAC-47066-TC.0495), line 3, element recipient-country, field code"
        ),
        "{text}"
    );
    assert!(
        text.contains("element activity-status, field code"),
        "{text}"
    );
    assert!(
        text.contains("activity 2, line 4, element iati-activity, field iati-identifier"),
        "{text}"
    );
    assert_eq!(err.problems().len(), 3);
}

both_backends! {
    fn export_then_import_into_an_empty_database(db) {
        let originals: Vec<Project> = portfolio().into_iter().map(|(p, _)| p).collect();
        let xml = export();
        let report = homeward_interop::iati::import_iati(&db.store, "a.xml", xml.as_bytes()).unwrap();
        assert_eq!(report.created, originals.len());
        for p in &originals {
            let stored = db.store.project(&p.public_id()).unwrap().unwrap();
            assert_eq!(&stored.project, p);
        }
        let again = homeward_interop::iati::import_iati(&db.store, "a.xml", xml.as_bytes()).unwrap();
        assert_eq!((again.created, again.updated), (0, originals.len()));
        assert_eq!(db.store.project_count().unwrap(), originals.len() as i64);
    }

    fn a_bad_activity_keeps_the_whole_file_out(db) {
        let mut xml = export();
        xml = xml.replacen("<recipient-country code=\"GE\"", "<recipient-country code=\"QQ\"", 1);
        assert!(homeward_interop::iati::import_iati(&db.store, "a.xml", xml.as_bytes()).is_err());
        assert_eq!(db.store.project_count().unwrap(), 0);
    }
}
