//! Exchange-rate tables as CSV: a header row naming `currency`, `date` and
//! `usd_per_unit` (any order, `source` optional), one rate per row. Every bad cell is
//! reported with its row and column; a table with any problem is taken not at all.

use crate::problem::{ImportError, Problem};
use homeward_domain::CurrencyCode;
use homeward_domain::date::Ymd;
use homeward_domain::reintegration::exchange::UsdRate;
use homeward_store::catalogue::rates::RateEntry;

/// Reads a rates table; `default_source` fills an empty or missing `source`.
pub fn parse_rates(
    file: &str,
    bytes: &[u8],
    default_source: &str,
) -> Result<Vec<RateEntry>, ImportError> {
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(bytes);
    let header: Vec<String> = rdr
        .headers()
        .map_err(|e| ImportError::file(file, format!("not a CSV table: {e}")))?
        .iter()
        .map(|h| h.trim().trim_start_matches('\u{feff}').to_lowercase())
        .collect();
    let col = |name: &str| header.iter().position(|h| h == name);
    let (Some(c_cur), Some(c_date), Some(c_rate)) =
        (col("currency"), col("date"), col("usd_per_unit"))
    else {
        return Err(ImportError::file(
            file,
            "the header row must name currency, date and usd_per_unit",
        ));
    };
    let c_source = col("source");
    let mut entries = vec![];
    let mut problems = vec![];
    let mut seen = std::collections::HashSet::new();
    for (i, rec) in rdr.records().enumerate() {
        let row = i + 2;
        let at = |field: &str, reason: String| Problem {
            location: format!("row {row}"),
            field: field.into(),
            reason,
        };
        let rec = match rec {
            Ok(r) => r,
            Err(e) => {
                problems.push(at("", format!("cannot be read: {e}")));
                continue;
            }
        };
        let cell = |c: usize| rec.get(c).unwrap_or("").to_owned();
        let currency = cell(c_cur)
            .parse::<CurrencyCode>()
            .map_err(|e| at("currency", e));
        let on = cell(c_date).parse::<Ymd>().map_err(|e| at("date", e));
        let rate = match &currency {
            Ok(cur) => UsdRate::parse(*cur, &cell(c_rate)).map_err(|e| at("usd_per_unit", e)),
            Err(_) => Err(at("usd_per_unit", "needs a valid currency".into())),
        };
        match (currency, on, rate) {
            (Ok(currency), Ok(on), Ok(rate)) => {
                if !seen.insert((currency, on)) {
                    problems.push(at(
                        "date",
                        format!("a second rate for {} on {on}", currency.as_str()),
                    ));
                    continue;
                }
                let source = c_source
                    .map(cell)
                    .filter(|s| !s.is_empty())
                    .unwrap_or_else(|| default_source.to_owned());
                entries.push(RateEntry {
                    currency,
                    on,
                    rate,
                    source: source.chars().take(200).collect(),
                });
            }
            (c, o, r) => problems.extend(
                [c.err(), o.err(), r.err()]
                    .into_iter()
                    .flatten()
                    .filter(|p| {
                        !(p.field == "usd_per_unit" && p.reason == "needs a valid currency")
                    }),
            ),
        }
    }
    if !problems.is_empty() {
        return Err(ImportError::Problems {
            file: file.to_owned(),
            problems,
        });
    }
    if entries.is_empty() {
        return Err(ImportError::file(file, "the table has no rates"));
    }
    Ok(entries)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_table_in_any_column_order() {
        let t = "date,usd_per_unit,currency\n2013-02-01,0.0094,ALL\n2013-02-01,0.6,GEL\n";
        let e = parse_rates("rates.csv", t.as_bytes(), "finance unit").expect("ok");
        assert_eq!(e.len(), 2);
        assert_eq!(e[0].currency.as_str(), "ALL");
        assert_eq!(e[0].rate.to_decimal_string(), "0.0094");
        assert_eq!(e[1].source, "finance unit");
    }

    #[test]
    fn names_every_bad_cell_and_takes_nothing() {
        let t = "currency,date,usd_per_unit\nXYZ,2013-02-01,0.1\nALL,2013-02-30,0.0094\nALL,2013-03-01,-1\nALL,2013-03-01,0.0094\nALL,2013-03-01,0.0095\n";
        let err = parse_rates("rates.csv", t.as_bytes(), "").expect_err("bad");
        let got: Vec<String> = err
            .problems()
            .iter()
            .map(|p| format!("{} {}", p.location, p.field))
            .collect();
        assert_eq!(
            got,
            [
                "row 2 currency",
                "row 3 date",
                "row 4 usd_per_unit",
                "row 6 date"
            ]
        );
        assert!(parse_rates("r.csv", b"cur,day\n", "").is_err());
    }
}
