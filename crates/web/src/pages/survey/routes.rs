//! The routes of survey instruments (each version, its files, adoption) and of surveys
//! collected offline, with their access rules.

use super::{import, instruments};
use crate::auth::access::Access as A;
use crate::routes::Routes;
use homeward_domain::access::Permission as P;

pub fn add(r: Routes) -> Routes {
    const INSTRUMENTS: A = A::Permission(P::InstrumentsManage);
    r.get("/surveys/import", A::Permission(P::CaseWrite), import::form)
        .post(
            "/surveys/import",
            A::Permission(P::CaseWrite),
            import::submit,
        )
        .get("/admin/instruments", INSTRUMENTS, instruments::list)
        .post("/admin/instruments", INSTRUMENTS, instruments::upload)
        .get("/admin/instruments/{id}", INSTRUMENTS, instruments::show)
        .get(
            "/admin/instruments/{id}/toml",
            INSTRUMENTS,
            instruments::toml,
        )
        .get(
            "/admin/instruments/{id}/xlsform",
            INSTRUMENTS,
            instruments::xlsform,
        )
        .post(
            "/admin/instruments/{id}/adopt",
            INSTRUMENTS,
            instruments::adopt,
        )
}
