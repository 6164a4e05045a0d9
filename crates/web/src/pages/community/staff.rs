//! What the staff pages of both levels share: the funding project looked up by its
//! Projects ID or Prima ID, a change of one part (back to the manage page, or the page again
//! with the refusal), and the outputs and spending forms of community projects and
//! capacity-building activities alike, with their removal (`…/{row}/remove`).

use crate::auth::Signed;
use crate::form::Fields;
use crate::i18n::Tr;
use crate::{AppState, PageError};
use axum::extract::{Path, State};
use axum::http::Uri;
use axum::response::{IntoResponse, Redirect, Response};
use homeward_domain::FieldError;
use homeward_domain::access::ManageCommunity;
use homeward_domain::community::activity::{ExpenseDraft, Level, OutputDraft};
use homeward_store::StoreError;

pub(super) fn lines(errs: &[FieldError]) -> Vec<String> {
    errs.iter().map(ToString::to_string).collect()
}

/// The funding project typed (Projects ID or Prima ID) as its stored number, or the line
/// that says what is wrong.
pub(super) async fn project_number(
    state: &AppState,
    typed: &str,
) -> Result<Result<String, String>, PageError> {
    let key = typed.trim().to_owned();
    if key.is_empty() {
        return Ok(Err(
            "project: type the funding project's Projects ID or Prima ID".into(),
        ));
    }
    let store = state.store.clone();
    let k = key.clone();
    Ok(match crate::pages::run(move || store.project(&k)).await? {
        Some(p) => Ok(p.id.to_string()),
        None => Err(format!("project: there is no project {key:?}")),
    })
}

/// What became of saving an activity's details.
pub(super) enum Saved {
    /// Stored under this number.
    Done(i64),
    /// The form again with these lines, keeping what was typed (a refusal the person can fix)
    /// or showing what is stored now (someone else saved first).
    Again {
        lines: Vec<String>,
        keep_typed: bool,
    },
}

/// Saves the details form of an activity: the funding project looked up, the form parsed by
/// `parse` (given the fields with the project as its stored number), then stored by `store`
/// with the version read.
pub(super) async fn save_details<D: Send + 'static>(
    state: &AppState,
    f: &Fields,
    id: Option<i64>,
    parse: impl FnOnce(&Fields) -> Result<D, Vec<FieldError>>,
    store: impl FnOnce(Option<(i64, i64)>, D) -> Result<i64, StoreError> + Send + 'static,
) -> Result<Saved, PageError> {
    let refused = |lines| {
        Ok(Saved::Again {
            lines,
            keep_typed: true,
        })
    };
    let number = match project_number(state, f.get("project")).await? {
        Ok(n) => n,
        Err(line) => return refused(vec![line]),
    };
    let mut fields = f.clone();
    fields.0.retain(|(k, _)| k != "project");
    fields.0.push(("project".to_owned(), number));
    let draft = match parse(&fields) {
        Ok(d) => d,
        Err(errs) => return refused(lines(&errs)),
    };
    let version = f.get("version").parse::<i64>().unwrap_or(0);
    let target = id.map(|i| (i, version));
    match crate::blocking(move || store(target, draft)).await? {
        Ok(new) => Ok(Saved::Done(new)),
        Err(StoreError::Conflict { field, message }) => {
            refused(vec![format!("{field}: {message}")])
        }
        Err(StoreError::Stale(msg)) => Ok(Saved::Again {
            lines: vec![msg],
            keep_typed: false,
        }),
        Err(e) => Err(e.into()),
    }
}

fn base(level: Level) -> &'static str {
    match level {
        Level::Community => "/community",
        Level::Structural => "/capacity",
    }
}

/// The manage page of an activity again, with what was refused.
pub(super) async fn refuse(
    state: &AppState,
    tr: Tr,
    uri: &Uri,
    s: &Signed,
    level: Level,
    id: i64,
    errors: Vec<String>,
) -> Result<Response, PageError> {
    match level {
        Level::Community => super::manage::show(state, tr, uri, s, Some(id), None, errors).await,
        Level::Structural => {
            super::capacity_manage::show(state, tr, uri, s, Some(id), None, errors).await
        }
    }
}

/// Runs one change of a part; back to the manage page at `anchor`, or the page again with
/// the refusal.
#[allow(clippy::too_many_arguments)]
pub(super) async fn part<T: Send + 'static>(
    state: AppState,
    tr: Tr,
    uri: Uri,
    s: Signed,
    level: Level,
    id: i64,
    anchor: &str,
    work: impl FnOnce() -> Result<T, StoreError> + Send + 'static,
) -> Result<Response, PageError> {
    match crate::pages::attempt(work).await? {
        Ok(_) => Ok(Redirect::to(&format!("{}/{id}/manage#{anchor}", base(level))).into_response()),
        Err(errs) => refuse(&state, tr, &uri, &s, level, id, errs).await,
    }
}

async fn output(
    state: AppState,
    tr: Tr,
    uri: Uri,
    s: Signed,
    level: Level,
    id: i64,
    f: Fields,
) -> Result<Response, PageError> {
    let auth = s.authorize::<ManageCommunity>()?;
    let d = match OutputDraft::parse(
        f.get("output"),
        f.get("achieved_on"),
        homeward_store::today(),
    ) {
        Ok(d) => d,
        Err(errs) => return refuse(&state, tr, &uri, &s, level, id, lines(&errs)).await,
    };
    let (store, actor) = (state.store.clone(), s.actor());
    part(state, tr, uri, s, level, id, "outputs", move || {
        store.add_output(&auth, &actor, level, id, &d)
    })
    .await
}

async fn expense(
    state: AppState,
    tr: Tr,
    uri: Uri,
    s: Signed,
    level: Level,
    id: i64,
    f: Fields,
) -> Result<Response, PageError> {
    let auth = s.authorize::<ManageCommunity>()?;
    let d = match ExpenseDraft::parse(
        f.get("spent_on"),
        f.get("description"),
        f.get("amount"),
        f.get("currency"),
        homeward_store::today(),
    ) {
        Ok(d) => d,
        Err(errs) => return refuse(&state, tr, &uri, &s, level, id, lines(&errs)).await,
    };
    let (store, actor) = (state.store.clone(), s.actor());
    part(state, tr, uri, s, level, id, "money", move || {
        store.add_expense(&auth, &actor, level, id, &d)
    })
    .await
}

/// `POST /community/{id}/outputs`.
pub async fn community_output(
    State(state): State<AppState>,
    tr: Tr,
    uri: Uri,
    s: Signed,
    Path(id): Path<i64>,
    f: Fields,
) -> Result<Response, PageError> {
    output(state, tr, uri, s, Level::Community, id, f).await
}

/// `POST /capacity/{id}/outputs`.
pub async fn capacity_output(
    State(state): State<AppState>,
    tr: Tr,
    uri: Uri,
    s: Signed,
    Path(id): Path<i64>,
    f: Fields,
) -> Result<Response, PageError> {
    output(state, tr, uri, s, Level::Structural, id, f).await
}

/// `POST /community/{id}/expenses`.
pub async fn community_expense(
    State(state): State<AppState>,
    tr: Tr,
    uri: Uri,
    s: Signed,
    Path(id): Path<i64>,
    f: Fields,
) -> Result<Response, PageError> {
    expense(state, tr, uri, s, Level::Community, id, f).await
}

/// `POST /capacity/{id}/expenses`.
pub async fn capacity_expense(
    State(state): State<AppState>,
    tr: Tr,
    uri: Uri,
    s: Signed,
    Path(id): Path<i64>,
    f: Fields,
) -> Result<Response, PageError> {
    expense(state, tr, uri, s, Level::Structural, id, f).await
}

/// A row of an activity's parts to remove.
#[derive(Clone, Copy)]
enum Row {
    Output(i64),
    Expense(i64),
}

async fn remove(
    state: AppState,
    tr: Tr,
    uri: Uri,
    s: Signed,
    level: Level,
    id: i64,
    row: Row,
) -> Result<Response, PageError> {
    let auth = s.authorize::<ManageCommunity>()?;
    let (store, actor) = (state.store.clone(), s.actor());
    let anchor = match row {
        Row::Output(_) => "outputs",
        Row::Expense(_) => "money",
    };
    part(state, tr, uri, s, level, id, anchor, move || match row {
        Row::Output(r) => store.remove_output(&auth, &actor, level, id, r),
        Row::Expense(r) => store.remove_expense(&auth, &actor, level, id, r),
    })
    .await
}

/// `POST /community/{id}/outputs/{row}/remove`.
pub async fn community_output_remove(
    State(state): State<AppState>,
    tr: Tr,
    uri: Uri,
    s: Signed,
    Path((id, row)): Path<(i64, i64)>,
) -> Result<Response, PageError> {
    remove(state, tr, uri, s, Level::Community, id, Row::Output(row)).await
}

/// `POST /capacity/{id}/outputs/{row}/remove`.
pub async fn capacity_output_remove(
    State(state): State<AppState>,
    tr: Tr,
    uri: Uri,
    s: Signed,
    Path((id, row)): Path<(i64, i64)>,
) -> Result<Response, PageError> {
    remove(state, tr, uri, s, Level::Structural, id, Row::Output(row)).await
}

/// `POST /community/{id}/expenses/{row}/remove`.
pub async fn community_expense_remove(
    State(state): State<AppState>,
    tr: Tr,
    uri: Uri,
    s: Signed,
    Path((id, row)): Path<(i64, i64)>,
) -> Result<Response, PageError> {
    remove(state, tr, uri, s, Level::Community, id, Row::Expense(row)).await
}

/// `POST /capacity/{id}/expenses/{row}/remove`.
pub async fn capacity_expense_remove(
    State(state): State<AppState>,
    tr: Tr,
    uri: Uri,
    s: Signed,
    Path((id, row)): Path<(i64, i64)>,
) -> Result<Response, PageError> {
    remove(state, tr, uri, s, Level::Structural, id, Row::Expense(row)).await
}
