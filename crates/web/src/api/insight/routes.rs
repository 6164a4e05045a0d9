//! The API's routes of numbers about cases.

use super::stats;
use crate::auth::access::Access as A;
use crate::routes::Routes;
use homeward_domain::access::Permission as P;

pub fn add(r: Routes) -> Routes {
    r.api_get("/api/v1/stats", A::Permission(P::Aggregates), stats::get)
}
