//! The routes of the public catalogue and a project's page, the downloads of a search,
//! project indicators counted from cases, and exchange rates, with their access rules.

use super::{export, indicators, project, rates, search};
use crate::auth::access::Access as A;
use crate::routes::Routes;
use homeward_domain::access::Permission as P;

pub fn add(r: Routes) -> Routes {
    const PACKAGES: A = A::Permission(P::PackageManage);
    const REFERENCE: A = A::Permission(P::ReferenceManage);
    r.get("/projects", A::Public, search::show)
        .get("/projects/export/{format}", A::Public, export::download)
        .get("/projects/{id}", A::Public, project::show)
        .get("/indicators", PACKAGES, indicators::find)
        .get("/projects/{id}/indicators", PACKAGES, indicators::show)
        .post("/projects/{id}/indicators", PACKAGES, indicators::save)
        .get("/admin/rates", REFERENCE, rates::list)
        .post("/admin/rates", REFERENCE, rates::add)
        .post("/admin/rates/import", REFERENCE, rates::import)
}
