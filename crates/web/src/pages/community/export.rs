//! `GET /community/export/{csv|xlsx|hxl}` and `GET /capacity/export/{csv|xlsx|hxl}`: the
//! community and structural levels in numbers, one row per community project (returnees
//! and community members taking part, outputs achieved, money spent, tools, loans and fees)
//! or per capacity-building activity (participants by sex, mean test scores, outputs,
//! money). `?country=XX` narrows them as the lists do. Aggregates only: no name but the
//! activities' own; returnees under five are withheld (empty in HXL).

use crate::i18n::Tr;
use crate::{AppState, PageError};
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use homeward_interop::aggregate_table::{Column, write_table, write_table_xlsx};
use homeward_store::community::activity::ActivityFilter;
use homeward_store::community::capacity::CapacityLine;
use homeward_store::community::projects::CommunityLine;

/// csv, xlsx or hxl.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Csv,
    Xlsx,
    Hxl,
}

fn format(f: &str) -> Result<Format, PageError> {
    match f {
        "csv" => Ok(Format::Csv),
        "xlsx" => Ok(Format::Xlsx),
        "hxl" => Ok(Format::Hxl),
        _ => Err(PageError::NotFound(format!(
            "an export as {f:?} (csv, xlsx or hxl)"
        ))),
    }
}

fn col(tr: &Tr, key: &str, hxl: &'static str) -> Column {
    Column {
        header: tr.t(key),
        hxl,
    }
}

fn minor(v: i64) -> String {
    let sign = if v < 0 { "-" } else { "" };
    format!("{sign}{}.{:02}", v.abs() / 100, v.abs() % 100)
}

/// The file of `rows`; a cell reading `withheld` (a count of fewer than five, in words) is
/// left empty in HXL, whose number columns hold numbers.
fn send(
    name: &str,
    f: Format,
    columns: &[Column],
    rows: Vec<Vec<String>>,
    withheld: &str,
) -> Result<Response, PageError> {
    let (bytes, kind, file) = match f {
        Format::Xlsx => (
            write_table_xlsx(name, columns, &rows)
                .map_err(|e| PageError::Internal(e.to_string()))?,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            format!("homeward-{name}.xlsx"),
        ),
        Format::Csv | Format::Hxl => {
            let hxl = f == Format::Hxl;
            // HXL tools expect numbers in number columns: a withheld cell is left empty.
            let rows: Vec<Vec<String>> = if hxl {
                rows.into_iter()
                    .map(|r| {
                        r.into_iter()
                            .map(|c| if c == withheld { String::new() } else { c })
                            .collect()
                    })
                    .collect()
            } else {
                rows
            };
            (
                write_table(columns, &rows, hxl).map_err(|e| PageError::Internal(e.to_string()))?,
                "text/csv; charset=utf-8",
                format!("homeward-{name}{}.csv", if hxl { "-hxl" } else { "" }),
            )
        }
    };
    Ok((
        [
            (header::CONTENT_TYPE, kind.to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{file}\""),
            ),
        ],
        bytes,
    )
        .into_response())
}

fn country_of(q: &super::ListQuery) -> Option<String> {
    let c = q.country.trim().to_ascii_uppercase();
    (!c.is_empty()).then_some(c)
}

pub async fn community(
    State(state): State<AppState>,
    tr: Tr,
    Path(f): Path<String>,
    Query(q): Query<super::ListQuery>,
) -> Result<Response, PageError> {
    let f = format(&f)?;
    let filter = ActivityFilter {
        country: country_of(&q),
        project_id: None,
    };
    let store = state.store.clone();
    let (lines, totals) = crate::pages::run(move || {
        Ok((
            store.activities::<CommunityLine>(&filter)?,
            store.pool_totals()?,
        ))
    })
    .await?;
    let columns = [
        col(&tr, "export-project-code", "#activity+project+code"),
        col(&tr, "community-name", "#activity+name"),
        col(&tr, "dash-country-code", "#country+code"),
        col(&tr, "community-area", "#adm1+name"),
        col(&tr, "community-place", "#loc+name"),
        col(&tr, "community-partner", "#org+partner"),
        col(&tr, "community-status", "#status"),
        col(&tr, "community-start", "#date+start"),
        col(&tr, "community-end", "#date+end"),
        col(&tr, "community-returnees", "#reached+returnees"),
        col(&tr, "community-members", "#reached+community"),
        col(&tr, "export-women", "#reached+community+f"),
        col(&tr, "export-men", "#reached+community+m"),
        col(&tr, "community-outputs-achieved", "#indicator+outputs+num"),
        col(&tr, "export-spent-usd", "#value+spent+usd"),
        col(&tr, "export-tools", "#indicator+tools+num"),
        col(&tr, "export-loans", "#indicator+loans+num"),
        col(&tr, "export-fees", "#value+fees"),
        col(&tr, "export-fees-currency", "#currency+fees"),
    ];
    let rows = lines
        .iter()
        .map(|c| {
            let pools: Vec<_> = totals
                .iter()
                .filter(|t| t.community_project_id == c.head.id)
                .collect();
            let currency = pools
                .first()
                .map(|p| p.currency.clone())
                .unwrap_or_default();
            let same_currency = pools.iter().all(|p| p.currency == currency);
            vec![
                c.head.project_code.clone(),
                c.name.clone(),
                c.head.country.clone(),
                c.area.clone(),
                c.place.clone(),
                c.partner.clone(),
                c.head.status.clone(),
                c.head.start_on.clone().unwrap_or_default(),
                c.head.end_on.clone().unwrap_or_default(),
                super::returnees(&tr, c.returnees),
                c.members.to_string(),
                c.members_female.to_string(),
                c.members_male.to_string(),
                c.head.outputs_achieved.to_string(),
                minor(c.head.spent_usd_minor),
                pools.iter().map(|p| p.tools).sum::<i64>().to_string(),
                pools.iter().map(|p| p.loans).sum::<i64>().to_string(),
                if same_currency {
                    minor(pools.iter().map(|p| p.fees_minor).sum())
                } else {
                    String::new()
                },
                if same_currency {
                    currency
                } else {
                    String::new()
                },
            ]
        })
        .collect();
    send(
        "community",
        f,
        &columns,
        rows,
        &tr.t("stats-fewer-than-five"),
    )
}

pub async fn capacity(
    State(state): State<AppState>,
    tr: Tr,
    Path(f): Path<String>,
    Query(q): Query<super::ListQuery>,
) -> Result<Response, PageError> {
    let f = format(&f)?;
    let filter = ActivityFilter {
        country: country_of(&q),
        project_id: None,
    };
    let store = state.store.clone();
    let lines = crate::pages::run(move || store.activities::<CapacityLine>(&filter)).await?;
    let columns = [
        col(&tr, "export-project-code", "#activity+project+code"),
        col(&tr, "capacity-activity", "#activity+name"),
        col(&tr, "capacity-kind", "#activity+type"),
        col(&tr, "capacity-institution", "#org+beneficiary"),
        col(&tr, "dash-country-code", "#country+code"),
        col(&tr, "community-status", "#status"),
        col(&tr, "community-start", "#date+start"),
        col(&tr, "community-end", "#date+end"),
        col(&tr, "export-women", "#reached+f"),
        col(&tr, "export-men", "#reached+m"),
        col(&tr, "export-others", "#reached+other"),
        col(&tr, "community-total", "#reached+total"),
        col(&tr, "export-scored", "#indicator+tested+num"),
        col(&tr, "capacity-pre", "#indicator+pretest+num"),
        col(&tr, "capacity-post", "#indicator+posttest+num"),
        col(&tr, "community-outputs-achieved", "#indicator+outputs+num"),
        col(&tr, "export-spent-usd", "#value+spent+usd"),
    ];
    let mean = |v: Option<f64>| v.map(|x| format!("{x:.1}")).unwrap_or_default();
    let rows = lines
        .iter()
        .map(|a| {
            vec![
                a.head.project_code.clone(),
                a.title.clone(),
                a.kind.clone(),
                a.institution.clone(),
                a.head.country.clone(),
                a.head.status.clone(),
                a.head.start_on.clone().unwrap_or_default(),
                a.head.end_on.clone().unwrap_or_default(),
                a.female.to_string(),
                a.male.to_string(),
                a.other.to_string(),
                a.participants().to_string(),
                a.scored.to_string(),
                mean(a.pre_mean),
                mean(a.post_mean),
                a.head.outputs_achieved.to_string(),
                minor(a.head.spent_usd_minor),
            ]
        })
        .collect();
    send(
        "capacity",
        f,
        &columns,
        rows,
        &tr.t("stats-fewer-than-five"),
    )
}
