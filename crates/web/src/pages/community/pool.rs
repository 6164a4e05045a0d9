//! `GET /pools/{id}`: a tool pool's inventory (what is out now), the fees collected and
//! loans made per month, and each tool's utilisation per month over the last year, as a
//! chart and tables. Public: no borrower is named.

use super::money;
use crate::charts::bars::{Bar, bars};
use crate::i18n::Tr;
use crate::pages::page;
use crate::pages::{Frame, LangLink, Nav, render};
use crate::{AppState, PageError};
use askama::Template;
use axum::extract::{Path, State};
use axum::http::Uri;
use axum::response::Html;

pub struct ToolRow {
    pub name: String,
    pub category: String,
    pub quantity: i64,
    pub condition: String,
    pub out: i64,
    pub fee: String,
}

pub struct MonthRow {
    pub month: String,
    pub loans: i64,
    pub fees: String,
}

#[derive(Template)]
#[template(path = "community/pool.html")]
pub struct PoolPage {
    pub tr: Tr,
    pub lang_links: Vec<LangLink>,
    pub nav: Option<Nav>,
    pub title: String,
    pub id: i64,
    pub community_id: i64,
    pub community: String,
    pub operator: String,
    pub tools: Vec<ToolRow>,
    pub months: Vec<MonthRow>,
    pub fees_total: String,
    pub chart: String,
    /// Month labels, then per tool its name and each month's share out (in %).
    pub month_labels: Vec<String>,
    pub use_rows: Vec<(String, Vec<String>, i64)>,
}

pub async fn show(
    State(state): State<AppState>,
    tr: Tr,
    uri: Uri,
    Path(id): Path<i64>,
) -> Result<Html<String>, PageError> {
    let store = state.store.clone();
    let (pool, tools, report) = crate::pages::run(move || {
        Ok((
            store.pool(id)?,
            store.pool_tools(id, "")?,
            store.pool_report(id, 12)?,
        ))
    })
    .await?;
    let months: Vec<MonthRow> = report
        .months
        .iter()
        .zip(&report.loans)
        .zip(&report.fees)
        .map(|((m, n), f)| MonthRow {
            month: m.clone(),
            loans: *n,
            fees: f.to_string(),
        })
        .collect();
    let chart_title = tr.t("pool-loans-by-month");
    let chart = bars(
        &months
            .iter()
            .map(|m| Bar {
                label: m.month.clone(),
                value: Some(m.loans as f64),
                shown: m.loans.to_string(),
            })
            .collect::<Vec<_>>(),
        &chart_title,
        &tr.t("pool-loans-note"),
    );
    let title = pool.name.clone();
    let p = page!(PoolPage, Frame::new(tr.clone(), &uri, None), title, {
        id,
        community_id: pool.community_project_id,
        community: pool.community_project.clone(),
        operator: pool.office_name.clone(),
        tools: tools.iter().map(|t| ToolRow {
            name: t.name.clone(),
            category: tr.t(&format!("tool-category-{}", t.category)),
            quantity: t.quantity,
            condition: tr.t(&format!("condition-{}", t.condition)),
            out: t.out,
            fee: money(t.fee_minor, &pool.currency),
        }).collect(),
        months,
        fees_total: report.fees_total.to_string(),
        chart,
        month_labels: report.months.iter().map(|m| m[2..].to_owned()).collect(),
        use_rows: report.tools.iter().map(|t| (
            t.name.clone(),
            t.months.iter().map(|u| format!("{:.0}", u * 100.0)).collect(),
            t.loans,
        )).collect(),
    });
    render(&p)
}
