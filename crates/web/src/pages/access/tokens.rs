//! `POST /account/tokens` makes an API token for oneself (shown once);
//! `POST /account/tokens/{id}/revoke` revokes one.

use crate::auth::Signed;
use crate::form::Fields;
use crate::i18n::Tr;
use crate::{AppState, PageError};
use axum::extract::{Path, State};
use axum::http::Uri;
use axum::response::{IntoResponse, Redirect, Response};
use homeward_domain::FieldError;
use homeward_domain::access::Permission;

pub async fn create(
    State(state): State<AppState>,
    tr: Tr,
    uri: Uri,
    s: Signed,
    form: Fields,
) -> Result<Response, PageError> {
    let perms: Result<Vec<Permission>, String> =
        form.all("permission").iter().map(|p| p.parse()).collect();
    let perms = perms.map_err(|e| PageError::BadRequest(vec![FieldError::new("permission", e)]))?;
    let days = form.int("days")?;
    let name = form.get("name").to_owned();
    let store = state.store.clone();
    let (actor, principal) = (s.actor(), s.principal.clone());
    match crate::pages::attempt(move || store.create_token(&principal, &actor, &name, &perms, days))
        .await?
    {
        Ok((_, token)) => {
            let (t, i) = (tr.t("token-new-title"), tr.t("token-new-intro"));
            super::secrets(tr, &uri, Some(&s), t, i, vec![token], "/account")
        }
        Err(errors) => super::account::page(&state, tr, &uri, &s, errors).await,
    }
}

pub async fn revoke(
    State(state): State<AppState>,
    s: Signed,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let store = state.store.clone();
    let (actor, user) = (s.actor(), s.principal.user_id());
    crate::pages::run(move || store.revoke_token(&actor, user, id)).await?;
    Ok(Redirect::to("/account").into_response())
}
