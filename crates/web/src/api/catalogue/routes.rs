//! The API's routes of the public project portfolio.

use super::{get, list};
use crate::auth::access::Access as A;
use crate::routes::Routes;

pub fn add(r: Routes) -> Routes {
    r.api_get("/api/v1/projects", A::Public, list::list)
        .api_get("/api/v1/projects/{id}", A::Public, get::get)
}
