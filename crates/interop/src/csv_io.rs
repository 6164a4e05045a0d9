//! The portfolio as CSV: one project per row under a header of field names.

use crate::problem::{ImportError, ImportReport};
use crate::rows::{Row, header_columns, import_rows};
use crate::table::{COLUMNS, cells, guard};
use homeward_domain::project::Project;
use homeward_store::Store;
use std::io::Write;

/// Writes the projects as CSV (UTF-8, comma-separated, header first).
pub fn write_csv<W: Write>(out: W, projects: &[Project]) -> Result<(), std::io::Error> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record(COLUMNS)?;
    for p in projects {
        w.write_record(cells(p).into_iter().map(guard))?;
    }
    w.flush()
}

/// Reads CSV bytes into rows; `file` names the file in messages.
pub fn read_csv(file: &str, bytes: &[u8]) -> Result<Vec<Row>, ImportError> {
    let text = std::str::from_utf8(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes))
        .map_err(|e| ImportError::file(file, format!("the file is not UTF-8 text ({e})")))?;
    let mut r = csv::ReaderBuilder::new()
        .flexible(false)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = r
        .headers()
        .map_err(|e| ImportError::file(file, format!("the header row cannot be read: {e}")))?
        .iter()
        .map(str::to_owned)
        .collect();
    let cols = header_columns(file, &headers)?;
    let mut rows = Vec::new();
    for (i, rec) in r.records().enumerate() {
        let rec = rec.map_err(|e| {
            let line = e.position().map_or(i + 2, |p| p.line() as usize);
            ImportError::file(file, format!("row {line}: {e}"))
        })?;
        if rec.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let line = rec.position().map_or(i + 2, |p| p.line() as usize);
        rows.push((
            line,
            cols.iter()
                .copied()
                .zip(rec.iter().map(str::to_owned))
                .collect(),
        ));
    }
    Ok(rows)
}

/// Imports a CSV file of projects: all rows or none.
pub fn import_csv(store: &Store, file: &str, bytes: &[u8]) -> Result<ImportReport, ImportError> {
    let rows = read_csv(file, bytes)?;
    import_rows(store, file, rows)
}
