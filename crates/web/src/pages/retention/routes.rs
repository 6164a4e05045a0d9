//! The routes of the retention schedule and the record of processing, with their access
//! rule.

use super::{processing, schedule};
use crate::auth::access::Access as A;
use crate::routes::Routes;
use homeward_domain::access::Permission as P;

pub fn add(r: Routes) -> Routes {
    const RETENTION: A = A::Permission(P::RetentionManage);
    r.get("/admin/retention", RETENTION, schedule::show)
        .post(
            "/admin/retention/offices/{id}",
            RETENTION,
            schedule::office_term,
        )
        .post("/admin/retention/cases", RETENTION, schedule::case_term)
        .post("/admin/retention/hold", RETENTION, schedule::hold)
        .post("/admin/retention/release", RETENTION, schedule::release)
        .get("/admin/processing", RETENTION, processing::show)
        .get("/admin/processing.md", RETENTION, processing::download)
}
