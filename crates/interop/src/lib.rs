//! Homeward's formats: IATI 2.03 activity XML, HXL-tagged CSV, plain CSV and XLSX, in and
//! out, and the demo data set. Readers turn files into validated domain values and report
//! every problem with its file, row or element and field; writers take stored projects.

pub mod aggregate_table;
pub mod case_list;
pub mod csv_io;
pub mod demo;
pub mod export;
pub mod hxl;
pub mod iati;
pub mod problem;
pub mod rates;
mod rows;
pub mod survey;
pub mod table;
pub mod xlsx_io;

pub use problem::{ImportError, ImportReport, Problem};
