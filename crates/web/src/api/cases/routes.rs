//! The API's routes of returnees and their cases, with their access rules: reading needs
//! `case.read`, changing `case.write` (assigning `case.assign`; deciding a plan and closing
//! `case.approve`, as deciding a request to erase); within the caller's scope either way.

use super::{
    assign, assistance_get, close, details_update, document_add, documents_get, erasure_decide,
    erasure_get, erasure_request, get, handover, household_add, household_get, list, note_add,
    note_correct, notes_get, notifications_get, notifications_read, package_set, payment_add,
    plan_decide, plan_get, plan_item_add, plan_submit, receipt_add, referral_add, referrals_get,
    returnee_register, returnees_list, stage_move, survey_add, surveys_get, task_add, tasks_get,
    visit_add, visits_get, work_get,
};
use crate::auth::access::Access as A;
use crate::routes::Routes;
use homeward_domain::access::Permission as P;

pub fn add(r: Routes) -> Routes {
    const READ: A = A::Permission(P::CaseRead);
    const W: A = A::Permission(P::CaseWrite);
    const APPROVE: A = A::Permission(P::CaseApprove);
    r.api_get("/api/v1/cases", READ, list::list)
        .api_get("/api/v1/cases/{id}", READ, get::get)
        .api_get("/api/v1/cases/{id}/plan", READ, plan_get::get)
        .api_post("/api/v1/cases/{id}/plan/items", W, plan_item_add::add)
        .api_get("/api/v1/cases/{id}/assistance", READ, assistance_get::get)
        .api_post("/api/v1/cases/{id}/assistance", W, payment_add::add)
        .api_post("/api/v1/cases/{id}/receipts", W, receipt_add::add)
        .api_post("/api/v1/cases/{id}/documents", W, document_add::add)
        .api_get("/api/v1/cases/{id}/documents", READ, documents_get::list)
        .api_get(
            "/api/v1/cases/{id}/documents/{document}",
            READ,
            documents_get::file,
        )
        .api_get("/api/v1/cases/{id}/referrals", READ, referrals_get::get)
        .api_post("/api/v1/cases/{id}/referrals", W, referral_add::add)
        .api_get("/api/v1/cases/{id}/visits", READ, visits_get::get)
        .api_post("/api/v1/cases/{id}/visits", W, visit_add::add)
        .api_get("/api/v1/cases/{id}/surveys", READ, surveys_get::get)
        .api_post("/api/v1/cases/{id}/surveys", W, survey_add::add)
        .api_get("/api/v1/cases/{id}/tasks", READ, tasks_get::get)
        .api_post("/api/v1/cases/{id}/tasks", W, task_add::add)
        .api_get("/api/v1/cases/{id}/household", READ, household_get::get)
        .api_post("/api/v1/cases/{id}/household", W, household_add::add)
        .api_post("/api/v1/cases/{id}/stage", W, stage_move::move_to)
        .api_post("/api/v1/cases/{id}/handover", W, handover::hand_over)
        .api_post(
            "/api/v1/cases/{id}/assign",
            A::Permission(P::CaseAssign),
            assign::assign,
        )
        .api_post("/api/v1/cases/{id}/package", W, package_set::choose)
        .api_post("/api/v1/cases/{id}/plan/submit", W, plan_submit::submit)
        .api_post(
            "/api/v1/cases/{id}/plan/decision",
            APPROVE,
            plan_decide::decide,
        )
        .api_post("/api/v1/cases/{id}/details", W, details_update::correct)
        .api_post("/api/v1/cases/{id}/close", APPROVE, close::close)
        .api_get("/api/v1/cases/{id}/erasure", READ, erasure_get::get)
        .api_post("/api/v1/cases/{id}/erasure", W, erasure_request::ask)
        .api_post(
            "/api/v1/cases/{id}/erasure/{request}",
            APPROVE,
            erasure_decide::decide,
        )
        .api_get("/api/v1/cases/{id}/notes", READ, notes_get::get)
        .api_post("/api/v1/cases/{id}/notes", W, note_add::add)
        .api_post("/api/v1/cases/{id}/notes/{note}", W, note_correct::correct)
        .api_get("/api/v1/me/work", READ, work_get::get)
        .api_get("/api/v1/me/notifications", READ, notifications_get::get)
        .api_post(
            "/api/v1/me/notifications/read",
            READ,
            notifications_read::mark,
        )
        .api_get("/api/v1/returnees", READ, returnees_list::list)
        .api_post("/api/v1/returnees", W, returnee_register::register)
}
