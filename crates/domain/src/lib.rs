//! Homeward's domain: the types and rules of return and reintegration, with no I/O.
//!
//! Values are parsed once at the edge into newtypes that can only hold valid data
//! (`ProjectsId`, `PrimaId`, `CountryCode`, `Money`, `PartialDate`, `Email`), so the rest
//! of the program never re-checks them. The access policy lives here too ([`access`]): one
//! place decides who may see and do what.

#[macro_use]
mod code_enum;

pub mod access;
pub mod account;
pub mod audit;
pub mod case;
pub mod catalogue;
pub mod community;
pub mod country;
pub mod credentials;
pub mod currency;
pub mod dashboard;
pub mod date;
pub mod decimal;
pub mod disclosure;
pub mod error;
mod form;
pub mod ids;
pub mod indicator_binding;
pub mod merge;
pub mod money;
pub mod names;
pub mod project;
pub mod reintegration;
pub mod retention;
pub mod survey;
pub mod written_amount;

pub use country::CountryCode;
pub use currency::CurrencyCode;
pub use date::PartialDate;
pub use error::FieldError;
pub use ids::{PrimaId, ProjectsId};
pub use money::Money;
