//! `POST /cases/{id}/documents`: keeps a document on a case (its kind, whether it is
//! sensitive, the file, typed by its bytes); `GET /documents/{document}`: the file, for
//! who may read it, each download audited.

use super::act::{act, refuse};
use super::{At, read_upload};
use crate::auth::Signed;
use crate::form::Fields;
use crate::i18n::Tr;
use crate::{AppState, PageError};
use axum::extract::{Multipart, Path, State};
use axum::http::Uri;
use axum::response::Response;
use homeward_domain::FieldError;
use homeward_domain::access::{ReadCases, WriteCases};
use homeward_domain::reintegration::documents::DocumentDraft;

pub async fn upload(
    State(state): State<AppState>,
    tr: Tr,
    uri: Uri,
    s: Signed,
    Path(id): Path<i64>,
    mut form: Multipart,
) -> Result<Response, PageError> {
    let auth = s.authorize::<WriteCases>()?;
    let up = match read_upload(&mut form).await {
        Ok(u) => u,
        Err(e) => {
            let why = FieldError::new("file", format!("the upload could not be read: {e}"));
            let at = At::typed("documents", &Fields::default());
            return refuse(&state, tr, &uri, &s, id, at, vec![why]).await;
        }
    };
    let f = up.fields;
    let (name, bytes) = up.file.unwrap_or_default();
    let draft = match DocumentDraft::parse(f.get("kind"), f.get("sensitive") == "yes", &name, bytes)
    {
        Ok(d) => d,
        Err(errs) => {
            return refuse(&state, tr, &uri, &s, id, At::typed("documents", &f), errs).await;
        }
    };
    let (store, actor) = (state.store.clone(), s.actor());
    act(
        &state,
        tr,
        &uri,
        &s,
        id,
        At::typed("documents", &f),
        move || store.add_document(&auth, &actor, id, draft),
    )
    .await
}

pub async fn download(
    State(state): State<AppState>,
    s: Signed,
    Path(doc): Path<i64>,
) -> Result<Response, PageError> {
    let auth = s.authorize::<ReadCases>()?;
    let (store, actor) = (state.store.clone(), s.actor());
    let (name, content_type, bytes) =
        crate::pages::run(move || store.document(&auth, &actor, doc)).await?;
    Ok(crate::download::attachment(&name, content_type, bytes))
}
