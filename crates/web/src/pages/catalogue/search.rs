//! `GET /projects`: the public catalogue: search, filters with counts, sort and pages, all
//! in the URL.

use crate::i18n::{FluentArg, Tr};
use crate::links::{page_url, project_url, search_url, toggle_url};
use crate::pages::{LangLink, lang_links};
use crate::{AppState, PageError, blocking};
use askama::Template;
use axum::extract::State;
use axum::http::Uri;
use axum::response::Html;
use homeward_domain::CountryCode;
use homeward_domain::catalogue::{CatalogueQuery, Facet, Segment, Sort, excerpt, highlight};
use homeward_store::catalogue::search::{FacetValue, Hit};

pub struct SortOption {
    pub code: &'static str,
    pub label: String,
    pub selected: bool,
}

pub struct HitView {
    pub href: String,
    pub title: Vec<Segment>,
    pub excerpt: Vec<Segment>,
    pub meta: Vec<String>,
}

pub struct FacetValueView {
    pub label: String,
    pub count: i64,
    pub href: String,
    pub selected: bool,
}

pub struct FacetView {
    pub title: String,
    pub open: bool,
    pub values: Vec<FacetValueView>,
}

pub struct ActiveFilter {
    pub label: String,
    pub remove_label: String,
    pub href: String,
}

pub struct Pagination {
    pub prev: Option<String>,
    pub next: Option<String>,
    pub label: String,
}

#[derive(Template)]
#[template(path = "catalogue.html")]
pub struct CataloguePage {
    pub nav: Option<crate::pages::Nav>,
    pub tr: Tr,
    pub title: String,
    pub lang_links: Vec<LangLink>,
    pub query_text: String,
    pub hidden: Vec<(&'static str, String)>,
    pub sorts: Vec<SortOption>,
    pub total_label: String,
    pub hits: Vec<HitView>,
    pub facets: Vec<FacetView>,
    pub active: Vec<ActiveFilter>,
    pub clear_href: Option<String>,
    pub pagination: Option<Pagination>,
    pub exports: Vec<(String, String)>,
}

/// The label of a facet value in the reader's language.
pub fn value_label(tr: &Tr, facet: Facet, value: &str) -> String {
    match facet {
        Facet::Status => tr.t(&format!("status-{value}")),
        Facet::Coverage => tr.t(&format!("coverage-{value}")),
        Facet::Country => value
            .parse::<CountryCode>()
            .map(|c| c.name().to_owned())
            .unwrap_or_else(|_| value.to_owned()),
        _ => value.to_owned(),
    }
}

fn facet_title(tr: &Tr, f: Facet) -> String {
    tr.t(match f {
        Facet::Region => "facet-region",
        Facet::ProjectType => "facet-type",
        Facet::Status => "facet-status",
        Facet::Year => "facet-year",
        Facet::Coverage => "facet-coverage",
        Facet::Country => "facet-country",
    })
}

fn hit_view(tr: &Tr, h: &Hit, terms: &[String]) -> HitView {
    let mut meta = vec![h.public_id.clone()];
    meta.extend(h.idf_region.clone());
    meta.extend(h.project_type.clone());
    meta.extend(h.year.map(|y| y.to_string()));
    meta.extend(h.status.map(|s| tr.t(&format!("status-{}", s.code()))));
    meta.extend(h.budget.map(|b| format!("USD {}", b.to_grouped_string())));
    if !h.member_states.is_empty() {
        meta.push(
            h.member_states
                .iter()
                .map(|c| c.name())
                .collect::<Vec<_>>()
                .join(", "),
        );
    }
    let source = if !h.summary.is_empty() {
        &h.summary
    } else {
        &h.objective
    };
    HitView {
        href: project_url(&h.public_id),
        title: highlight(&h.title, terms),
        excerpt: highlight(&excerpt(source, terms, 240), terms),
        meta,
    }
}

fn facet_views(tr: &Tr, q: &CatalogueQuery, facets: &[(Facet, Vec<FacetValue>)]) -> Vec<FacetView> {
    facets
        .iter()
        .filter(|(_, values)| !values.is_empty())
        .map(|(f, values)| FacetView {
            title: facet_title(tr, *f),
            open: values.iter().any(|v| v.selected) || matches!(f, Facet::Region | Facet::Status),
            values: values
                .iter()
                .map(|v| FacetValueView {
                    label: value_label(tr, *f, &v.value),
                    count: v.count,
                    href: toggle_url(q, *f, &v.value),
                    selected: v.selected,
                })
                .collect(),
        })
        .collect()
}

fn active_filters(tr: &Tr, q: &CatalogueQuery) -> Vec<ActiveFilter> {
    let mut out = Vec::new();
    let mut add = |f: Facet, value: String| {
        let label = value_label(tr, f, &value);
        out.push(ActiveFilter {
            remove_label: tr.ta("filter-remove", &[("value", FluentArg::Str(label.clone()))]),
            label,
            href: toggle_url(q, f, &value),
        });
    };
    q.regions.iter().for_each(|v| add(Facet::Region, v.clone()));
    q.project_types
        .iter()
        .for_each(|v| add(Facet::ProjectType, v.clone()));
    q.statuses
        .iter()
        .for_each(|v| add(Facet::Status, v.code().to_owned()));
    q.years.iter().for_each(|v| add(Facet::Year, v.to_string()));
    q.coverages
        .iter()
        .for_each(|v| add(Facet::Coverage, v.code().to_owned()));
    q.countries
        .iter()
        .for_each(|v| add(Facet::Country, v.to_string()));
    out
}

pub async fn show(
    State(state): State<AppState>,
    tr: Tr,
    uri: Uri,
) -> Result<Html<String>, PageError> {
    let q = crate::links::parse_search(uri.query().unwrap_or("")).map_err(PageError::BadRequest)?;
    let store = state.store.clone();
    let query = q.clone();
    let result = blocking(move || store.search(&query)).await??;

    let terms = q.terms();
    let pages = ((result.total + i64::from(q.per_page) - 1) / i64::from(q.per_page))
        .clamp(1, i64::from(homeward_domain::catalogue::MAX_PAGE)) as u32;
    let pagination = (pages > 1).then(|| Pagination {
        prev: (q.page > 1).then(|| page_url(&q, q.page - 1)),
        next: (q.page < pages).then(|| page_url(&q, q.page + 1)),
        label: tr.ta(
            "page-of",
            &[
                ("page", FluentArg::Num(i64::from(q.page))),
                ("pages", FluentArg::Num(i64::from(pages))),
            ],
        ),
    });
    let mut export_q = q.clone();
    export_q.page = 1;
    let exports = if result.total > 0 {
        homeward_interop::export::Format::ALL
            .iter()
            .map(|f| {
                (
                    tr.t(&format!("export-{}", f.code())),
                    search_url(&format!("/projects/export/{}", f.code()), &export_q),
                )
            })
            .collect()
    } else {
        Vec::new()
    };
    // Filters ride along as hidden fields so a new search keeps them.
    let hidden = q
        .to_pairs()
        .into_iter()
        .filter(|(k, _)| !matches!(*k, "q" | "sort" | "page"))
        .collect();
    let sorts = Sort::ALL
        .iter()
        .map(|s| SortOption {
            code: s.code(),
            label: tr.t(&format!("sort-{}", s.code())),
            selected: *s == q.sort,
        })
        .collect();
    let cleared = CatalogueQuery {
        text: q.text.clone(),
        sort: q.sort,
        per_page: q.per_page,
        page: 1,
        ..Default::default()
    };
    let page = CataloguePage {
        nav: None,
        title: tr.t("catalogue-title"),
        lang_links: lang_links(&tr, &uri),
        query_text: q.text.clone(),
        hidden,
        sorts,
        total_label: tr.ta("results-count", &[("count", FluentArg::Num(result.total))]),
        hits: result
            .hits
            .iter()
            .map(|h| hit_view(&tr, h, &terms))
            .collect(),
        facets: facet_views(&tr, &q, &result.facets),
        active: active_filters(&tr, &q),
        clear_href: q.has_filters().then(|| search_url("/projects", &cleared)),
        pagination,
        exports,
        tr,
    };
    Ok(Html(
        page.render()
            .map_err(|e| PageError::Internal(e.to_string()))?,
    ))
}
