//! The community and structural levels: public pages (community projects, capacity
//! building, tool pools, countries) that show counts and no personal data, and the staff
//! pages that change them (forms for `community.manage`, the counter for `assets.lend`).

pub mod capacity;
pub mod capacity_manage;
pub mod counter;
pub mod country;
pub mod export;
pub mod manage;
pub mod pool;
pub mod public;
pub mod staff;
pub mod work;

use crate::i18n::Tr;
use homeward_domain::{CurrencyCode, Money};
use homeward_store::activity_parts::{Expense, Output};

/// An output as shown.
pub struct OutputView {
    pub id: i64,
    pub text: String,
    pub achieved_on: String,
}

/// Money spent as shown.
pub struct ExpenseView {
    pub id: i64,
    pub spent_on: String,
    pub description: String,
    pub amount: String,
    pub usd: String,
}

pub fn outputs(list: &[Output]) -> Vec<OutputView> {
    list.iter()
        .map(|o| OutputView {
            id: o.id,
            text: o.text.clone(),
            achieved_on: o.achieved_on.clone().unwrap_or_default(),
        })
        .collect()
}

pub fn expenses(list: &[Expense]) -> Vec<ExpenseView> {
    list.iter()
        .map(|e| ExpenseView {
            id: e.id,
            spent_on: e.spent_on.clone(),
            description: e.description.clone(),
            amount: e.amount.to_string(),
            usd: e.usd.to_string(),
        })
        .collect()
}

pub fn usd(minor: i64) -> String {
    Money::new(minor, CurrencyCode::USD).to_string()
}

/// An amount in a currency given by its code (stored by Homeward, so valid).
pub fn money(minor: i64, currency: &str) -> String {
    match currency.parse::<CurrencyCode>() {
        Ok(c) => Money::new(minor, c).to_string(),
        Err(_) => format!("{minor} {currency}"),
    }
}

/// "2023-04-03 – 2024-12-31", "from 2023-04-03", or "–".
pub fn when(tr: &Tr, start: &Option<String>, end: &Option<String>) -> String {
    match (start, end) {
        (Some(s), Some(e)) if s == e => s.clone(),
        (Some(s), Some(e)) => format!("{s} – {e}"),
        (Some(s), None) => tr.ta(
            "community-from",
            &[("date", crate::i18n::FluentArg::Str(s.clone()))],
        ),
        (None, Some(e)) => tr.ta(
            "community-until",
            &[("date", crate::i18n::FluentArg::Str(e.clone()))],
        ),
        (None, None) => "–".to_owned(),
    }
}

pub fn country_name(code: &str) -> String {
    code.parse::<homeward_domain::CountryCode>()
        .map(|c| c.name().to_owned())
        .unwrap_or_else(|_| code.to_owned())
}

/// A count of returnees as the public may see it: under five withheld.
pub fn returnees(n: i64) -> String {
    if n > 0 && !homeward_domain::disclosure::may_show(n) {
        "<5".to_owned()
    } else {
        n.to_string()
    }
}
