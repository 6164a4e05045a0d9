//! The routes of signing in and out, one's own account, and the administration of offices,
//! users, roles and the audit trail, with their access rules.

use super::{
    account, admin, audit, code, offices, password, roles, signin, signout, tokens, totp, users,
};
use crate::auth::access::Access as A;
use crate::routes::Routes;
use homeward_domain::access::Permission as P;

pub fn add(r: Routes) -> Routes {
    const OFFICES: A = A::Permission(P::OfficesManage);
    const USERS: A = A::Permission(P::UsersManage);
    const ROLES: A = A::Permission(P::RolesManage);
    r.get("/signin", A::Anyone, signin::form)
        .post("/signin", A::Anyone, signin::submit)
        .get("/signin/code", A::Pending, code::form)
        .post("/signin/code", A::Pending, code::submit)
        .post("/signout", A::Enrolling, signout::one)
        .get("/password/{token}", A::Anyone, password::form)
        .post("/password/{token}", A::Anyone, password::submit)
        .get("/account", A::Enrolling, account::show)
        .post("/account/password", A::Enrolling, account::change_password)
        .post(
            "/account/signout-everywhere",
            A::Enrolling,
            signout::everywhere,
        )
        .get("/account/totp", A::Enrolling, totp::show)
        .post("/account/totp", A::Enrolling, totp::confirm)
        .post("/account/totp/disable", A::Signed, totp::disable)
        .post("/account/recovery-codes", A::Signed, totp::new_codes)
        .post("/account/tokens", A::Signed, tokens::create)
        .post("/account/tokens/{id}/revoke", A::Signed, tokens::revoke)
        .get("/admin", A::Signed, admin::index)
        .get("/admin/offices", OFFICES, offices::list)
        .post("/admin/offices", OFFICES, offices::add)
        .post("/admin/offices/{id}", OFFICES, offices::update)
        .get("/admin/users", USERS, users::list)
        .post("/admin/users", USERS, users::invite)
        .post("/admin/users/{id}/role", USERS, users::set_role)
        .post("/admin/users/{id}/disable", USERS, users::disable)
        .post("/admin/users/{id}/enable", USERS, users::enable)
        .post("/admin/users/{id}/reset", USERS, users::reset)
        .get("/admin/roles", ROLES, roles::list)
        .post("/admin/roles/{role}", ROLES, roles::update)
        .get("/admin/audit", A::Permission(P::AuditRead), audit::search)
        .get(
            "/admin/audit/export",
            A::Permission(P::AuditRead),
            audit::export,
        )
}
