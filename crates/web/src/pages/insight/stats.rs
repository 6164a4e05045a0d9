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
use homeward_store::cases::read::Count;

pub struct Table {
    pub caption: String,
    pub rows: Vec<Count>,
}

#[derive(Template)]
#[template(path = "cases/stats.html")]
pub struct StatsPage {
    pub tr: Tr,
    pub lang_links: Vec<crate::pages::LangLink>,
    pub nav: Option<crate::pages::Nav>,
    pub title: String,
    pub total: i64,
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
    let label = |prefix: &str, rows: Vec<Count>| -> Vec<Count> {
        rows.into_iter()
            .map(|c| Count {
                key: tr.t(&format!("{prefix}-{}", c.key)),
                n: c.n,
            })
            .collect()
    };
    let tables = vec![
        Table {
            caption: tr.t("stats-by-office"),
            rows: a.by_office,
        },
        Table {
            caption: tr.t("stats-by-status"),
            rows: label("stage", a.by_status),
        },
        Table {
            caption: tr.t("stats-by-sex"),
            rows: label("sex", a.by_sex),
        },
        Table {
            caption: tr.t("stats-by-nationality"),
            rows: a.by_nationality,
        },
    ];
    let title = tr.t("stats-title");
    let p =
        page!(StatsPage, Frame::new(tr, &uri, Some(&s)), title, { total: a.total, tables: tables });
    Ok(render(&p)?.into_response())
}
