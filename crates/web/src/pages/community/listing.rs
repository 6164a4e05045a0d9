//! The public lists of both kinds of activity, `GET /community` and `GET /capacity`, written
//! once: narrowed to a country (`?country=GE`), with a table of the kind's own columns
//! ([`Listing`]: its own columns) and the downloads of what is shown.

use super::{HeadView, ListQuery, country_options, key, usd};
use crate::i18n::Tr;
use crate::pages::page;
use crate::pages::{Frame, LangLink, Nav, render};
use crate::{AppState, PageError};
use askama::Template;
use axum::extract::{Query, State};
use axum::http::Uri;
use axum::response::Html;
use homeward_domain::community::activity::Level;
use homeward_store::community::activity::{ActivityFilter, ActivityLine};

/// What differs between the list of community projects and that of capacity activities:
/// each kind's own columns. Where a list lives and what it says follow from its level.
pub trait Listing: ActivityLine {
    /// The activity's cells, each naming its column, before the money spent (which every
    /// list ends with).
    fn cells(&self, tr: &Tr) -> Vec<Cell>;
}

/// One cell of a list's table: its column (the message naming it, and whether it holds
/// numbers), a text, maybe a link, maybe a note under it.
#[derive(Debug, Default)]
pub struct Cell {
    pub column: &'static str,
    pub num: bool,
    pub text: String,
    pub href: Option<String>,
    pub note: Option<String>,
}

impl Cell {
    pub fn text(column: &'static str, text: impl ToString) -> Cell {
        Cell {
            column,
            text: text.to_string(),
            ..Default::default()
        }
    }

    /// A count or an amount, aligned as numbers are.
    pub fn num(column: &'static str, n: impl ToString) -> Cell {
        Cell {
            num: true,
            ..Cell::text(column, n)
        }
    }

    pub fn link(column: &'static str, text: impl ToString, href: String) -> Cell {
        Cell {
            href: Some(href),
            ..Cell::text(column, text)
        }
    }

    /// The same cell with a note under it.
    pub fn noted(self, note: String) -> Cell {
        Cell {
            note: Some(note),
            ..self
        }
    }

    /// The activity's country, linked to its page.
    pub fn country(h: &HeadView) -> Cell {
        let href = format!("/countries/{}", h.country_code);
        Cell::link("dash-country", &h.country, href)
    }

    /// The funding project, linked to its page.
    pub fn project(h: &HeadView) -> Cell {
        let href = format!("/projects/{}", h.project_code);
        Cell::link("dash-project", &h.project_code, href)
    }
}

#[derive(Template)]
#[template(path = "community/list.html")]
pub struct ListPage {
    pub tr: Tr,
    pub lang_links: Vec<LangLink>,
    pub nav: Option<Nav>,
    pub title: String,
    /// Where the list lives, without its slash: `community` or `capacity`.
    pub key: &'static str,
    pub intro: String,
    /// The other list: (address, name).
    pub other: (String, String),
    /// The countries to choose from: (code, name, chosen).
    pub countries: Vec<(String, String, bool)>,
    pub caption: String,
    /// The columns: (heading, holds numbers).
    pub columns: Vec<(String, bool)>,
    /// The activities shown, as cells.
    pub rows: Vec<Vec<Cell>>,
    /// What is said when nothing is listed.
    pub none: String,
    /// The query that keeps the country in the download links: `?country=GE` or empty.
    pub query: String,
}

/// `GET /community` or `GET /capacity`: the activities of kind `K`, narrowed to the
/// country asked for.
pub async fn list<K: Listing>(
    State(state): State<AppState>,
    tr: Tr,
    uri: Uri,
    Query(q): Query<ListQuery>,
) -> Result<Html<String>, PageError> {
    let store = state.store.clone();
    let all = crate::pages::run(move || store.activities::<K>(&ActivityFilter::default())).await?;
    let chosen = q.country.trim().to_ascii_uppercase();
    let country = |r: &K| r.head().country.clone();
    let countries = country_options(all.iter().map(country), &chosen);
    let rows: Vec<Vec<Cell>> = all
        .iter()
        .filter(|r| chosen.is_empty() || country(r) == chosen)
        .map(|r| {
            let mut cells = r.cells(&tr);
            cells.push(Cell::num("community-spent", usd(r.head().spent_usd_minor)));
            cells
        })
        .collect();
    let columns = match rows.first() {
        Some(cells) => cells.iter().map(|c| (tr.t(c.column), c.num)).collect(),
        None => vec![],
    };
    let query = match chosen.is_empty() {
        true => String::new(),
        false => format!("?country={chosen}"),
    };
    let (key, other) = match K::LEVEL {
        Level::Community => (key(Level::Community), key(Level::Structural)),
        Level::Structural => (key(Level::Structural), key(Level::Community)),
    };
    let say = |what: &str| tr.t(&format!("{key}-{what}"));
    let p = page!(ListPage, Frame::new(tr.clone(), &uri, None), say("title"), {
        key,
        intro: say("intro"),
        other: (format!("/{other}"), tr.t(&format!("{other}-title"))),
        countries,
        caption: say("list-caption"),
        columns,
        rows,
        none: say("none"),
        query,
    });
    render(&p)
}
