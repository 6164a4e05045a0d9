//! The JSON API under `/api/v1`, one file per action, described by OpenAPI 3.1. Routes
//! are declared with their access rules in `crate::app`.

pub mod body;
pub mod case_assistance_get;
pub mod case_file;
pub mod case_get;
pub mod case_model;
pub mod case_parts;
pub mod case_payment_add;
pub mod case_plan_get;
pub mod case_plan_item_add;
pub mod case_receipt_add;
pub mod case_referral_add;
pub mod case_referrals_get;
pub mod case_survey_add;
pub mod case_surveys_get;
pub mod case_task_add;
pub mod case_tasks_get;
pub mod case_visit_add;
pub mod case_visits_get;
pub mod cases_list;
pub mod created;
pub mod me;
pub mod model;
pub mod openapi;
pub mod project_get;
pub mod projects_list;
pub mod returnee_register;
pub mod returnees_list;
pub mod stats;
