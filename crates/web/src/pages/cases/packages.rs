//! `GET /packages`: the reintegration packages (cap in USD, components, countries, funding
//! project) and the task rules cases follow; `POST /packages` adds a package,
//! `POST /packages/{id}` changes one, `POST /packages/rules/{key}` changes when a rule's
//! task falls due. For programme managers and administrators.

use crate::auth::Signed;
use crate::form::Fields;
use crate::i18n::Tr;
use crate::pages::page;
use crate::pages::{Frame, LangLink, Nav, render};
use crate::{AppState, PageError};
use askama::Template;
use axum::extract::{Path, State};
use axum::http::{StatusCode, Uri};
use axum::response::{IntoResponse, Redirect, Response};
use homeward_domain::access::ManagePackages;
use homeward_domain::reintegration::forms::PackageForm;
use homeward_domain::reintegration::plan::Category;
use homeward_domain::reintegration::tasks::Offset;
use homeward_domain::{CurrencyCode, Money};

pub struct PackageLine {
    pub id: i64,
    pub name: String,
    pub cap: String,
    pub cap_plain: String,
    pub components: Vec<(String, String, bool)>,
    pub host: String,
    pub origin: String,
    pub beneficiaries: String,
    pub project: Option<i64>,
    pub active: bool,
}

pub struct RuleLine {
    pub key: String,
    pub title: String,
    pub anchor: String,
    pub amount: u32,
    pub months: bool,
    pub active: bool,
}

#[derive(Template)]
#[template(path = "packages.html")]
pub struct PackagesPage {
    pub tr: Tr,
    pub lang_links: Vec<LangLink>,
    pub nav: Option<Nav>,
    pub title: String,
    pub csrf: String,
    pub errors: Vec<String>,
    pub packages: Vec<PackageLine>,
    pub categories: Vec<(String, String)>,
    pub projects: Vec<(i64, String)>,
    pub rules: Vec<RuleLine>,
}

async fn show(
    state: &AppState,
    tr: Tr,
    uri: &Uri,
    s: &Signed,
    errors: Vec<String>,
) -> Result<Response, PageError> {
    s.authorize::<ManagePackages>()?;
    let store = state.store.clone();
    let (packages, projects, rules) = crate::pages::run(move || {
        Ok((
            store.packages()?,
            store.individual_projects()?,
            store.task_rules()?,
        ))
    })
    .await?;
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::BAD_REQUEST
    };
    let t = |k: String| tr.t(&k);
    let title = tr.t("nav-packages");
    let p = page!(PackagesPage, Frame::new(tr.clone(), uri, Some(s)), title, {
        csrf: s.csrf.clone(),
        errors,
        packages: packages.iter().map(|p| {
            let has = p.component_list();
            PackageLine {
                id: p.id,
                name: p.name.clone(),
                cap: Money::new(p.cap_usd_minor, CurrencyCode::USD).to_string(),
                cap_plain: Money::new(p.cap_usd_minor, CurrencyCode::USD).to_decimal_string(),
                components: Category::ALL.iter().map(|c| (c.code().to_owned(), t(format!("category-{}", c.code())), has.contains(c))).collect(),
                host: p.host_country.clone(),
                origin: p.origin_country.clone(),
                beneficiaries: p.beneficiaries.clone(),
                project: p.project_id,
                active: p.active,
            }
        }).collect(),
        categories: Category::ALL.iter().map(|c| (c.code().to_owned(), t(format!("category-{}", c.code())))).collect(),
        projects: projects.into_iter().map(|p| (p.id, p.title)).collect(),
        rules: rules.into_iter().map(|r| {
            let (amount, months) = match r.rule.offset { Offset::Days(d) => (d, false), Offset::Months(m) => (m, true) };
            RuleLine {
                title: t(format!("task-{}", r.rule.key)),
                anchor: t(format!("anchor-{}", r.rule.anchor.code())),
                key: r.rule.key,
                amount,
                months,
                active: r.active,
            }
        }).collect(),
    });
    Ok((status, render(&p)?).into_response())
}

pub async fn list(
    State(state): State<AppState>,
    tr: Tr,
    uri: Uri,
    s: Signed,
) -> Result<Response, PageError> {
    show(&state, tr, &uri, &s, vec![]).await
}

async fn save(
    state: AppState,
    tr: Tr,
    uri: Uri,
    s: Signed,
    id: Option<i64>,
    f: Fields,
) -> Result<Response, PageError> {
    let auth = s.authorize::<ManagePackages>()?;
    let draft = match (PackageForm {
        name: f.get("name"),
        cap_usd: f.get("cap_usd"),
        components: f.all("components"),
        host_country: f.get("host_country"),
        origin_country: f.get("origin_country"),
        beneficiaries: f.get("beneficiaries"),
        project_id: f.get("project"),
        active: f.get("active") == "yes",
    })
    .parse()
    {
        Ok(d) => d,
        Err(errs) => {
            let lines = errs.iter().map(|e| e.to_string()).collect();
            return show(&state, tr, &uri, &s, lines).await;
        }
    };
    let (store, actor) = (state.store.clone(), s.actor());
    match crate::pages::attempt(move || store.save_package(&auth, &actor, id, &draft)).await? {
        Ok(_) => Ok(Redirect::to("/packages").into_response()),
        Err(lines) => show(&state, tr, &uri, &s, lines).await,
    }
}

pub async fn add(
    State(state): State<AppState>,
    tr: Tr,
    uri: Uri,
    s: Signed,
    f: Fields,
) -> Result<Response, PageError> {
    save(state, tr, uri, s, None, f).await
}

pub async fn update(
    State(state): State<AppState>,
    tr: Tr,
    uri: Uri,
    s: Signed,
    Path(id): Path<i64>,
    f: Fields,
) -> Result<Response, PageError> {
    save(state, tr, uri, s, Some(id), f).await
}

pub async fn rule(
    State(state): State<AppState>,
    tr: Tr,
    uri: Uri,
    s: Signed,
    Path(key): Path<String>,
    f: Fields,
) -> Result<Response, PageError> {
    let auth = s.authorize::<ManagePackages>()?;
    let amount: u32 = match f.get("amount").trim().parse() {
        Ok(a) => a,
        Err(_) => {
            return show(
                &state,
                tr,
                &uri,
                &s,
                vec!["amount: must be a whole number".into()],
            )
            .await;
        }
    };
    let offset = if f.get("unit") == "months" {
        Offset::Months(amount)
    } else {
        Offset::Days(amount)
    };
    let active = f.get("active") == "yes";
    let (store, actor) = (state.store.clone(), s.actor());
    match crate::pages::attempt(move || store.set_task_rule(&auth, &actor, &key, offset, active))
        .await?
    {
        Ok(()) => Ok(Redirect::to("/packages#rules").into_response()),
        Err(lines) => show(&state, tr, &uri, &s, lines).await,
    }
}
