//! The counter of a tool pool, for its operators (`assets.lend` over the pool's office):
//! `GET /pools/{id}/counter?q=` finds a tool and shows whether it can go out; `POST
//! /pools/{id}/lend` lends it to a named borrower with a due date, refused with the reason
//! when it is out or out of service; `POST /pools/{id}/loans/{loan}/return` takes it back
//! with its condition and records the fee (the days out at the tool's fee unless the
//! operator waives some). Overdue loans are listed. Staff who run the project
//! (`community.manage`) also keep the inventory here: `POST /pools/{id}/tools[/{tool}]`.

use super::money;
use crate::auth::Signed;
use crate::form::Fields;
use crate::i18n::{FluentArg, Tr};
use crate::pages::page;
use crate::pages::{Frame, LangLink, Nav, render};
use crate::{AppState, PageError};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, Uri};
use axum::response::{IntoResponse, Redirect, Response};
use homeward_domain::access::{LendAssets, ManageCommunity};
use homeward_domain::community::pool::{
    Condition, LoanDraft, ReturnDraft, ToolCategory, ToolDraft, fee_due,
};
use homeward_domain::date::Ymd;
use homeward_domain::{CurrencyCode, Money};
use homeward_store::StoreError;
use homeward_store::community::pools::{Loan, Loans, PoolLine, ToolLine};
use serde::Deserialize;

/// An open loan at the counter, with the fee due if it came back today.
pub struct OpenLoan {
    pub id: i64,
    pub borrower: String,
    pub phone: String,
    pub lent_on: String,
    pub due_on: String,
    pub overdue_days: i64,
    pub fee_due: String,
}

pub struct ToolAtCounter {
    pub id: i64,
    pub name: String,
    pub category: String,
    pub category_code: String,
    pub quantity: i64,
    pub condition: String,
    pub condition_code: String,
    pub available: bool,
    pub out: i64,
    pub fee: String,
    pub fee_plain: String,
    pub value_plain: String,
    pub notes: String,
    pub loans: Vec<OpenLoan>,
}

#[derive(Template)]
#[template(path = "community/counter.html")]
pub struct CounterPage {
    pub tr: Tr,
    pub lang_links: Vec<LangLink>,
    pub nav: Option<Nav>,
    pub title: String,
    pub csrf: String,
    pub id: i64,
    pub q: String,
    pub notice: String,
    pub errors: Vec<String>,
    pub tools: Vec<ToolAtCounter>,
    pub overdue: Vec<(String, OpenLoan)>,
    pub due_default: String,
    pub conditions: Vec<(String, String)>,
    pub categories: Vec<(String, String)>,
    pub keeps_inventory: bool,
    pub currency: String,
}

#[derive(Debug, Default, Deserialize)]
pub struct CounterQuery {
    #[serde(default)]
    pub q: String,
    #[serde(default)]
    pub lent: Option<i64>,
    #[serde(default)]
    pub back: Option<i64>,
}

fn currency(p: &PoolLine) -> Result<CurrencyCode, PageError> {
    p.currency
        .parse()
        .map_err(|e: String| PageError::Internal(e))
}

fn open_loan(l: &Loan, c: CurrencyCode, today: Ymd) -> OpenLoan {
    let span = l.span();
    OpenLoan {
        id: l.id,
        borrower: l.borrower.clone(),
        phone: l.phone.clone(),
        lent_on: l.lent_on.clone(),
        due_on: l.due_on.clone(),
        overdue_days: span.map_or(0, |s| s.days_overdue(today)),
        fee_due: span
            .map(|s| {
                fee_due(Money::new(l.fee_per_day_minor, c), s.lent_on, today).to_decimal_string()
            })
            .unwrap_or_default(),
    }
}

async fn show(
    state: &AppState,
    tr: Tr,
    uri: &Uri,
    s: &Signed,
    id: i64,
    q: CounterQuery,
    (errors, status): (Vec<String>, StatusCode),
) -> Result<Response, PageError> {
    let auth = s.authorize::<LendAssets>()?;
    let store = state.store.clone();
    let find = q.q.clone();
    let (pool, tools, open, overdue, done) = crate::pages::run(move || {
        let pool = store.pool(id)?;
        let open = store.pool_loans(&auth, id, Loans::Open, 2_000)?;
        let overdue = store.pool_loans(&auth, id, Loans::Overdue, 200)?;
        let done = match q.lent.or(q.back) {
            Some(l) => Some(store.tool_loan(&auth, l)?),
            None => None,
        };
        Ok((pool, store.pool_tools(id, &find)?, open, overdue, done))
    })
    .await?;
    let c = currency(&pool)?;
    let today = homeward_store::today();
    let notice = match (done, q.lent.is_some()) {
        (Some(l), true) => tr.ta(
            "counter-lent",
            &[
                ("tool", FluentArg::Str(l.tool.clone())),
                ("borrower", FluentArg::Str(l.borrower.clone())),
                ("due", FluentArg::Str(l.due_on.clone())),
            ],
        ),
        (Some(l), false) => tr.ta(
            "counter-back",
            &[
                ("tool", FluentArg::Str(l.tool.clone())),
                ("borrower", FluentArg::Str(l.borrower.clone())),
                (
                    "fee",
                    FluentArg::Str(money(l.fee_minor.unwrap_or(0), &pool.currency)),
                ),
            ],
        ),
        _ => String::new(),
    };
    let at_counter = |t: &ToolLine| {
        let condition: Option<Condition> = t.condition.parse().ok();
        ToolAtCounter {
            id: t.id,
            name: t.name.clone(),
            category: tr.t(&format!("tool-category-{}", t.category)),
            category_code: t.category.clone(),
            quantity: t.quantity,
            condition: tr.t(&format!("condition-{}", t.condition)),
            condition_code: t.condition.clone(),
            available: condition.is_some_and(Condition::lendable) && t.out < t.quantity,
            out: t.out,
            fee: money(t.fee_minor, &pool.currency),
            fee_plain: Money::new(t.fee_minor, c).to_decimal_string(),
            value_plain: Money::new(t.value_minor, c).to_decimal_string(),
            notes: t.notes.clone(),
            loans: open
                .iter()
                .filter(|l| l.tool_id == t.id)
                .map(|l| open_loan(l, c, today))
                .collect(),
        }
    };
    let title = tr.ta(
        "counter-heading",
        &[("pool", FluentArg::Str(pool.name.clone()))],
    );
    let p = page!(CounterPage, Frame::new(tr.clone(), uri, Some(s)), title, {
        csrf: s.csrf.clone(),
        id,
        q: q.q.clone(),
        notice,
        errors,
        tools: tools.iter().map(at_counter).collect(),
        overdue: overdue.iter().map(|l| (l.tool.clone(), open_loan(l, c, today))).collect(),
        due_default: Ymd::from_days(today.to_days() + 3).to_string(),
        conditions: Condition::ALL.iter().map(|x| (x.code().to_owned(), tr.t(&format!("condition-{}", x.code())))).collect(),
        categories: ToolCategory::ALL.iter().map(|x| (x.code().to_owned(), tr.t(&format!("tool-category-{}", x.code())))).collect(),
        keeps_inventory: s.authorize::<ManageCommunity>().is_ok(),
        currency: pool.currency.clone(),
    });
    Ok((status, render(&p)?).into_response())
}

pub async fn page(
    State(state): State<AppState>,
    tr: Tr,
    uri: Uri,
    s: Signed,
    Path(id): Path<i64>,
    Query(q): Query<CounterQuery>,
) -> Result<Response, PageError> {
    show(&state, tr, &uri, &s, id, q, (vec![], StatusCode::OK)).await
}

/// The counter again with what was refused, keeping the search.
async fn refused(
    state: &AppState,
    tr: Tr,
    uri: &Uri,
    s: &Signed,
    id: i64,
    f: &Fields,
    e: StoreError,
) -> Result<Response, PageError> {
    let (lines, status) = match e {
        StoreError::Conflict { field, message } => {
            (vec![format!("{field}: {message}")], StatusCode::CONFLICT)
        }
        other => return Err(other.into()),
    };
    let q = CounterQuery {
        q: f.get("q").to_owned(),
        ..Default::default()
    };
    show(state, tr, uri, s, id, q, (lines, status)).await
}

fn field_lines(errs: &[homeward_domain::FieldError]) -> Vec<String> {
    errs.iter().map(ToString::to_string).collect()
}

fn back_to(id: i64, f: &Fields, what: &str, loan: i64) -> Response {
    let q: String = form_urlencoded::byte_serialize(f.get("q").as_bytes()).collect();
    Redirect::to(&format!("/pools/{id}/counter?q={q}&{what}={loan}")).into_response()
}

pub async fn lend(
    State(state): State<AppState>,
    tr: Tr,
    uri: Uri,
    s: Signed,
    Path(id): Path<i64>,
    f: Fields,
) -> Result<Response, PageError> {
    let auth = s.authorize::<LendAssets>()?;
    let tool = f.int("tool")?;
    let today = homeward_store::today();
    let draft = match LoanDraft::parse(
        f.get("borrower"),
        f.get("phone"),
        f.get("lent_on"),
        f.get("due_on"),
        today,
    ) {
        Ok(d) => d,
        Err(errs) => {
            let q = CounterQuery {
                q: f.get("q").to_owned(),
                ..Default::default()
            };
            return show(
                &state,
                tr,
                &uri,
                &s,
                id,
                q,
                (field_lines(&errs), StatusCode::BAD_REQUEST),
            )
            .await;
        }
    };
    let (store, actor) = (state.store.clone(), s.actor());
    let outcome = crate::blocking(move || {
        if store.pool_tool(tool)?.pool_id != id {
            return Err(StoreError::NotFound(format!("tool {tool} in pool {id}")));
        }
        store.lend_tool(&auth, &actor, tool, &draft)
    })
    .await?;
    match outcome {
        Ok(loan) => Ok(back_to(id, &f, "lent", loan)),
        Err(e) => refused(&state, tr, &uri, &s, id, &f, e).await,
    }
}

pub async fn take_back(
    State(state): State<AppState>,
    tr: Tr,
    uri: Uri,
    s: Signed,
    Path((id, loan)): Path<(i64, i64)>,
    f: Fields,
) -> Result<Response, PageError> {
    let auth = s.authorize::<LendAssets>()?;
    let store = state.store.clone();
    let a = auth.clone();
    let (l, pool) =
        crate::pages::run(move || Ok((store.tool_loan(&a, loan)?, store.pool(id)?))).await?;
    let c = currency(&pool)?;
    let lent_on: Ymd = l
        .lent_on
        .parse()
        .map_err(|e: String| PageError::Internal(e))?;
    let today = homeward_store::today();
    let draft = match ReturnDraft::parse(
        f.get("returned_on"),
        f.get("condition"),
        f.get("fee"),
        f.get("note"),
        lent_on,
        Money::new(l.fee_per_day_minor, c),
        today,
    ) {
        Ok(d) => d,
        Err(errs) => {
            let q = CounterQuery {
                q: f.get("q").to_owned(),
                ..Default::default()
            };
            return show(
                &state,
                tr,
                &uri,
                &s,
                id,
                q,
                (field_lines(&errs), StatusCode::BAD_REQUEST),
            )
            .await;
        }
    };
    let (store, actor) = (state.store.clone(), s.actor());
    match crate::blocking(move || store.return_tool(&auth, &actor, loan, &draft)).await? {
        Ok(_) => Ok(back_to(id, &f, "back", loan)),
        Err(e) => refused(&state, tr, &uri, &s, id, &f, e).await,
    }
}

async fn save_tool(
    state: AppState,
    tr: Tr,
    uri: Uri,
    s: Signed,
    id: i64,
    tool: Option<i64>,
    f: Fields,
) -> Result<Response, PageError> {
    let auth = s.authorize::<ManageCommunity>()?;
    let store = state.store.clone();
    let pool = crate::pages::run(move || store.pool(id)).await?;
    let c = currency(&pool)?;
    let draft = match ToolDraft::parse(
        f.get("name"),
        f.get("category"),
        f.get("quantity"),
        f.get("condition"),
        f.get("value"),
        f.get("fee_per_day"),
        f.get("notes"),
        c,
    ) {
        Ok(d) => d,
        Err(errs) => {
            return show(
                &state,
                tr,
                &uri,
                &s,
                id,
                CounterQuery::default(),
                (field_lines(&errs), StatusCode::BAD_REQUEST),
            )
            .await;
        }
    };
    let (store, actor) = (state.store.clone(), s.actor());
    match crate::blocking(move || store.save_tool(&auth, &actor, id, tool, &draft)).await? {
        Ok(t) => Ok(Redirect::to(&format!("/pools/{id}/counter#tool-{t}")).into_response()),
        Err(e) => refused(&state, tr, &uri, &s, id, &f, e).await,
    }
}

pub async fn add_tool(
    State(state): State<AppState>,
    tr: Tr,
    uri: Uri,
    s: Signed,
    Path(id): Path<i64>,
    f: Fields,
) -> Result<Response, PageError> {
    save_tool(state, tr, uri, s, id, None, f).await
}

pub async fn update_tool(
    State(state): State<AppState>,
    tr: Tr,
    uri: Uri,
    s: Signed,
    Path((id, tool)): Path<(i64, i64)>,
    f: Fields,
) -> Result<Response, PageError> {
    save_tool(state, tr, uri, s, id, Some(tool), f).await
}
