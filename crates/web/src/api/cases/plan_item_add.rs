//! `POST /api/v1/cases/{id}/plan/items`: adds an item to a draft plan, converted to USD at
//! the day's rate. Names the case version it was made from; a stale one is refused with 409
//! and what changed.

use crate::api::Created;
use crate::api::JsonBody;
use crate::auth::Signed;
use crate::{ApiError, AppState, blocking};
use axum::extract::{Path, State};
use homeward_domain::access::WriteCases;
use homeward_domain::reintegration::forms::PlanItemForm;
use serde::Deserialize;
use utoipa::ToSchema;

/// A plan item.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct NewPlanItem {
    /// The case version read last (from `GET …/plan`).
    pub version: i64,
    /// economic, social or psychosocial.
    pub dimension: String,
    /// A category the package allows (vocational_training, business_start_up, …).
    pub category: String,
    pub description: String,
    /// A decimal amount with a dot for decimals and no other separator, e.g. "95000" or
    /// "1250.50".
    pub cost: String,
    /// ISO 4217.
    pub currency: String,
    pub supplier: String,
    pub referral: bool,
}

/// Add a plan item.
#[utoipa::path(
    post,
    path = "/api/v1/cases/{id}/plan/items",
    tag = "cases",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Case id")),
    request_body = NewPlanItem,
    responses(
        (status = 201, description = "Added", body = Created),
        (status = 400, description = "Fields not valid or the plan rules refuse it, each named", body = crate::error::ErrorBody),
        (status = 401, description = "No valid token", body = crate::error::ErrorBody),
        (status = 403, description = "The caller may not write this case", body = crate::error::ErrorBody),
        (status = 404, description = "No such case within the caller's scope", body = crate::error::ErrorBody),
        (status = 409, description = "The case changed since that version: what changed", body = crate::error::ErrorBody),
    )
)]
pub async fn add(
    State(state): State<AppState>,
    s: Signed,
    Path(id): Path<i64>,
    JsonBody(i): JsonBody<NewPlanItem>,
) -> Result<Created, ApiError> {
    let auth = s.authorize::<WriteCases>()?;
    crate::api::point_amounts(&[("cost", &i.cost)])?;
    let item = PlanItemForm {
        dimension: &i.dimension,
        category: &i.category,
        description: &i.description,
        cost: &i.cost,
        currency: &i.currency,
        supplier: &i.supplier,
        referral: i.referral,
    }
    .parse()
    .map_err(ApiError::BadRequest)?;
    let (store, actor) = (state.store.clone(), s.actor());
    let new = blocking(move || store.add_plan_item(&auth, &actor, id, i.version, &item)).await??;
    Ok(Created { id: new })
}
