//! Every view of the dashboard — a chart, its table, and its columns for the downloads —
//! with small numbers withheld where they must be: counts of cases (`counts`), money
//! (`money`), survey scores (`scores`) and countries with their map (`countries`).

pub mod countries;
pub mod counts;
pub mod money;
pub mod scores;

use crate::charts::bars::{Bar, bars};
use crate::i18n::Tr;
use homeward_domain::dashboard::Withheld;
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

/// An amount in minor units as a plain decimal number (the header names the currency),
/// so spreadsheets and HXL tools read it as a number.
pub(super) fn usd(minor: i64) -> String {
    let sign = if minor < 0 { "-" } else { "" };
    format!("{sign}{}.{:02}", minor.abs() / 100, minor.abs() % 100)
}

pub(super) fn col(header: String, hxl: &'static str) -> Column {
    Column { header, hxl }
}

/// The range of composite scores of the `i`th tenth, as the table and chart name it.
pub(super) fn decile(i: usize) -> String {
    if i == 9 {
        "0.9–1.0".to_owned()
    } else {
        format!("0.{i}–0.{}", i + 1)
    }
}

/// What every view is drawn with: the reader's language and the figures withheld from
/// them ([`homeward_domain::dashboard::guard`]), which every cell, bar and note obeys.
pub(super) struct Ctx<'a> {
    pub tr: &'a Tr,
    pub withheld: &'a Withheld,
}

impl Ctx<'_> {
    /// Whether the figure standing for `n` cases under `key` of `view` is withheld.
    pub(super) fn hidden(&self, view: &str, key: &str, n: i64) -> bool {
        n > 0 && self.withheld.is(view, key)
    }

    /// A count as it may be shown.
    pub(super) fn count(&self, view: &str, key: &str, n: i64) -> String {
        if self.hidden(view, key, n) {
            crate::pages::insight::withheld_words(self.tr, n)
        } else {
            n.to_string()
        }
    }

    /// Money standing for `n` cases: only over five, never a count in its place.
    pub(super) fn money(&self, view: &str, key: &str, n: i64, minor: i64) -> String {
        if self.hidden(view, key, n) {
            self.tr.t("stats-withheld")
        } else {
            usd(minor)
        }
    }

    /// A mean standing for `n` cases, the same way.
    pub(super) fn score(&self, view: &str, key: &str, n: i64, v: Option<f64>) -> String {
        match v {
            Some(_) if self.hidden(view, key, n) => self.tr.t("stats-withheld"),
            Some(x) => format!("{x:.2}"),
            None => "–".to_owned(),
        }
    }

    pub(super) fn bar(&self, view: &str, key: &str, label: String, n: i64) -> Bar {
        Bar {
            value: (!self.hidden(view, key, n)).then_some(n as f64),
            shown: self.count(view, key, n),
            label,
        }
    }

    /// A view of counts under keys (key, label, cases): bars, and a table of label and
    /// cases; `guarded` names the view's figures in [`Withheld`].
    #[allow(clippy::too_many_arguments)]
    pub(super) fn simple(
        &self,
        id: &'static str,
        guarded: &'static str,
        title: String,
        note: String,
        head: (String, &'static str),
        hxl: &'static str,
        rows: Vec<(String, String, i64)>,
    ) -> View {
        View {
            id,
            chart: bars(
                &rows
                    .iter()
                    .map(|(k, l, n)| self.bar(guarded, k, l.clone(), *n))
                    .collect::<Vec<_>>(),
                &title,
                &note,
            ),
            columns: vec![col(head.0, head.1), col(self.tr.t("dash-cases"), hxl)],
            rows: rows
                .iter()
                .map(|(k, l, n)| vec![l.clone(), self.count(guarded, k, *n)])
                .collect(),
            title,
            note,
        }
    }
}
