//! The loans of a pool, for its counter staff (`assets.lend` over the pool's office):
//! `GET /api/v1/asset-pools/{id}/loans?which=open|overdue|all` with the borrowers, `POST
//! /api/v1/asset-pools/{id}/loans` lends a tool (409 when every unit is out or it is out
//! of service, with the reason), `POST /api/v1/asset-pools/{id}/loans/{loan}/return`
//! takes it back and records the fee.

use super::model::LoanDto;
use crate::api::Created;
use crate::api::JsonBody;
use crate::auth::Signed;
use crate::{ApiError, AppState, blocking};
use axum::Json;
use axum::extract::{Path, Query, State};
use homeward_domain::FieldError;
use homeward_domain::access::LendAssets;
use homeward_domain::community::pool::{LoanDraft, ReturnDraft};
use homeward_domain::{CurrencyCode, Money};
use homeward_store::StoreError;
use homeward_store::community::pools::Loans;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Default, Deserialize)]
pub struct Which {
    #[serde(default)]
    pub which: String,
}

/// A pool's loans.
#[utoipa::path(
    get,
    path = "/api/v1/asset-pools/{id}/loans",
    tag = "community",
    security(("bearer" = [])),
    params(
        ("id" = i64, Path, description = "Pool id"),
        ("which" = Option<String>, Query, description = "open (the default), overdue or all"),
    ),
    responses(
        (status = 200, description = "Loans, newest first (overdue: the longest late first)", body = [LoanDto]),
        (status = 400, description = "which is not open, overdue or all", body = crate::error::ErrorBody),
        (status = 401, description = "No valid token", body = crate::error::ErrorBody),
        (status = 403, description = "The caller does not keep this pool's counter", body = crate::error::ErrorBody),
        (status = 404, description = "No such pool", body = crate::error::ErrorBody),
    )
)]
pub async fn list(
    State(state): State<AppState>,
    s: Signed,
    Path(id): Path<i64>,
    Query(q): Query<Which>,
) -> Result<Json<Vec<LoanDto>>, ApiError> {
    let auth = s.authorize::<LendAssets>()?;
    let which = match q.which.as_str() {
        "" | "open" => Loans::Open,
        "overdue" => Loans::Overdue,
        "all" => Loans::All,
        other => {
            return Err(ApiError::BadRequest(vec![FieldError::new(
                "which",
                format!("{other:?} is not open, overdue or all"),
            )]));
        }
    };
    let store = state.store.clone();
    let loans = blocking(move || store.pool_loans(&auth, id, which, 5_000)).await??;
    Ok(Json(loans.iter().map(LoanDto::from).collect()))
}

/// A loan to make.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct NewLoan {
    pub tool: i64,
    pub borrower: String,
    pub phone: String,
    /// YYYY-MM-DD, not in the future; today when left out.
    pub lent_on: String,
    /// YYYY-MM-DD, on or after the day lent and within 90 days.
    pub due_on: String,
}

/// A refusal at the counter is a conflict with the tool's state, not bad input.
fn counter_error(e: StoreError) -> ApiError {
    match e {
        StoreError::Conflict { field, message } if field == "tool" || field == "loan" => {
            ApiError::Conflict(message)
        }
        e => ApiError::from(e),
    }
}

/// Lend a tool.
#[utoipa::path(
    post,
    path = "/api/v1/asset-pools/{id}/loans",
    tag = "community",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Pool id")),
    request_body = NewLoan,
    responses(
        (status = 201, description = "Lent", body = Created),
        (status = 400, description = "Fields not valid, each named", body = crate::error::ErrorBody),
        (status = 401, description = "No valid token", body = crate::error::ErrorBody),
        (status = 403, description = "The caller does not keep this pool's counter", body = crate::error::ErrorBody),
        (status = 404, description = "No such tool in this pool", body = crate::error::ErrorBody),
        (status = 409, description = "Every unit is out, or the tool is out of service: the reason is given", body = crate::error::ErrorBody),
    )
)]
pub async fn lend(
    State(state): State<AppState>,
    s: Signed,
    Path(id): Path<i64>,
    JsonBody(b): JsonBody<NewLoan>,
) -> Result<Created, ApiError> {
    let auth = s.authorize::<LendAssets>()?;
    let draft = LoanDraft::parse(
        &b.borrower,
        &b.phone,
        &b.lent_on,
        &b.due_on,
        homeward_store::today(),
    )
    .map_err(ApiError::BadRequest)?;
    let (store, actor) = (state.store.clone(), s.actor());
    let tool = b.tool;
    let loan = blocking(move || {
        if store.pool_tool(tool)?.pool_id != id {
            return Err(StoreError::NotFound(format!("tool {tool} in pool {id}")));
        }
        store.lend_tool(&auth, &actor, tool, &draft)
    })
    .await?
    .map_err(counter_error)?;
    Ok(Created { id: loan })
}

/// A loan coming back.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct LoanReturn {
    /// YYYY-MM-DD; today when left out.
    pub returned_on: String,
    /// good, fair, poor, broken or lost.
    pub condition: String,
    /// What was collected in the pool's currency, with a dot for decimals; the fee due
    /// when left out.
    pub fee: String,
    pub note: String,
}

/// What was recorded.
#[derive(Debug, Serialize, ToSchema)]
pub struct Returned {
    pub fee: String,
    pub currency: String,
}

/// Take a loan back.
#[utoipa::path(
    post,
    path = "/api/v1/asset-pools/{id}/loans/{loan}/return",
    tag = "community",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Pool id"), ("loan" = i64, Path, description = "Loan id")),
    request_body = LoanReturn,
    responses(
        (status = 200, description = "Taken back; the fee recorded", body = Returned),
        (status = 400, description = "Fields not valid, each named", body = crate::error::ErrorBody),
        (status = 401, description = "No valid token", body = crate::error::ErrorBody),
        (status = 403, description = "The caller does not keep this pool's counter", body = crate::error::ErrorBody),
        (status = 404, description = "No such loan in this pool", body = crate::error::ErrorBody),
        (status = 409, description = "It was taken back already", body = crate::error::ErrorBody),
    )
)]
pub async fn take_back(
    State(state): State<AppState>,
    s: Signed,
    Path((id, loan)): Path<(i64, i64)>,
    JsonBody(b): JsonBody<LoanReturn>,
) -> Result<Json<Returned>, ApiError> {
    let auth = s.authorize::<LendAssets>()?;
    crate::api::point_amounts(&[("fee", &b.fee)])?;
    let (store, actor) = (state.store.clone(), s.actor());
    let fee = blocking(move || {
        let pool = store.pool(id)?;
        let l = store.tool_loan(&auth, loan)?;
        if store.pool_tool(l.tool_id)?.pool_id != id {
            return Err(StoreError::NotFound(format!("loan {loan} in pool {id}")));
        }
        let currency: CurrencyCode = pool.currency.parse().map_err(StoreError::Corrupt)?;
        let lent_on = l.lent_on.parse().map_err(StoreError::Corrupt)?;
        let draft = ReturnDraft::parse(
            &b.returned_on,
            &b.condition,
            &b.fee,
            &b.note,
            lent_on,
            Money::new(l.fee_per_day_minor, currency),
            homeward_store::today(),
        )
        .map_err(|errs| {
            StoreError::Rows(errs.into_iter().map(|e| (0, e.field, e.reason)).collect())
        })?;
        store.return_tool(&auth, &actor, loan, &draft)
    })
    .await?
    .map_err(|e| match e {
        StoreError::Rows(rows) => ApiError::BadRequest(
            rows.into_iter()
                .map(|(_, f, r)| FieldError::new(f, r))
                .collect(),
        ),
        e => counter_error(e),
    })?;
    Ok(Json(Returned {
        fee: fee.to_decimal_string(),
        currency: fee.currency.as_str().to_owned(),
    }))
}
