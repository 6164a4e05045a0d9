//! The routes of the numbers about cases: the statistics page and the dashboard with its
//! downloads, for who may see aggregates.

use super::{dashboard, stats};
use crate::auth::access::Access as A;
use crate::routes::Routes;
use homeward_domain::access::Permission as P;

pub fn add(r: Routes) -> Routes {
    const AGGREGATES: A = A::Permission(P::Aggregates);
    r.get("/stats", AGGREGATES, stats::show)
        .get("/dashboard", AGGREGATES, dashboard::show)
        .get("/dashboard/{file}", AGGREGATES, dashboard::download)
}
