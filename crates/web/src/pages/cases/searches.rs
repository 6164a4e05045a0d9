//! `POST /cases/searches` saves the list's current filters under a name, listed on *My
//! work*; `POST /cases/searches/{id}/delete` removes one. Only the filters the list knows
//! are kept.

use crate::auth::Signed;
use crate::form::Fields;
use crate::{AppState, PageError};
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use homeward_domain::access::ReadCases;

/// The filters of the caseload list, as its address holds them.
const FILTERS: &[&str] = &[
    "q",
    "view",
    "stage",
    "package",
    "vulnerability",
    "place",
    "overdue",
];

/// The query string of `query`'s known, non-empty filters.
pub fn filters_of(query: &str) -> String {
    let mut out = form_urlencoded::Serializer::new(String::new());
    for (k, v) in form_urlencoded::parse(query.trim_start_matches('?').as_bytes()) {
        if FILTERS.contains(&k.as_ref()) && !v.trim().is_empty() {
            out.append_pair(&k, v.trim());
        }
    }
    out.finish()
}

pub async fn save(
    State(state): State<AppState>,
    s: Signed,
    f: Fields,
) -> Result<Response, PageError> {
    s.authorize::<ReadCases>()?;
    let query = filters_of(f.get("query"));
    let (store, user, name) = (
        state.store.clone(),
        s.principal.user_id(),
        f.get("name").to_owned(),
    );
    let q = query.clone();
    crate::pages::run(move || store.save_search(user, &name, &q)).await?;
    Ok(Redirect::to(&format!("/cases?{query}&saved=1")).into_response())
}

pub async fn delete(
    State(state): State<AppState>,
    s: Signed,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    s.authorize::<ReadCases>()?;
    let (store, user) = (state.store.clone(), s.principal.user_id());
    crate::pages::run(move || store.delete_search(user, id)).await?;
    Ok(Redirect::to("/my-work#searches").into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_lists_filters_are_kept() {
        assert_eq!(
            filters_of("?view=office&stage=arrived&x=1&q="),
            "view=office&stage=arrived"
        );
        assert_eq!(
            filters_of("q=gent+hoxha&place=Kuk%C3%ABs"),
            "q=gent+hoxha&place=Kuk%C3%ABs"
        );
        assert_eq!(filters_of(""), "");
    }
}
