//! `POST /api/v1/cases/{id}/surveys`: records a well-being survey taken on the case, under
//! the same rules as one typed in on the case page: the returnee's consent to surveys on
//! the day, at most one baseline, answers the instrument version knows. Scored at once by
//! every adopted version.

use crate::api::Created;
use crate::api::JsonBody;
use crate::auth::Signed;
use crate::{ApiError, AppState, blocking};
use axum::extract::{Path, State};
use homeward_domain::FieldError;
use homeward_domain::access::WriteCases;
use homeward_domain::date::Ymd;
use homeward_domain::survey::SurveyKind;
use homeward_store::survey::surveys::NewSurvey;
use serde::Deserialize;
use std::collections::BTreeMap;
use utoipa::ToSchema;

/// A survey taken.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct NewSurveyBody {
    /// baseline or follow_up.
    pub kind: String,
    /// YYYY-MM-DD, not in the future; today when left out.
    pub taken_on: Option<String>,
    /// The instrument version the questions were asked from; the current one when left out.
    pub instrument_id: Option<i64>,
    /// The option chosen, by indicator code (`{"food_security": "never"}`); indicators
    /// left out were not answered.
    pub answers: BTreeMap<String, String>,
}

/// Record a survey.
#[utoipa::path(
    post,
    path = "/api/v1/cases/{id}/surveys",
    tag = "cases",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Case id")),
    request_body = NewSurveyBody,
    responses(
        (status = 201, description = "Recorded and scored", body = Created),
        (status = 400, description = "Fields not valid, each named (an unknown indicator or option, no consent on the day, a second baseline)", body = crate::error::ErrorBody),
        (status = 401, description = "No valid token", body = crate::error::ErrorBody),
        (status = 403, description = "The caller may not write this case", body = crate::error::ErrorBody),
        (status = 404, description = "No such case within the caller's scope", body = crate::error::ErrorBody),
    )
)]
pub async fn add(
    State(state): State<AppState>,
    s: Signed,
    Path(id): Path<i64>,
    JsonBody(b): JsonBody<NewSurveyBody>,
) -> Result<Created, ApiError> {
    let auth = s.authorize::<WriteCases>()?;
    let mut errors = vec![];
    let kind = b
        .kind
        .parse::<SurveyKind>()
        .map_err(|e| errors.push(FieldError::new("kind", e)))
        .ok();
    let today = homeward_store::today();
    let taken_on = match b.taken_on.as_deref() {
        None | Some("") => Some(today),
        Some(t) => match t.parse::<Ymd>() {
            Ok(d) if d > today => {
                errors.push(FieldError::new("taken_on", format!("{d} is in the future")));
                None
            }
            Ok(d) => Some(d),
            Err(e) => {
                errors.push(FieldError::new("taken_on", e));
                None
            }
        },
    };
    let (Some(kind), Some(taken_on)) = (kind, taken_on) else {
        return Err(ApiError::BadRequest(errors));
    };
    let store = state.store.clone();
    let actor = s.actor();
    let new = blocking(move || {
        let instrument_id = match b.instrument_id {
            Some(i) => i,
            None => store.current_instrument_id()?.ok_or_else(|| {
                homeward_store::StoreError::conflict(
                    "instrument_id",
                    "no survey instrument has been adopted yet",
                )
            })?,
        };
        let survey = NewSurvey {
            kind,
            taken_on,
            instrument_id,
            answers: b.answers,
            source: "api",
        };
        store.add_survey(&auth, &actor, id, &survey)
    })
    .await??;
    Ok(Created { id: new })
}
