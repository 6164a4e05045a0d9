//! An instrument as a TOML file, the format administrators keep under version control
//! and load on the instruments page or with the command line. A file that does not parse
//! is refused naming its line and column; one that parses but breaks a rule, naming the
//! indicator and option.

use crate::problem::{ImportError, Problem};
use homeward_domain::survey::{Instrument, InstrumentFile};

/// The instrument Homeward ships with: its own, not IOM's Reintegration Sustainability
/// Survey (whose weights are not bundled).
pub const DEFAULT_TOML: &str = include_str!("homeward-wellbeing-v1.toml");

/// The bundled instrument, checked.
pub fn default_instrument() -> Instrument {
    match read_instrument("homeward-wellbeing-v1.toml", DEFAULT_TOML) {
        Ok(i) => i,
        // The file is part of the program and a test reads it; reaching this is a build
        // that shipped a broken file.
        Err(e) => unreachable!("the bundled instrument is invalid: {e}"),
    }
}

/// Stores and adopts the bundled instrument when the database holds none, so surveys can
/// be taken from the first start. Returns its id when it was added.
pub fn install_default(
    store: &homeward_store::Store,
) -> Result<Option<i64>, homeward_store::StoreError> {
    store.ensure_instrument(&default_instrument())
}

/// Reads and checks an instrument; `file` names it in errors.
pub fn read_instrument(file: &str, text: &str) -> Result<Instrument, ImportError> {
    let parsed: InstrumentFile = toml::from_str(text).map_err(|e| {
        let place = e
            .span()
            .map(|s| {
                let before = &text[..s.start.min(text.len())];
                let line = before.matches('\n').count() + 1;
                let column = before.len() - before.rfind('\n').map_or(0, |i| i + 1) + 1;
                format!("line {line}, column {column}: ")
            })
            .unwrap_or_default();
        ImportError::file(file, format!("{place}{}", e.message()))
    })?;
    Instrument::parse(parsed).map_err(|errs| ImportError::Problems {
        file: file.to_owned(),
        problems: errs
            .into_iter()
            .map(|e| Problem {
                location: "instrument".to_owned(),
                field: e.field,
                reason: e.reason,
            })
            .collect(),
    })
}

/// The instrument as TOML, read back to the same instrument.
pub fn write_instrument(i: &Instrument) -> Result<String, toml::ser::Error> {
    toml::to_string_pretty(i.file())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_instrument_is_ours_and_round_trips() {
        let i = default_instrument();
        assert_eq!(i.code(), "homeward-wellbeing");
        assert!(
            i.source()
                .contains("not IOM's Reintegration Sustainability Survey")
        );
        assert_eq!(i.indicators().len(), 17);
        assert_eq!(i.languages(), ["en", "fr"]);
        let again = read_instrument("again.toml", &write_instrument(&i).expect("toml"))
            .expect("reads back");
        assert_eq!(again, i);
    }

    #[test]
    fn a_broken_file_names_line_and_column() {
        let text = DEFAULT_TOML.replacen("weight = 1.5", "weight = \"heavy\"", 1);
        let e = read_instrument("mine.toml", &text).expect_err("refused");
        let s = e.to_string();
        assert!(s.starts_with("mine.toml: line "), "{s}");
        assert!(s.contains("column"), "{s}");
        let unknown = DEFAULT_TOML.replacen("weight = 1.5", "weight = 1.5\ncolour = \"red\"", 1);
        let s = read_instrument("mine.toml", &unknown)
            .expect_err("refused")
            .to_string();
        assert!(s.contains("colour"), "{s}");
        let bad = DEFAULT_TOML.replacen("score = 0.5", "score = 5.0", 1);
        let e = read_instrument("mine.toml", &bad).expect_err("refused");
        assert_eq!(e.problems().len(), 1, "{e}");
        assert_eq!(
            e.problems()[0].field,
            "indicators[1] (income_sources).options[2] (one).score"
        );
    }
}
