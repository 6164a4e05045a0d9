//! Retention, for administrators: each office's term, a case's own term or hold with its
//! reason, and the schedule of what is due, coming and held, with the last daily runs;
//! and the record of processing generated from the installation.

pub mod processing;
pub mod routes;
pub mod schedule;
