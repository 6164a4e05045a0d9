//! `POST /api/v1/returnees`: registers a returnee and opens their case in the caller's
//! office, as the registration page does. Likely duplicates within the caller's scope are
//! answered with 409 and listed, until the client says the person is not one of them.

use crate::api::JsonBody;
use crate::auth::Signed;
use crate::{ApiError, AppState, blocking};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use homeward_domain::FieldError;
use homeward_domain::access::{Permission, ReadCases, WriteCases};
use homeward_domain::case::{DetailsForm, Registration, RegistrationForm};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A new returnee and their case.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct NewReturnee {
    pub given_name: String,
    pub family_name: String,
    /// female, male, other or unknown.
    pub sex: String,
    /// YYYY-MM-DD.
    pub birth_date: String,
    pub birth_date_estimated: bool,
    /// ISO 3166-1 alpha-2.
    pub nationality: String,
    /// The office in the country of return that will take the case over.
    pub origin_office: i64,
    /// Vulnerability codes; taken only with the sensitive permission.
    pub vulnerabilities: Vec<String>,
    /// Taken only with the sensitive permission.
    pub health_notes: String,
    pub languages: String,
    pub phone: String,
    pub email: String,
    /// ISO 3166-1 alpha-2; the nationality when empty.
    pub return_country: String,
    pub return_area: String,
    pub return_place: String,
    /// The caller checked the likely duplicates and this is someone else.
    pub not_duplicate: bool,
}

impl NewReturnee {
    /// The registration these fields make, every bad field named; vulnerabilities and
    /// health notes only from who holds the sensitive permission.
    pub fn parse(&self, s: &Signed) -> Result<Registration, ApiError> {
        let n = self;
        if !s.principal.can(Permission::Sensitive)
            && (!n.vulnerabilities.is_empty() || !n.health_notes.is_empty())
        {
            return Err(ApiError::Forbidden(format!(
                "vulnerabilities and health notes need the permission {}",
                Permission::Sensitive.code()
            )));
        }
        let origin = n.origin_office.to_string();
        RegistrationForm {
            given_name: &n.given_name,
            family_name: &n.family_name,
            sex: &n.sex,
            birth_date: &n.birth_date,
            nationality: &n.nationality,
            origin_office: &origin,
            vulnerabilities: n.vulnerabilities.iter().map(String::as_str).collect(),
            health_notes: &n.health_notes,
            details: DetailsForm {
                birth_date_estimated: n.birth_date_estimated,
                languages: &n.languages,
                phone: &n.phone,
                email: &n.email,
                return_country: &n.return_country,
                return_area: &n.return_area,
                return_place: &n.return_place,
            },
        }
        .parse(homeward_store::today())
        .map_err(ApiError::BadRequest)
    }
}

/// The case opened.
#[derive(Debug, Serialize, ToSchema)]
pub struct Registered {
    pub case_id: i64,
    pub reference: String,
}

/// Register a returnee.
#[utoipa::path(
    post,
    path = "/api/v1/returnees",
    tag = "returnees",
    security(("bearer" = [])),
    request_body = NewReturnee,
    responses(
        (status = 201, description = "Registered; the case is open", body = Registered),
        (status = 400, description = "Fields not valid, each named", body = crate::error::ErrorBody),
        (status = 401, description = "No valid token", body = crate::error::ErrorBody),
        (status = 403, description = "The caller may not write cases", body = crate::error::ErrorBody),
        (status = 409, description = "Likely duplicates, listed in details; send again with not_duplicate", body = crate::error::ErrorBody),
    )
)]
pub async fn register(
    State(state): State<AppState>,
    s: Signed,
    JsonBody(n): JsonBody<NewReturnee>,
) -> Result<(StatusCode, Json<Registered>), ApiError> {
    let auth = s.authorize::<WriteCases>()?;
    let reg = n.parse(&s)?;
    if !n.not_duplicate
        && let Ok(read) = s.principal.authorize::<ReadCases>()
    {
        let (store, actor, r) = (state.store.clone(), s.actor(), reg.clone());
        let found = blocking(move || {
            store.likely_duplicates(
                &read,
                &actor,
                &r.given_name,
                &r.family_name,
                r.birth_date,
                Some(r.nationality),
            )
        })
        .await??;
        if !found.is_empty() {
            return Err(ApiError::Duplicates(
                found
                    .into_iter()
                    .map(|(l, _)| {
                        FieldError::new(
                            "duplicate",
                            format!(
                                "case {} ({}): {} {}, born {}, {}",
                                l.id,
                                l.reference,
                                l.given_name,
                                l.family_name,
                                l.birth_date.unwrap_or_else(|| "?".into()),
                                l.nationality
                            ),
                        )
                    })
                    .collect(),
            ));
        }
    }
    let (store, actor) = (state.store.clone(), s.actor());
    let id = blocking(move || store.register_case(&auth, &actor, &reg)).await??;
    Ok((
        StatusCode::CREATED,
        Json(Registered {
            case_id: id,
            reference: format!("HW-{id:06}"),
        }),
    ))
}
