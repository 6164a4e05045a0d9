//! What an import reports when a file cannot be taken: every problem with its place in the
//! file (row, or activity and element), its field, and the reason. A failed import stores
//! nothing.

use std::fmt;

/// One thing wrong in a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// `row 3`, or `activity 2 (XM-DAC-47066-TC.0495), element recipient-country`.
    pub location: String,
    pub field: String,
    pub reason: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.field.is_empty() {
            write!(f, "{}: {}", self.location, self.reason)
        } else {
            write!(
                f,
                "{}, field {}: {}",
                self.location, self.field, self.reason
            )
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The file as a whole could not be read (missing, not CSV, not XML, no header...).
    #[error("{file}: {reason}")]
    File { file: String, reason: String },
    /// Some rows or activities are wrong; nothing was imported.
    #[error("{file}: nothing was imported; {} problem(s):\n{}", problems.len(), list(problems))]
    Problems {
        file: String,
        problems: Vec<Problem>,
    },
}

fn list(problems: &[Problem]) -> String {
    problems
        .iter()
        .map(|p| format!("  - {p}"))
        .collect::<Vec<_>>()
        .join("\n")
}

impl ImportError {
    pub fn file(file: &str, reason: impl Into<String>) -> Self {
        ImportError::File {
            file: file.to_owned(),
            reason: reason.into(),
        }
    }

    pub fn problems(&self) -> &[Problem] {
        match self {
            ImportError::Problems { problems, .. } => problems,
            ImportError::File { .. } => &[],
        }
    }
}

/// What an import did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ImportReport {
    pub created: usize,
    pub updated: usize,
}

/// Field errors of one row or activity as problems at `location`.
pub(crate) fn at(
    location: &str,
    errs: Vec<homeward_domain::FieldError>,
) -> impl Iterator<Item = Problem> + '_ {
    errs.into_iter().map(move |e| Problem {
        location: location.to_owned(),
        field: e.field,
        reason: e.reason,
    })
}

/// Saves what was read, once nothing was wrong with it: all projects in one transaction or
/// none. `location_of(i)` names the `i`th project's place in the file for a late conflict.
pub(crate) fn save_all(
    store: &homeward_store::Store,
    file: &str,
    problems: Vec<Problem>,
    projects: &[homeward_domain::project::Project],
    location_of: impl Fn(usize) -> String,
) -> Result<ImportReport, ImportError> {
    if !problems.is_empty() {
        return Err(ImportError::Problems {
            file: file.to_owned(),
            problems,
        });
    }
    if projects.is_empty() {
        return Err(ImportError::file(file, "there is no project in the file"));
    }
    store
        .save_projects(projects)
        .map(|c| ImportReport {
            created: c.created,
            updated: c.updated,
        })
        .map_err(|(i, e)| {
            let (field, reason) = match e {
                homeward_store::StoreError::Conflict { field, message } => (field, message),
                other => (String::new(), other.to_string()),
            };
            ImportError::Problems {
                file: file.to_owned(),
                problems: vec![Problem {
                    location: location_of(i),
                    field,
                    reason,
                }],
            }
        })
}
