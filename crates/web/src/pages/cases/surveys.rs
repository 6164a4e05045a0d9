//! `POST /cases/{id}/surveys`: records a well-being survey with the current instrument's
//! questions, with the returnee's consent to surveys.

use super::act::{act, refuse};
use super::survey_section::ANSWER;
use super::{At, date_or_today};
use crate::auth::Signed;
use crate::form::Fields;
use crate::i18n::Tr;
use crate::{AppState, PageError};
use axum::extract::{Path, State};
use axum::http::Uri;
use axum::response::Response;
use homeward_domain::FieldError;
use homeward_domain::access::WriteCases;
use homeward_domain::survey::SurveyKind;
use homeward_store::survey::surveys::NewSurvey;

pub async fn add(
    State(state): State<AppState>,
    tr: Tr,
    uri: Uri,
    s: Signed,
    Path(id): Path<i64>,
    f: Fields,
) -> Result<Response, PageError> {
    let auth = s.authorize::<WriteCases>()?;
    let mut errs = vec![];
    let kind = f
        .get("kind")
        .parse::<SurveyKind>()
        .map_err(|e| errs.push(FieldError::new("kind", e)))
        .ok();
    let taken_on = date_or_today(&f, "taken_on")?;
    let instrument_id = f.int("instrument")?;
    let answers =
        f.0.iter()
            .filter_map(|(k, v)| Some((k.strip_prefix(ANSWER)?.to_owned(), v.clone())))
            .filter(|(_, v)| !v.trim().is_empty())
            .collect();
    let Some(kind) = kind else {
        return refuse(&state, tr, &uri, &s, id, At::typed("surveys", &f), errs).await;
    };
    let survey = NewSurvey {
        kind,
        taken_on,
        instrument_id,
        answers,
        source: "form",
    };
    let (store, actor) = (state.store.clone(), s.actor());
    act(
        &state,
        tr,
        &uri,
        &s,
        id,
        At::typed("surveys", &f),
        move || store.add_survey(&auth, &actor, id, &survey),
    )
    .await
}
