//! IATI 2.03 activity XML, out and in, mapped as DESIGN.md says.
//!
//! What IATI has no place for (IDF region, funding year, levels, the published status when
//! IATI needs an inferred one, the results framework without indicators) travels in one
//! extension element, `homeward:project`, which the schema allows at the end of an
//! activity. Homeward reads it back so its own files round-trip exactly; other tools
//! ignore it.

mod export;
mod import;
mod xml;

pub use export::{HOMEWARD_NS, IOM_ORG_REF, write_iati};
pub use import::{import_iati, read_iati};
