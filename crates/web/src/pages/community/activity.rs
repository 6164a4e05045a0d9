//! What the staff pages of both kinds of activity share, written once: a community project
//! and a capacity-building activity each say what differs ([`Managed`]: where their pages
//! live, their details form, their manage page), and these
//! handlers do the rest: the new and manage pages, saving the details (the funding project
//! looked up by its Projects ID or Prima ID, the version read), a change of one part (back
//! to the manage page, or the page again with the refusal), and the outputs and spending
//! forms with their removal (`…/{row}/remove`).

use super::{PartsView, parts};
use crate::auth::Signed;
use crate::form::Fields;
use crate::i18n::Tr;
use crate::{AppState, PageError};
use axum::extract::{FromRequestParts, Path};
use axum::http::request::Parts;
use axum::http::{StatusCode, Uri};
use axum::response::{IntoResponse, Redirect, Response};
use homeward_domain::FieldError;
use homeward_domain::access::Authorized;
use homeward_domain::access::ManageCommunity;
use homeward_domain::community::activity::{
    ActivityDraft, ActivityStatus, ExpenseDraft, OutputDraft,
};
use homeward_store::community::activity::{ActivityLine, Expense, Output, SavedActivity};
use homeward_store::{Actor, Store, StoreError};
use std::future::Future;

/// What differs between the staff pages of a community project and of a capacity-building
/// activity.
pub trait Managed: Send + Sync + 'static {
    /// Its details form, parsed, which knows its level and how it is stored.
    type Draft: SavedActivity + Send + Sync + 'static;

    /// The manage page.
    fn show(p: Showing<'_>) -> impl Future<Output = Result<Response, PageError>> + Send;
}

/// Where the staff pages of `M` live, by its level: `/community` or `/capacity`.
pub fn base<M: Managed>() -> String {
    format!("/{}", super::key(M::Draft::LEVEL))
}

/// What a manage page is shown with.
pub struct Showing<'a> {
    pub state: &'a AppState,
    pub tr: Tr,
    pub uri: &'a Uri,
    pub s: &'a Signed,
    /// None: the form for a new activity.
    pub id: Option<i64>,
    /// The details form as typed, shown instead of what is stored.
    pub typed: Option<&'a Fields>,
    /// What was refused, shown above the forms.
    pub errors: Vec<String>,
}

/// What both manage pages show the same way: the details form with its shared choices,
/// and the outputs and spending with their forms (`community/activity_parts.html`).
pub struct Forms {
    /// Where the activity's pages live: `/community` or `/capacity`.
    pub base: String,
    pub csrf: String,
    pub errors: Vec<String>,
    /// None for a new activity.
    pub id: Option<i64>,
    pub version: i64,
    /// The details form: as typed, as stored, or a new one's defaults.
    pub details: Fields,
    pub offices: Vec<(i64, String)>,
    pub statuses: Vec<(String, String)>,
    /// Its outputs and spending (none for a new activity).
    pub parts: PartsView,
    pub today: String,
}

/// A stored activity as its manage page starts from.
pub struct Stored<'a, L> {
    /// The line that lists it, whose fields fill the details form.
    pub line: &'a L,
    pub outputs: &'a [Output],
    pub expenses: &'a [Expense],
}

impl<'a, L> Stored<'a, L> {
    pub fn new(line: &'a L, outputs: &'a [Output], expenses: &'a [Expense]) -> Self {
        Stored {
            line,
            outputs,
            expenses,
        }
    }
}

impl Showing<'_> {
    /// The status of the page: 400 when it shows what was refused.
    pub fn status(&self) -> StatusCode {
        if self.errors.is_empty() {
            StatusCode::OK
        } else {
            StatusCode::BAD_REQUEST
        }
    }

    /// The shared part of the page of `M`: for the activity `stored`, which the principal
    /// must manage; or (None) a new one, whose form starts at their office with `defaults`.
    pub fn forms<M: Managed, L: ActivityLine + serde::Serialize>(
        &self,
        stored: Option<Stored<'_, L>>,
        offices: &[homeward_store::access::offices::Office],
        defaults: &[(&str, &str)],
    ) -> Result<Forms, PageError> {
        let auth = self.s.authorize::<ManageCommunity>()?;
        if let Some(x) = &stored {
            // Only the staff who may change it see its forms.
            let facts = homeward_domain::access::CaseFacts {
                owning_office: x.line.head().office_id,
                ..Default::default()
            };
            if !auth.covers(&facts) {
                return Err(PageError::Forbidden(self.tr.t("community-not-yours")));
            }
        }
        let details = match (self.typed, &stored) {
            (Some(f), _) => f.clone(),
            (None, Some(x)) => stored_form(x.line),
            (None, None) => {
                let mut f = Fields(vec![(
                    "office".into(),
                    self.s.principal.office_id().to_string(),
                )]);
                f.0.extend(
                    [("status", "planned")]
                        .iter()
                        .chain(defaults)
                        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned())),
                );
                f
            }
        };
        let tr = &self.tr;
        Ok(Forms {
            base: base::<M>(),
            csrf: self.s.csrf.clone(),
            errors: self.errors.clone(),
            id: self.id,
            version: stored.as_ref().map_or(0, |x| x.line.head().version),
            details,
            offices: offices.iter().map(|o| (o.id, o.name.clone())).collect(),
            statuses: ActivityStatus::ALL
                .iter()
                .map(|x| {
                    let label = tr.t(&format!("activity-status-{}", x.code()));
                    (x.code().to_owned(), label)
                })
                .collect(),
            parts: match &stored {
                Some(x) => parts(x.outputs, x.expenses),
                None => parts(&[], &[]),
            },
            today: homeward_store::today().to_string(),
        })
    }
}

/// The stored details of an activity as its form shows them: each field of `line` by
/// name, with the funding project by its code and the office by its number.
pub fn stored_form(line: &impl serde::Serialize) -> Fields {
    use serde_json::Value;
    let Ok(Value::Object(map)) = serde_json::to_value(line) else {
        return Fields::default();
    };
    let text = |v: &Value| match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    };
    let mut fields: Vec<(String, String)> = map.iter().map(|(k, v)| (k.clone(), text(v))).collect();
    for (form, stored) in [("project", "project_code"), ("office", "office_id")] {
        fields.push((
            form.to_owned(),
            map.get(stored).map(text).unwrap_or_default(),
        ));
    }
    Fields(fields)
}

/// Field problems as the lines shown above a form.
pub fn lines(errs: &[FieldError]) -> Vec<String> {
    errs.iter().map(ToString::to_string).collect()
}

/// Who asks for a staff page of an activity, and in which language: what every handler
/// here starts from.
pub struct Asking {
    pub state: AppState,
    pub tr: Tr,
    pub uri: Uri,
    pub s: Signed,
}

impl FromRequestParts<AppState> for Asking {
    type Rejection = PageError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, PageError> {
        let Ok(tr) = Tr::from_request_parts(parts, state).await;
        let s = Signed::from_request_parts(parts, state).await?;
        Ok(Asking {
            state: state.clone(),
            tr,
            uri: parts.uri.clone(),
            s,
        })
    }
}

impl Asking {
    /// The manage page of `M` for activity `id` (None: a new one's), with the details form
    /// `typed` instead of what is stored, and what was refused.
    async fn show<M: Managed>(
        &self,
        id: Option<i64>,
        typed: Option<&Fields>,
        errors: Vec<String>,
    ) -> Result<Response, PageError> {
        M::show(Showing {
            state: &self.state,
            tr: self.tr.clone(),
            uri: &self.uri,
            s: &self.s,
            id,
            typed,
            errors,
        })
        .await
    }

    /// One change of a part of activity `id`, from what its form parsed to: the store's
    /// `work` runs with the proof that the person manages community work and who they are;
    /// then back to the manage page at `anchor`, or the page again with the refusal (of the
    /// form or of the store).
    pub async fn change<M: Managed, D: Send + 'static, T: Send + 'static>(
        self,
        id: i64,
        anchor: &str,
        parsed: Result<D, Vec<String>>,
        work: impl FnOnce(Store, Authorized<ManageCommunity>, Actor, D) -> Result<T, StoreError>
        + Send
        + 'static,
    ) -> Result<Response, PageError> {
        let auth = self.s.authorize::<ManageCommunity>()?;
        let d = match parsed {
            Ok(d) => d,
            Err(errors) => return self.show::<M>(Some(id), None, errors).await,
        };
        let (store, actor) = (self.state.store.clone(), self.s.actor());
        match crate::pages::attempt(move || work(store, auth, actor, d)).await? {
            Ok(_) => {
                Ok(Redirect::to(&format!("{}/{id}/manage#{anchor}", base::<M>())).into_response())
            }
            Err(errors) => self.show::<M>(Some(id), None, errors).await,
        }
    }
}

/// The funding project typed (Projects ID or Prima ID) as its stored number, or the line
/// that says what is wrong.
async fn project_number(
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

/// `GET {base}/new`: the form for a new activity.
pub async fn new<M: Managed>(r: Asking) -> Result<Response, PageError> {
    r.show::<M>(None, None, vec![]).await
}

/// `GET {base}/{id}/manage`: an activity's forms.
pub async fn page<M: Managed>(r: Asking, Path(id): Path<i64>) -> Result<Response, PageError> {
    r.show::<M>(Some(id), None, vec![]).await
}

/// `POST {base}`: adds an activity.
pub async fn add<M: Managed>(r: Asking, f: Fields) -> Result<Response, PageError> {
    save::<M>(r, None, f).await
}

/// `POST {base}/{id}`: changes an activity's details, from the version read.
pub async fn update<M: Managed>(
    r: Asking,
    Path(id): Path<i64>,
    f: Fields,
) -> Result<Response, PageError> {
    save::<M>(r, Some(id), f).await
}

/// Saves the details form: on success to the manage page; a refusal the person can fix
/// shows the form again as typed; a stale version shows what is stored now.
async fn save<M: Managed>(r: Asking, id: Option<i64>, f: Fields) -> Result<Response, PageError> {
    let auth = r.s.authorize::<ManageCommunity>()?;
    let number = match project_number(&r.state, f.get("project")).await? {
        Ok(n) => n,
        Err(line) => return r.show::<M>(id, Some(&f), vec![line]).await,
    };
    let mut fields = f.clone();
    fields.0.retain(|(k, _)| k != "project");
    fields.0.push(("project".to_owned(), number));
    let draft = match M::Draft::parse(|k| fields.get(k)) {
        Ok(d) => d,
        Err(errs) => return r.show::<M>(id, Some(&f), lines(&errs)).await,
    };
    let version = f.get("version").parse::<i64>().unwrap_or(0);
    let target = id.map(|i| (i, version));
    let (store, actor) = (r.state.store.clone(), r.s.actor());
    match crate::blocking(move || store.save_activity(&auth, &actor, target, &draft)).await? {
        Ok(new) => Ok(Redirect::to(&format!("{}/{new}/manage", base::<M>())).into_response()),
        Err(StoreError::Conflict { field, message }) => {
            r.show::<M>(id, Some(&f), vec![format!("{field}: {message}")])
                .await
        }
        // Someone else saved first: the form shows what is stored now.
        Err(StoreError::Stale(msg)) => r.show::<M>(id, None, vec![msg]).await,
        Err(e) => Err(e.into()),
    }
}

/// `POST {base}/{id}/outputs`: records an output.
pub async fn output<M: Managed>(
    r: Asking,
    Path(id): Path<i64>,
    f: Fields,
) -> Result<Response, PageError> {
    let today = homeward_store::today();
    let d = OutputDraft::parse(f.get("output"), f.get("achieved_on"), today);
    r.change::<M, _, _>(
        id,
        "outputs",
        d.map_err(|e| lines(&e)),
        move |store, auth, actor, d| store.add_output(&auth, &actor, M::Draft::LEVEL, id, &d),
    )
    .await
}

/// `POST {base}/{id}/expenses`: records money spent, at the day's rate.
pub async fn expense<M: Managed>(
    r: Asking,
    Path(id): Path<i64>,
    f: Fields,
) -> Result<Response, PageError> {
    let (spent_on, what, amount, currency) = (
        f.get("spent_on"),
        f.get("description"),
        f.get("amount"),
        f.get("currency"),
    );
    let d = ExpenseDraft::parse(spent_on, what, amount, currency, homeward_store::today());
    r.change::<M, _, _>(
        id,
        "money",
        d.map_err(|e| lines(&e)),
        move |store, auth, actor, d| store.add_expense(&auth, &actor, M::Draft::LEVEL, id, &d),
    )
    .await
}

/// `POST {base}/{id}/outputs/{row}/remove`: removes an output entered by mistake.
pub async fn output_remove<M: Managed>(
    r: Asking,
    Path((id, row)): Path<(i64, i64)>,
) -> Result<Response, PageError> {
    r.change::<M, _, _>(id, "outputs", Ok(row), move |store, auth, actor, row| {
        store.remove_output(&auth, &actor, M::Draft::LEVEL, id, row)
    })
    .await
}

/// `POST {base}/{id}/expenses/{row}/remove`: removes money spent entered by mistake.
pub async fn expense_remove<M: Managed>(
    r: Asking,
    Path((id, row)): Path<(i64, i64)>,
) -> Result<Response, PageError> {
    r.change::<M, _, _>(id, "money", Ok(row), move |store, auth, actor, row| {
        store.remove_expense(&auth, &actor, M::Draft::LEVEL, id, row)
    })
    .await
}
