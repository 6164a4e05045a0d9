//! Homeward's domain: the types and rules of return and reintegration, with no I/O.
//!
//! Values are parsed once at the edge into newtypes that can only hold valid data
//! (`ProjectsId`, `PrimaId`, `CountryCode`, `Money`, `PartialDate`), so the rest of the
//! program never re-checks them.

pub mod catalogue;
pub mod country;
pub mod currency;
pub mod date;
pub mod error;
pub mod ids;
pub mod money;
pub mod project;

pub use country::CountryCode;
pub use currency::CurrencyCode;
pub use date::PartialDate;
pub use error::FieldError;
pub use ids::{PrimaId, ProjectsId};
pub use money::Money;
