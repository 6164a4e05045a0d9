//! Numbers about cases without a name: the statistics page and the dashboard.

pub mod dashboard;
pub mod routes;
pub mod stats;

/// A withheld figure in words, with why: fewer than five cases, or withheld with others so
/// that none can be worked out from what is shown.
pub fn withheld_words(tr: &crate::i18n::Tr, n: i64) -> String {
    tr.t(if homeward_domain::disclosure::may_show(n) {
        "stats-withheld"
    } else {
        "stats-fewer-than-five"
    })
}
