//! Every view of the dashboard — a chart, its table, and its columns for the downloads —
//! with small numbers withheld where they must be: counts of cases (`counts`), money
//! (`money`), survey scores (`scores`) and countries with their map (`countries`).

pub mod countries;
pub mod counts;
pub mod money;
pub mod scores;

use crate::charts::bars::{Bar, bars};
use crate::i18n::Tr;
use homeward_domain::disclosure::may_show;
use homeward_interop::aggregate_table::Column;

/// One view: its chart, its table and its downloads.
pub struct View {
    pub id: &'static str,
    pub title: String,
    pub note: String,
    pub chart: String,
    pub columns: Vec<Column>,
    pub rows: Vec<Vec<String>>,
}

/// A count as it may be shown.
pub(super) fn count(n: i64, withhold: bool) -> String {
    if withhold && n > 0 && !may_show(n) {
        "<5".to_owned()
    } else {
        n.to_string()
    }
}

/// An amount in minor units as a plain decimal number (the header names the currency),
/// so spreadsheets and HXL tools read it as a number.
pub(super) fn usd(minor: i64) -> String {
    let sign = if minor < 0 { "-" } else { "" };
    format!("{sign}{}.{:02}", minor.abs() / 100, minor.abs() % 100)
}

pub(super) fn col(header: String, hxl: &'static str) -> Column {
    Column { header, hxl }
}

pub(super) fn bar(label: String, n: i64, withhold: bool) -> Bar {
    let shown = count(n, withhold);
    Bar {
        value: (shown != "<5").then_some(n as f64),
        label,
        shown,
    }
}

pub(super) fn score(v: Option<f64>, n: i64, withhold: bool) -> String {
    match v {
        Some(x) if !withhold || may_show(n) => format!("{x:.2}"),
        Some(_) => "<5".to_owned(),
        None => "–".to_owned(),
    }
}

/// Day counts into the bands a plan's delay is judged by.
pub(super) const DAY_BANDS: [(i64, i64, &str); 5] = [
    (0, 30, "0–30"),
    (31, 60, "31–60"),
    (61, 90, "61–90"),
    (91, 180, "91–180"),
    (181, i64::MAX, "> 180"),
];

/// The range of composite scores of the `i`th tenth, as the table and chart name it.
pub(super) fn decile(i: usize) -> String {
    if i == 9 {
        "0.9–1.0".to_owned()
    } else {
        format!("0.{i}–0.{}", i + 1)
    }
}

/// What every view is drawn with: the reader's language and whether small numbers are
/// withheld.
pub(super) struct Ctx<'a> {
    pub tr: &'a Tr,
    pub withhold: bool,
}

impl Ctx<'_> {
    /// A view of counts under keys: bars, and a table of key and cases.
    pub(super) fn simple(
        &self,
        id: &'static str,
        title: String,
        note: String,
        head: (String, &'static str),
        hxl: &'static str,
        rows: Vec<(String, i64)>,
    ) -> View {
        View {
            id,
            chart: bars(
                &rows
                    .iter()
                    .map(|(k, n)| bar(k.clone(), *n, self.withhold))
                    .collect::<Vec<_>>(),
                &title,
                &note,
            ),
            columns: vec![col(head.0, head.1), col(self.tr.t("dash-cases"), hxl)],
            rows: rows
                .iter()
                .map(|(k, n)| vec![k.clone(), count(*n, self.withhold)])
                .collect(),
            title,
            note,
        }
    }
}
