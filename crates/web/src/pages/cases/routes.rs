//! The routes of cases: the caseload, registration, the case page and every change to a
//! case, receipts, a partner's answer to a referral, and the packages cases follow, with
//! their access rules.

use super::{
    assistance, bulk, details, documents, erasure, flow, list, my_work, new, notes, notifications,
    packages, paper, people, plan, record, referrals, searches, show, surveys, tasks,
};
use crate::auth::access::Access as A;
use crate::routes::Routes;
use homeward_domain::access::Permission as P;

pub fn add(r: Routes) -> Routes {
    const READ: A = A::Permission(P::CaseRead);
    const W: A = A::Permission(P::CaseWrite);
    const APPROVE: A = A::Permission(P::CaseApprove);
    const PACKAGES: A = A::Permission(P::PackageManage);
    r.get("/my-work", READ, my_work::show)
        .get("/notifications", READ, notifications::show)
        .post("/notifications/read", READ, notifications::read_all)
        .post("/notifications/email", READ, notifications::email)
        .get("/cases", READ, list::list)
        .post("/cases", W, new::submit)
        .get("/cases/new", W, new::form)
        .post("/cases/export", A::Permission(P::CaseExport), list::export)
        .post("/cases/bulk", READ, bulk::run)
        .post("/cases/searches", READ, searches::save)
        .post("/cases/searches/{id}/delete", READ, searches::delete)
        .get("/cases/{id}", READ, show::show)
        .get("/cases/{id}/print", READ, paper::print)
        .get(
            "/cases/{id}/record",
            A::Permission(P::CaseExport),
            paper::record,
        )
        .get(
            "/cases/{id}/record.json",
            A::Permission(P::CaseExport),
            record::download,
        )
        .post("/cases/{id}/share", W, flow::share)
        .post("/cases/{id}/handover", W, flow::handover)
        .post(
            "/cases/{id}/assign",
            A::Permission(P::CaseAssign),
            flow::assign,
        )
        .post("/cases/{id}/stage", W, flow::stage)
        .post("/cases/{id}/package", W, flow::package)
        .post("/cases/{id}/close", APPROVE, flow::close)
        .post("/cases/{id}/erasure", W, erasure::request)
        .post("/cases/{id}/erasure/{request}", APPROVE, erasure::decide)
        .post("/cases/{id}/reopen", APPROVE, flow::reopen)
        .post("/cases/{id}/household", W, people::add_member)
        .post(
            "/cases/{id}/household/{member}/remove",
            W,
            people::remove_member,
        )
        .post("/cases/{id}/consents", W, people::consent)
        .post(
            "/cases/{id}/consents/{consent}/withdraw",
            W,
            people::withdraw,
        )
        .post("/cases/{id}/plan/items", W, plan::add_item)
        .post("/cases/{id}/plan/items/{item}/remove", W, plan::remove_item)
        .post("/cases/{id}/plan/submit", W, plan::submit)
        .post("/cases/{id}/plan/decide", APPROVE, plan::decide)
        .post("/cases/{id}/assistance", W, assistance::pay)
        .get("/receipts/{receipt}", READ, assistance::receipt)
        .post("/cases/{id}/referrals", W, referrals::refer)
        .post("/cases/{id}/referrals/{referral}", W, referrals::update)
        .post(
            "/referrals/{referral}/respond",
            A::Permission(P::ReferralRespond),
            referrals::respond,
        )
        .post("/cases/{id}/details", W, details::update)
        .post("/cases/{id}/receipts", W, assistance::upload)
        .post("/cases/{id}/return-again", W, flow::return_again)
        .post("/cases/{id}/follow-ups", W, tasks::follow_up)
        .post("/cases/{id}/surveys", W, surveys::add)
        .post("/cases/{id}/tasks", W, tasks::add)
        .post("/cases/{id}/notes", W, notes::add)
        .post("/cases/{id}/documents", W, documents::upload)
        .get("/documents/{document}", READ, documents::download)
        .post("/cases/{id}/notes/{note}", W, notes::correct)
        .post("/cases/{id}/tasks/{task}/done", W, tasks::done)
        .get("/packages", PACKAGES, packages::list)
        .post("/packages", PACKAGES, packages::add)
        .post("/packages/{id}", PACKAGES, packages::update)
        .post("/packages/rules/{key}", PACKAGES, packages::rule)
}
