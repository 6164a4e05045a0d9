//! The routes of the community and structural levels: the public pages and downloads, the
//! staff's forms for both kinds of activity, and the counter of a tool pool, with their
//! access rules.

use super::capacity_manage::{self, CapacityActivities};
use super::manage::{self, CommunityProjects};
use super::{activity, capacity, counter, country, export, listing, pool, public, work};
use crate::auth::access::Access as A;
use crate::routes::Routes;
use homeward_domain::access::Permission as P;
use homeward_store::community::capacity::CapacityLine;
use homeward_store::community::projects::CommunityLine;

pub fn add(r: Routes) -> Routes {
    const MANAGE: A = A::Permission(P::CommunityManage);
    const LEND: A = A::Permission(P::AssetsLend);
    r.get("/community", A::Public, listing::list::<CommunityLine>)
        .get("/community/export/{format}", A::Public, export::community)
        .get("/community/{id}", A::Public, public::show)
        .get("/capacity", A::Public, listing::list::<CapacityLine>)
        .get("/capacity/export/{format}", A::Public, export::capacity)
        .get("/capacity/{id}", A::Public, capacity::show)
        .get("/pools/{id}", A::Public, pool::show)
        .get("/countries/{code}", A::Public, country::show)
        .get("/work", A::Signed, work::show)
        .get("/community/new", MANAGE, activity::new::<CommunityProjects>)
        .post("/community", MANAGE, activity::add::<CommunityProjects>)
        .get(
            "/community/{id}/manage",
            MANAGE,
            activity::page::<CommunityProjects>,
        )
        .post(
            "/community/{id}",
            MANAGE,
            activity::update::<CommunityProjects>,
        )
        .post("/community/{id}/members", MANAGE, manage::members)
        .post("/community/{id}/participants", MANAGE, manage::participants)
        .post(
            "/community/{id}/outputs",
            MANAGE,
            activity::output::<CommunityProjects>,
        )
        .post(
            "/community/{id}/expenses",
            MANAGE,
            activity::expense::<CommunityProjects>,
        )
        .post("/community/{id}/pools", MANAGE, manage::add_pool)
        .post(
            "/community/{id}/participants/{case}/remove",
            MANAGE,
            manage::remove_participant,
        )
        .post(
            "/community/{id}/outputs/{row}/remove",
            MANAGE,
            activity::output_remove::<CommunityProjects>,
        )
        .post(
            "/community/{id}/expenses/{row}/remove",
            MANAGE,
            activity::expense_remove::<CommunityProjects>,
        )
        .post(
            "/capacity/{id}/outputs/{row}/remove",
            MANAGE,
            activity::output_remove::<CapacityActivities>,
        )
        .post(
            "/capacity/{id}/expenses/{row}/remove",
            MANAGE,
            activity::expense_remove::<CapacityActivities>,
        )
        .get("/capacity/new", MANAGE, activity::new::<CapacityActivities>)
        .post("/capacity", MANAGE, activity::add::<CapacityActivities>)
        .get(
            "/capacity/{id}/manage",
            MANAGE,
            activity::page::<CapacityActivities>,
        )
        .post(
            "/capacity/{id}",
            MANAGE,
            activity::update::<CapacityActivities>,
        )
        .post(
            "/capacity/{id}/participants",
            MANAGE,
            capacity_manage::add_participant,
        )
        .post(
            "/capacity/{id}/outputs",
            MANAGE,
            activity::output::<CapacityActivities>,
        )
        .post(
            "/capacity/{id}/expenses",
            MANAGE,
            activity::expense::<CapacityActivities>,
        )
        .get("/pools/{id}/counter", LEND, counter::page)
        .post("/pools/{id}/lend", LEND, counter::lend)
        .post("/pools/{id}/loans/{loan}/return", LEND, counter::take_back)
        .post("/pools/{id}/tools", MANAGE, counter::add_tool)
        .post("/pools/{id}/tools/{tool}", MANAGE, counter::update_tool)
}
