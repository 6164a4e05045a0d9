//! Survey instruments for administrators: `GET /admin/instruments` lists the stored
//! versions and takes a new one as a TOML file (ours, or an official instrument written in
//! the same format), refused whole with every fault named; `GET /admin/instruments/{id}`
//! shows a version's dimensions, questions, answers and scores; `.../toml` and
//! `.../xlsform` download it; `POST .../adopt` makes it current and re-scores every survey.

use crate::auth::Signed;
use crate::i18n::{FluentArg, Tr};
use crate::pages::page;
use crate::pages::{Frame, LangLink, Nav, render};
use crate::{AppState, PageError};
use askama::Template;
use axum::extract::{Multipart, Path, State};
use axum::http::{StatusCode, Uri, header};
use axum::response::{IntoResponse, Redirect, Response};
use homeward_domain::access::ManageInstruments;
use homeward_domain::survey::Instrument;
use homeward_store::survey::instruments::InstrumentRow;

/// Instrument files are small; anything larger is not one.
const MAX_FILE: usize = 512 * 1024;

#[derive(Template)]
#[template(path = "admin/instruments.html")]
pub struct InstrumentsPage {
    pub tr: Tr,
    pub lang_links: Vec<LangLink>,
    pub nav: Option<Nav>,
    pub title: String,
    pub csrf: String,
    pub rows: Vec<InstrumentRow>,
    pub current: Option<i64>,
    pub errors: Vec<String>,
    pub notice: String,
}

async fn list_page(
    state: &AppState,
    tr: Tr,
    uri: &Uri,
    s: &Signed,
    errors: Vec<String>,
    notice: String,
) -> Result<Response, PageError> {
    s.authorize::<ManageInstruments>()?;
    let store = state.store.clone();
    let (rows, current) =
        crate::pages::run(move || Ok((store.instruments()?, store.current_instrument_id()?)))
            .await?;
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::BAD_REQUEST
    };
    let title = tr.t("admin-instruments");
    let p = page!(InstrumentsPage, Frame::new(tr, uri, Some(s)), title, {
        csrf: s.csrf.clone(),
        rows,
        current,
        errors,
        notice,
    });
    Ok((status, render(&p)?).into_response())
}

pub async fn list(
    State(state): State<AppState>,
    tr: Tr,
    uri: Uri,
    s: Signed,
) -> Result<Response, PageError> {
    list_page(&state, tr, &uri, &s, vec![], String::new()).await
}

/// The file sent and whether to adopt it at once.
async fn read_form(form: &mut Multipart) -> Result<(Option<(String, Vec<u8>)>, bool), String> {
    let (mut file, mut adopt) = (None, false);
    while let Some(field) = form.next_field().await.map_err(|e| e.to_string())? {
        match field.name() {
            Some("file") => {
                let name = field.file_name().unwrap_or("instrument.toml").to_owned();
                let bytes = field.bytes().await.map_err(|e| e.to_string())?;
                if !bytes.is_empty() {
                    file = Some((name, bytes.to_vec()));
                }
            }
            Some("adopt") => adopt = true,
            _ => {}
        }
    }
    Ok((file, adopt))
}

/// `POST /admin/instruments`: a new version from a TOML file.
pub async fn upload(
    State(state): State<AppState>,
    tr: Tr,
    uri: Uri,
    s: Signed,
    mut form: Multipart,
) -> Result<Response, PageError> {
    let auth = s.authorize::<ManageInstruments>()?;
    let refuse = |why: String| vec![why];
    let (file, adopt) = match read_form(&mut form).await {
        Ok(x) => x,
        Err(e) => {
            let errs = refuse(format!("file: the upload could not be read: {e}"));
            return list_page(&state, tr, &uri, &s, errs, String::new()).await;
        }
    };
    let Some((name, bytes)) = file else {
        let errs = refuse("file: choose an instrument file (.toml)".into());
        return list_page(&state, tr, &uri, &s, errs, String::new()).await;
    };
    if bytes.len() > MAX_FILE {
        let errs = refuse(format!("file: {name} is larger than 512 KB"));
        return list_page(&state, tr, &uri, &s, errs, String::new()).await;
    }
    let Ok(text) = String::from_utf8(bytes) else {
        let errs = refuse(format!("file: {name} is not UTF-8 text"));
        return list_page(&state, tr, &uri, &s, errs, String::new()).await;
    };
    let instrument = match homeward_interop::survey::read_instrument(&name, &text) {
        Ok(i) => i,
        Err(e) => {
            let lines = match e.problems() {
                [] => vec![e.to_string()],
                ps => ps.iter().map(|p| format!("{name}: {p}")).collect(),
            };
            return list_page(&state, tr, &uri, &s, lines, String::new()).await;
        }
    };
    let (store, actor) = (state.store.clone(), s.actor());
    let added = crate::blocking(move || {
        let id = store.add_instrument(&auth, &actor, &instrument)?;
        let scored = if adopt {
            Some(store.adopt_instrument(&auth, &actor, id)?)
        } else {
            None
        };
        Ok::<_, homeward_store::StoreError>((id, scored, instrument))
    })
    .await?;
    match added {
        Ok((_, scored, i)) => {
            let notice = tr.ta(
                "instruments-loaded",
                &[
                    ("code", FluentArg::Str(i.code().to_owned())),
                    ("version", FluentArg::Num(i.version().into())),
                    ("scored", FluentArg::Num(scored.map_or(-1, |n| n as i64))),
                ],
            );
            list_page(&state, tr, &uri, &s, vec![], notice).await
        }
        Err(homeward_store::StoreError::Conflict { field, message }) => {
            list_page(
                &state,
                tr,
                &uri,
                &s,
                vec![format!("{field}: {message}")],
                String::new(),
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

/// One indicator as the version page shows it.
pub struct IndicatorView {
    pub code: String,
    pub dimension: String,
    pub weight: String,
    pub question: String,
    /// (code, label, score)
    pub options: Vec<(String, String, String)>,
}

#[derive(Template)]
#[template(path = "admin/instrument.html")]
pub struct InstrumentPage {
    pub tr: Tr,
    pub lang_links: Vec<LangLink>,
    pub nav: Option<Nav>,
    pub title: String,
    pub csrf: String,
    pub row: InstrumentRow,
    pub current: bool,
    pub source: String,
    pub thresholds: (String, String),
    /// (dimension, weight)
    pub dimensions: Vec<(String, String)>,
    pub indicators: Vec<IndicatorView>,
    pub languages: String,
}

async fn load(state: &AppState, id: i64) -> Result<(InstrumentRow, Instrument, bool), PageError> {
    let store = state.store.clone();
    let (found, current) =
        crate::pages::run(move || Ok((store.instrument(id)?, store.current_instrument_id()?)))
            .await?;
    let (row, i) = found.ok_or_else(|| PageError::NotFound(format!("survey instrument {id}")))?;
    Ok((row, i, current == Some(id)))
}

pub async fn show(
    State(state): State<AppState>,
    tr: Tr,
    uri: Uri,
    s: Signed,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    s.authorize::<ManageInstruments>()?;
    let (row, i, current) = load(&state, id).await?;
    let lang = tr.code;
    let dim = |d: homeward_domain::reintegration::plan::Dimension| {
        tr.t(&format!("dimension-{}", d.code()))
    };
    let title = format!("{} v{}", i.title(lang), i.version());
    let t = i.thresholds();
    let p = page!(InstrumentPage, Frame::new(tr.clone(), &uri, Some(&s)), title, {
        csrf: s.csrf.clone(),
        current,
        source: i.source().to_owned(),
        thresholds: (format!("{:.2}", t.medium), format!("{:.2}", t.high)),
        dimensions: i.dimensions().iter().map(|d| (dim(d.code), format!("{}", d.weight))).collect(),
        indicators: i.indicators().iter().map(|x| IndicatorView {
            code: x.code.clone(),
            dimension: dim(x.dimension),
            weight: format!("{}", x.weight),
            question: x.question(lang).to_owned(),
            options: x.options.iter().map(|o| (
                o.code.clone(),
                o.label(lang).to_owned(),
                o.score.map(|v| format!("{v:.2}")).unwrap_or_else(|| tr.t("instruments-not-scored")),
            )).collect(),
        }).collect(),
        languages: i.languages().join(", "),
        row,
    });
    Ok(render(&p)?.into_response())
}

fn download(bytes: Vec<u8>, content_type: &'static str, name: String) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type.to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        bytes,
    )
        .into_response()
}

/// `GET /admin/instruments/{id}/toml`: the version in our file format.
pub async fn toml(
    State(state): State<AppState>,
    s: Signed,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    s.authorize::<ManageInstruments>()?;
    let (_, i, _) = load(&state, id).await?;
    let text = homeward_interop::survey::write_instrument(&i)
        .map_err(|e| PageError::Internal(format!("instrument {id} as TOML: {e}")))?;
    let name = format!("{}-v{}.toml", i.code(), i.version());
    Ok(download(text.into_bytes(), "application/toml", name))
}

/// `GET /admin/instruments/{id}/xlsform`: the version as an XLSForm for ODK or Kobo.
pub async fn xlsform(
    State(state): State<AppState>,
    s: Signed,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    s.authorize::<ManageInstruments>()?;
    let (_, i, _) = load(&state, id).await?;
    let bytes = homeward_interop::survey::xlsform::write_xlsform(&i)
        .map_err(|e| PageError::Internal(format!("instrument {id} as XLSForm: {e}")))?;
    let name = format!("{}.xlsx", homeward_interop::survey::xlsform::form_id(&i));
    Ok(download(
        bytes,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        name,
    ))
}

/// `POST /admin/instruments/{id}/adopt`: makes the version current and scores every
/// survey by it; the scores of earlier versions are kept.
pub async fn adopt(
    State(state): State<AppState>,
    s: Signed,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let auth = s.authorize::<ManageInstruments>()?;
    let (store, actor) = (state.store.clone(), s.actor());
    crate::pages::run(move || store.adopt_instrument(&auth, &actor, id)).await?;
    Ok(Redirect::to(&format!("/admin/instruments/{id}")).into_response())
}
