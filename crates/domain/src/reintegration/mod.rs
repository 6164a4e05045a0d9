//! The rules of individual reintegration: the stages of a case, packages and plans within
//! their cap, money given against them converted to USD at the day's rate, consent per
//! purpose, and tasks from rules. Pure; the store and pages build on these.

pub mod consent;
pub mod documents;
pub mod exchange;
pub mod forms;
pub mod notes;
pub mod notifications;
pub mod plan;
pub mod stage;
pub mod tasks;
