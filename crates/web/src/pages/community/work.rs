//! `GET /work`: where staff of the community and structural levels start — the community
//! projects and capacity-building activities they may change (`community.manage`) and the
//! pools whose counter they keep (`assets.lend`), each within the office it reaches.

use super::{country_name, when};
use crate::auth::Signed;
use crate::i18n::Tr;
use crate::pages::page;
use crate::pages::{Frame, LangLink, Nav, render};
use crate::{AppState, PageError};
use askama::Template;
use axum::extract::State;
use axum::http::Uri;
use axum::response::Html;
use homeward_domain::access::{CaseFacts, LendAssets, ManageCommunity};
use homeward_store::community::activity::ActivityFilter;
use homeward_store::community::capacity::CapacityLine;
use homeward_store::community::projects::CommunityLine;

pub struct Item {
    pub href: String,
    pub name: String,
    pub detail: String,
}

#[derive(Template)]
#[template(path = "community/work.html")]
pub struct WorkPage {
    pub tr: Tr,
    pub lang_links: Vec<LangLink>,
    pub nav: Option<Nav>,
    pub title: String,
    pub manages: bool,
    pub community: Vec<Item>,
    pub capacity: Vec<Item>,
    pub counters: Vec<Item>,
}

fn office(id: i64) -> CaseFacts {
    CaseFacts {
        owning_office: id,
        ..Default::default()
    }
}

pub async fn show(
    State(state): State<AppState>,
    tr: Tr,
    uri: Uri,
    s: Signed,
) -> Result<Html<String>, PageError> {
    let manage = s.authorize::<ManageCommunity>().ok();
    let lend = s.authorize::<LendAssets>().ok();
    if manage.is_none() && lend.is_none() {
        return Err(PageError::Forbidden(
            "community work needs community.manage or assets.lend".into(),
        ));
    }
    let store = state.store.clone();
    let (community, capacity, pools) = crate::pages::run(move || {
        Ok((
            store.activities::<CommunityLine>(&ActivityFilter::default())?,
            store.activities::<CapacityLine>(&ActivityFilter::default())?,
            store.pools()?,
        ))
    })
    .await?;
    let mine = |office_id: i64| {
        manage
            .as_ref()
            .is_some_and(|m| m.covers(&office(office_id)))
    };
    let title = tr.t("work-title");
    let p = page!(WorkPage, Frame::new(tr.clone(), &uri, Some(&s)), title, {
        manages: manage.is_some(),
        community: community.iter().filter(|c| mine(c.head.office_id)).map(|c| Item {
            href: format!("/community/{}/manage", c.head.id),
            name: c.name.clone(),
            detail: format!("{} · {} · {}", country_name(&c.head.country), c.head.project_code, when(&tr, &c.head.start_on, &c.head.end_on)),
        }).collect(),
        capacity: capacity.iter().filter(|a| mine(a.head.office_id)).map(|a| Item {
            href: format!("/capacity/{}/manage", a.head.id),
            name: a.title.clone(),
            detail: format!("{} · {} · {}", country_name(&a.head.country), a.head.project_code, when(&tr, &a.head.start_on, &a.head.end_on)),
        }).collect(),
        counters: pools.iter().filter(|p| lend.as_ref().is_some_and(|l| l.covers(&office(p.office_id)))).map(|p| Item {
            href: format!("/pools/{}/counter", p.id),
            name: p.name.clone(),
            detail: format!("{} · {} {}", p.office_name, p.out, tr.t("pool-out-now")),
        }).collect(),
    });
    render(&p)
}
