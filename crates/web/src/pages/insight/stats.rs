//! `GET /stats`: numbers about cases within the user's scope — by office, status, sex and
//! nationality. Never a name: what M&E officers and programme managers work from.

use crate::auth::Signed;
use crate::i18n::Tr;
use crate::pages::page;
use crate::pages::{Frame, render};
use crate::{AppState, PageError};
use askama::Template;
use axum::extract::State;
use axum::http::Uri;
use axum::response::{IntoResponse, Response};
use homeward_domain::access::SeeAggregates;
use homeward_store::cases::read::Cell;

pub struct Table {
    pub caption: String,
    /// Each row's name and count, "withheld" where withheld; none when the table is
    /// withheld whole.
    pub rows: Option<Vec<(String, String)>>,
}

#[derive(Template)]
#[template(path = "cases/stats.html")]
pub struct StatsPage {
    pub tr: Tr,
    pub lang_links: Vec<crate::pages::LangLink>,
    pub nav: Option<crate::pages::Nav>,
    pub title: String,
    pub total: String,
    pub tables: Vec<Table>,
}

pub async fn show(
    State(state): State<AppState>,
    tr: Tr,
    uri: Uri,
    s: Signed,
) -> Result<Response, PageError> {
    let auth = s.authorize::<SeeAggregates>()?;
    let store = state.store.clone();
    let a = crate::pages::run(move || store.case_aggregates(&auth)).await?;
    let withheld = tr.t("stats-withheld");
    // Codes (stages, sexes) are named in the reader's language; offices and countries as stored.
    let label = |prefix: Option<&str>, rows: Option<Vec<Cell>>| -> Option<Vec<(String, String)>> {
        rows.map(|cells| {
            cells
                .into_iter()
                .map(|c| {
                    let key = match prefix {
                        Some(p) => tr.t(&format!("{p}-{}", c.key)),
                        None => c.key,
                    };
                    (key, c.n.map(|n| n.to_string()).unwrap_or(withheld.clone()))
                })
                .collect()
        })
    };
    let tables = vec![
        Table {
            caption: tr.t("stats-by-office"),
            rows: label(None, a.by_office),
        },
        Table {
            caption: tr.t("stats-by-status"),
            rows: label(Some("stage"), a.by_status),
        },
        Table {
            caption: tr.t("stats-by-sex"),
            rows: label(Some("sex"), a.by_sex),
        },
        Table {
            caption: tr.t("stats-by-nationality"),
            rows: label(None, a.by_nationality),
        },
    ];
    let title = tr.t("stats-title");
    let p = page!(StatsPage, Frame::new(tr.clone(), &uri, Some(&s)), title, { total: a.total.map(|n| n.to_string()).unwrap_or(tr.t("stats-fewer-than-five")), tables: tables });
    Ok(render(&p)?.into_response())
}
