//! Importing a table of projects (from CSV or XLSX): map the header, merge each row into
//! the stored project it names, validate everything, then save all in one transaction or
//! nothing.

use crate::problem::{ImportError, ImportReport, Problem, at, save_all};
use crate::table::{COLUMNS, apply, column_for, keys};
use homeward_domain::project::{Project, ProjectDraft};
use homeward_store::Store;
use std::collections::HashMap;

/// One row: the line or row number a person sees in the file, and its cells by column.
pub type Row = (usize, Vec<(&'static str, String)>);

/// The column of each header cell, or an error naming the cells that are not columns.
pub fn header_columns(file: &str, headers: &[String]) -> Result<Vec<&'static str>, ImportError> {
    let mut cols = Vec::new();
    let mut bad = Vec::new();
    for (i, h) in headers.iter().enumerate() {
        match column_for(h) {
            Some(c) if cols.contains(&c) => {
                bad.push(format!("column {} ({h:?}) repeats {c}", i + 1))
            }
            Some(c) => cols.push(c),
            None if h.trim().is_empty() => bad.push(format!("column {} has no header", i + 1)),
            None => bad.push(format!("column {} ({h:?}) is not a known field", i + 1)),
        }
    }
    if !bad.is_empty() {
        return Err(ImportError::file(
            file,
            format!(
                "the header row is wrong: {}. Known fields: {}",
                bad.join("; "),
                COLUMNS.join(", ")
            ),
        ));
    }
    if !cols
        .iter()
        .any(|c| matches!(*c, "projects_id" | "prima_id" | "iati_identifier"))
    {
        return Err(ImportError::file(
            file,
            "the header row needs a projects_id, prima_id or iati_identifier column",
        ));
    }
    Ok(cols)
}

/// Validates every row against what is stored, then saves them all or none.
pub fn import_rows(store: &Store, file: &str, rows: Vec<Row>) -> Result<ImportReport, ImportError> {
    let mut problems = Vec::new();
    let mut projects: Vec<(usize, Project)> = Vec::new();
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (line, cells) in rows {
        let location = format!("row {line}");
        let mut draft = ProjectDraft::default();
        for key in keys(&cells) {
            match store.project(&key) {
                Ok(Some(stored)) => {
                    draft = ProjectDraft::from(&stored.project);
                    break;
                }
                Ok(None) => {}
                Err(e) => return Err(ImportError::file(file, e.to_string())),
            }
        }
        for (col, value) in &cells {
            apply(&mut draft, col, value);
        }
        match draft.validate() {
            Ok(p) => {
                let mut dup = false;
                for id in [
                    p.projects_id.as_ref().map(|i| i.to_string()),
                    p.prima_id.as_ref().map(|i| i.to_string()),
                    p.iati_identifier.clone(),
                ]
                .into_iter()
                .flatten()
                {
                    if let Some(first) = seen.insert(id.clone(), line) {
                        problems.push(Problem {
                            location: location.clone(),
                            field: String::new(),
                            reason: format!("{id} is already in row {first} of this file"),
                        });
                        dup = true;
                    }
                }
                if !dup {
                    projects.push((line, p));
                }
            }
            Err(errs) => problems.extend(at(&location, errs)),
        }
    }
    let lines: Vec<usize> = projects.iter().map(|(l, _)| *l).collect();
    let list: Vec<Project> = projects.into_iter().map(|(_, p)| p).collect();
    save_all(store, file, problems, &list, |i| {
        format!("row {}", lines.get(i).copied().unwrap_or(0))
    })
}
