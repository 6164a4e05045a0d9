//! `GET /surveys/import`: a caseworker or manager brings in the surveys field staff
//! collected offline (the CSV of submissions that KoboToolbox or ODK Central exports for
//! the form Homeward made); `POST` records them all under the same rules as a survey typed
//! in, or none, naming every refused row and column.

use crate::auth::Signed;
use crate::i18n::{FluentArg, Tr};
use crate::pages::page;
use crate::pages::{Frame, LangLink, Nav, render};
use crate::{AppState, PageError};
use askama::Template;
use axum::extract::{Multipart, State};
use axum::http::{StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use homeward_domain::access::WriteCases;
use homeward_store::StoreError;
use homeward_store::survey::surveys::{ImportedSurvey, NewSurvey};

/// Larger than any month of submissions from one office.
const MAX_FILE: usize = 8 * 1024 * 1024;

#[derive(Template)]
#[template(path = "surveys/import.html")]
pub struct ImportPage {
    pub tr: Tr,
    pub lang_links: Vec<LangLink>,
    pub nav: Option<Nav>,
    pub title: String,
    pub csrf: String,
    /// (id, "code vN", current)
    pub versions: Vec<(i64, String, bool)>,
    pub errors: Vec<String>,
    pub notice: String,
}

async fn show(
    state: &AppState,
    tr: Tr,
    uri: &Uri,
    s: &Signed,
    errors: Vec<String>,
    notice: String,
) -> Result<Response, PageError> {
    s.authorize::<WriteCases>()?;
    let store = state.store.clone();
    let (rows, current) =
        crate::pages::run(move || Ok((store.instruments()?, store.current_instrument_id()?)))
            .await?;
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::BAD_REQUEST
    };
    let title = tr.t("survey-import");
    let p = page!(ImportPage, Frame::new(tr, uri, Some(s)), title, {
        csrf: s.csrf.clone(),
        versions: rows.iter().map(|r| (r.id, format!("{} v{} · {}", r.code, r.version, r.title), current == Some(r.id))).collect(),
        errors,
        notice,
    });
    Ok((status, render(&p)?).into_response())
}

pub async fn form(
    State(state): State<AppState>,
    tr: Tr,
    uri: Uri,
    s: Signed,
) -> Result<Response, PageError> {
    show(&state, tr, &uri, &s, vec![], String::new()).await
}

/// The instrument chosen and the file sent.
async fn read_form(
    form: &mut Multipart,
) -> Result<(Option<i64>, Option<(String, Vec<u8>)>), String> {
    let (mut instrument, mut file) = (None, None);
    while let Some(field) = form.next_field().await.map_err(|e| e.to_string())? {
        match field.name() {
            Some("instrument") => {
                instrument = field
                    .text()
                    .await
                    .map_err(|e| e.to_string())?
                    .trim()
                    .parse()
                    .ok();
            }
            Some("file") => {
                let name = field.file_name().unwrap_or("surveys.csv").to_owned();
                let bytes = field.bytes().await.map_err(|e| e.to_string())?;
                if !bytes.is_empty() {
                    file = Some((name, bytes.to_vec()));
                }
            }
            _ => {}
        }
    }
    Ok((instrument, file))
}

pub async fn submit(
    State(state): State<AppState>,
    tr: Tr,
    uri: Uri,
    s: Signed,
    mut form: Multipart,
) -> Result<Response, PageError> {
    let auth = s.authorize::<WriteCases>()?;
    let no = String::new;
    let (instrument_id, file) = match read_form(&mut form).await {
        Ok(x) => x,
        Err(e) => {
            return show(
                &state,
                tr,
                &uri,
                &s,
                vec![format!("file: the upload could not be read: {e}")],
                no(),
            )
            .await;
        }
    };
    let Some(instrument_id) = instrument_id else {
        return show(
            &state,
            tr,
            &uri,
            &s,
            vec!["instrument: choose the version the form was made from".into()],
            no(),
        )
        .await;
    };
    let Some((name, bytes)) = file else {
        return show(
            &state,
            tr,
            &uri,
            &s,
            vec!["file: choose the CSV file of submissions".into()],
            no(),
        )
        .await;
    };
    if bytes.len() > MAX_FILE {
        return show(
            &state,
            tr,
            &uri,
            &s,
            vec![format!(
                "file: {name} is larger than 8 MB; export fewer submissions at a time"
            )],
            no(),
        )
        .await;
    }
    let store = state.store.clone();
    let Some((_, instrument)) = crate::pages::run(move || store.instrument(instrument_id)).await?
    else {
        return show(
            &state,
            tr,
            &uri,
            &s,
            vec![format!("instrument: there is no version {instrument_id}")],
            no(),
        )
        .await;
    };
    let collected =
        match homeward_interop::survey::collected_csv::read_collected(&name, &bytes, &instrument) {
            Ok(c) => c,
            Err(e) => {
                let lines = match e.problems() {
                    [] => vec![e.to_string()],
                    ps => ps.iter().map(|p| format!("{name}: {p}")).collect(),
                };
                return show(&state, tr, &uri, &s, lines, no()).await;
            }
        };
    let rows: Vec<ImportedSurvey> = collected
        .surveys
        .iter()
        .map(|c| ImportedSurvey {
            row: c.row,
            case_reference: c.case_reference.clone(),
            survey: NewSurvey {
                kind: c.kind,
                taken_on: c.taken_on,
                instrument_id,
                answers: c.answers.clone(),
                source: "import",
            },
        })
        .collect();
    let (store, actor) = (state.store.clone(), s.actor());
    match crate::blocking(move || store.import_surveys(&auth, &actor, &rows)).await? {
        Ok(n) => {
            let skipped = collected
                .without_consent
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(", ");
            let notice = tr.ta(
                "survey-imported",
                &[
                    ("count", FluentArg::Num(n as i64)),
                    (
                        "skipped",
                        FluentArg::Num(collected.without_consent.len() as i64),
                    ),
                    ("rows", FluentArg::Str(skipped)),
                ],
            );
            show(&state, tr, &uri, &s, vec![], notice).await
        }
        Err(StoreError::Rows(refused)) => {
            let lines = refused
                .iter()
                .map(|(row, field, reason)| format!("{name}: row {row}, field {field}: {reason}"))
                .collect();
            show(&state, tr, &uri, &s, lines, no()).await
        }
        Err(e) => Err(e.into()),
    }
}
