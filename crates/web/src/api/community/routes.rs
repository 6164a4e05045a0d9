//! The API's routes of the community and structural levels: public reading, changes for
//! who manages community work, and the counter's loans.

use super::{
    capacity_add, capacity_get, capacity_list, pool_get, pool_loans, pool_tool_add, pools_list,
    project_add, project_get, projects_list,
};
use crate::auth::access::Access as A;
use crate::routes::Routes;
use homeward_domain::access::Permission as P;

pub fn add(r: Routes) -> Routes {
    const MANAGE: A = A::Permission(P::CommunityManage);
    const LEND: A = A::Permission(P::AssetsLend);
    r.api_get("/api/v1/community-projects", A::Public, projects_list::list)
        .api_post("/api/v1/community-projects", MANAGE, project_add::add)
        .api_get(
            "/api/v1/community-projects/{id}",
            A::Public,
            project_get::get,
        )
        .api_get("/api/v1/asset-pools", A::Public, pools_list::list)
        .api_get("/api/v1/asset-pools/{id}", A::Public, pool_get::get)
        .api_get("/api/v1/asset-pools/{id}/tools", A::Public, pool_get::tools)
        .api_post("/api/v1/asset-pools/{id}/tools", MANAGE, pool_tool_add::add)
        .api_get("/api/v1/asset-pools/{id}/loans", LEND, pool_loans::list)
        .api_post("/api/v1/asset-pools/{id}/loans", LEND, pool_loans::lend)
        .api_post(
            "/api/v1/asset-pools/{id}/loans/{loan}/return",
            LEND,
            pool_loans::take_back,
        )
        .api_get(
            "/api/v1/capacity-activities",
            A::Public,
            capacity_list::list,
        )
        .api_post("/api/v1/capacity-activities", MANAGE, capacity_add::add)
        .api_get(
            "/api/v1/capacity-activities/{id}",
            A::Public,
            capacity_get::get,
        )
}
