//! `GET /admin/rates`: exchange rates to USD by date; `POST /admin/rates` adds or replaces
//! one; `POST /admin/rates/import` takes a pasted CSV table, all rows or none, every bad
//! cell named by row and column.

use crate::auth::Signed;
use crate::form::Fields;
use crate::i18n::{FluentArg, Tr};
use crate::pages::page;
use crate::pages::{Frame, LangLink, Nav, render};
use crate::{AppState, PageError};
use askama::Template;
use axum::extract::State;
use axum::http::{StatusCode, Uri};
use axum::response::{IntoResponse, Redirect, Response};
use homeward_domain::CurrencyCode;
use homeward_domain::access::ManageReference;
use homeward_domain::date::Ymd;
use homeward_domain::reintegration::exchange::UsdRate;
use homeward_store::catalogue::rates::RateEntry;

pub struct RateRow {
    pub currency: String,
    pub on: String,
    pub rate: String,
    pub source: String,
}

#[derive(Template)]
#[template(path = "admin/rates.html")]
pub struct RatesPage {
    pub tr: Tr,
    pub lang_links: Vec<LangLink>,
    pub nav: Option<Nav>,
    pub title: String,
    pub csrf: String,
    pub rates: Vec<RateRow>,
    pub errors: Vec<String>,
    pub notice: String,
    pub table: String,
}

async fn show(
    state: &AppState,
    tr: Tr,
    uri: &Uri,
    s: &Signed,
    errors: Vec<String>,
    notice: String,
    table: String,
) -> Result<Response, PageError> {
    s.authorize::<ManageReference>()?;
    let store = state.store.clone();
    let rates = crate::pages::run(move || store.rates(500)).await?;
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::BAD_REQUEST
    };
    let title = tr.t("admin-rates");
    let p = page!(RatesPage, Frame::new(tr, uri, Some(s)), title, {
        csrf: s.csrf.clone(),
        rates: rates
            .into_iter()
            .map(|r| RateRow { currency: r.currency.as_str().to_owned(), on: r.on.to_string(), rate: r.rate.to_decimal_string(), source: r.source })
            .collect(),
        errors,
        notice,
        table,
    });
    Ok((status, render(&p)?).into_response())
}

pub async fn list(
    State(state): State<AppState>,
    tr: Tr,
    uri: Uri,
    s: Signed,
) -> Result<Response, PageError> {
    show(&state, tr, &uri, &s, vec![], String::new(), String::new()).await
}

pub async fn add(
    State(state): State<AppState>,
    tr: Tr,
    uri: Uri,
    s: Signed,
    f: Fields,
) -> Result<Response, PageError> {
    let auth = s.authorize::<ManageReference>()?;
    let currency = f
        .get("currency")
        .parse::<CurrencyCode>()
        .map_err(|e| format!("currency: {e}"));
    let on = f
        .get("date")
        .parse::<Ymd>()
        .map_err(|e| format!("date: {e}"));
    let entry = match (currency, on) {
        (Ok(currency), Ok(on)) => match UsdRate::parse(currency, f.get("usd_per_unit")) {
            Ok(rate) => Ok(RateEntry {
                currency,
                on,
                rate,
                source: f.get("source").trim().chars().take(200).collect(),
            }),
            Err(e) => Err(vec![format!("usd_per_unit: {e}")]),
        },
        (c, o) => Err([c.err(), o.err()].into_iter().flatten().collect()),
    };
    let entry = match entry {
        Ok(e) => e,
        Err(errs) => return show(&state, tr, &uri, &s, errs, String::new(), String::new()).await,
    };
    let store = state.store.clone();
    let actor = s.actor();
    crate::pages::run(move || store.set_rate(&auth, &actor, &entry)).await?;
    Ok(Redirect::to("/admin/rates").into_response())
}

pub async fn import(
    State(state): State<AppState>,
    tr: Tr,
    uri: Uri,
    s: Signed,
    f: Fields,
) -> Result<Response, PageError> {
    let auth = s.authorize::<ManageReference>()?;
    let table = f.get("table").to_owned();
    let source = f.get("source").trim().to_owned();
    let entries = match homeward_interop::rates::parse_rates("the table", table.as_bytes(), &source)
    {
        Ok(e) => e,
        Err(e) => {
            let lines = match e.problems() {
                [] => vec![e.to_string()],
                ps => ps.iter().map(|p| p.to_string()).collect(),
            };
            return show(&state, tr, &uri, &s, lines, String::new(), table).await;
        }
    };
    let store = state.store.clone();
    let actor = s.actor();
    let saved = crate::pages::run(move || store.import_rates(&auth, &actor, &entries)).await?;
    let notice = tr.ta(
        "rates-imported",
        &[
            ("created", FluentArg::Num(saved.created as i64)),
            ("updated", FluentArg::Num(saved.updated as i64)),
        ],
    );
    show(&state, tr, &uri, &s, vec![], notice, String::new()).await
}
