//! The community and structural levels: public pages (community projects, capacity
//! building, tool pools, countries) that show counts and no personal data, and the staff
//! pages that change them (forms for `community.manage`, the counter for `assets.lend`).

pub mod activity;
pub mod capacity;
pub mod capacity_manage;
pub mod counter;
pub mod country;
pub mod export;
pub mod listing;
pub mod manage;
pub mod pool;
pub mod public;
pub mod routes;
pub mod work;

use crate::i18n::Tr;
use homeward_domain::community::activity::Level;
use homeward_domain::{CurrencyCode, Money};
use homeward_store::community::activity::{ActivityHead, Expense, Output};
use serde::Deserialize;

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

/// What an activity achieved and spent, as its pages show them.
pub struct PartsView {
    pub outputs: Vec<OutputView>,
    pub expenses: Vec<ExpenseView>,
}

pub fn parts(outputs_: &[Output], expenses_: &[Expense]) -> PartsView {
    PartsView {
        outputs: outputs(outputs_),
        expenses: expenses(expenses_),
    }
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

/// A count of returnees as the public may see it: under five withheld, said in words.
pub fn returnees(tr: &Tr, n: i64) -> String {
    if n > 0 && !homeward_domain::disclosure::may_show(n) {
        tr.t("stats-fewer-than-five")
    } else {
        n.to_string()
    }
}

/// The address and message prefix of the activities of a level: `community` (community
/// projects) or `capacity` (capacity building at the structural level).
pub fn key(level: Level) -> &'static str {
    match level {
        Level::Community => "community",
        Level::Structural => "capacity",
    }
}

/// What the public pages show of an activity of either level, whatever its level.
pub struct HeadView {
    pub id: i64,
    pub country: String,
    pub country_code: String,
    pub project_code: String,
    pub project_title: String,
    pub office: String,
    pub status: String,
    pub when: String,
    pub outputs_achieved: i64,
    pub spent: String,
    pub description: String,
}

pub fn head(tr: &Tr, h: &ActivityHead) -> HeadView {
    HeadView {
        id: h.id,
        country: country_name(&h.country),
        country_code: h.country.clone(),
        project_code: h.project_code.clone(),
        project_title: h.project_title.clone(),
        office: h.office_name.clone(),
        status: tr.t(&format!("activity-status-{}", h.status)),
        when: when(tr, &h.start_on, &h.end_on),
        outputs_achieved: h.outputs_achieved,
        spent: usd(h.spent_usd_minor),
        description: h.description.clone(),
    }
}

/// A public list narrowed to one country (`?country=GE`).
#[derive(Debug, Default, Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    pub country: String,
}

/// The countries a list can be narrowed to: those it has, by name.
pub fn country_options(
    codes: impl Iterator<Item = String>,
    chosen: &str,
) -> Vec<(String, String, bool)> {
    let mut v: Vec<String> = codes.collect();
    v.sort();
    v.dedup();
    let mut out: Vec<(String, String, bool)> = v
        .into_iter()
        .map(|c| (country_name(&c), c.clone(), c == chosen))
        .map(|(name, code, on)| (code, name, on))
        .collect();
    out.sort_by(|a, b| a.1.cmp(&b.1));
    out
}
