//! The countries and currencies carried in the binary are exactly the IATI codelists.

use homeward_domain::country::COUNTRIES;
use homeward_domain::currency::CURRENCIES;
use std::path::PathBuf;

fn codes(name: &str) -> Vec<(String, bool)> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/standards/iati-2.03/codelists")
        .join(format!("{name}.xml"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    text.split("<codelist-item")
        .skip(1)
        .filter(|s| !s.starts_with('s'))
        .filter_map(|item| {
            let code = item
                .split("<code>")
                .nth(1)?
                .split("</code>")
                .next()?
                .trim()
                .to_owned();
            Some((code, item.starts_with(" status=\"withdrawn\"")))
        })
        .collect()
}

#[test]
fn countries_match_the_codelist() {
    let ours: Vec<(String, bool)> = COUNTRIES
        .iter()
        .map(|c| (c.code.to_owned(), c.withdrawn))
        .collect();
    assert_eq!(ours, codes("Country"));
}

#[test]
fn currencies_match_the_codelist() {
    let ours: Vec<(String, bool)> = CURRENCIES
        .iter()
        .map(|c| (c.code.to_owned(), c.withdrawn))
        .collect();
    assert_eq!(ours, codes("Currency"));
}
