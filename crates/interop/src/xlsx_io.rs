//! The portfolio as an Excel workbook: one sheet, one project per row.

use crate::problem::{ImportError, ImportReport};
use crate::rows::{Row, header_columns, import_rows};
use crate::table::{COLUMNS, cells};
use calamine::{Data, Reader, Xlsx};
use homeward_domain::date::Ymd;
use homeward_domain::project::Project;
use homeward_store::Store;
use rust_xlsxwriter::{Format, Workbook};
use std::io::Cursor;

/// The workbook's bytes.
pub fn write_xlsx(projects: &[Project]) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("Projects")?;
    let bold = Format::new().set_bold();
    let wrap = Format::new().set_text_wrap();
    for (c, name) in COLUMNS.iter().enumerate() {
        sheet.write_string_with_format(0, c as u16, *name, &bold)?;
        let width = match *name {
            "title" | "summary" | "objective" | "outcomes" | "outputs" | "activities" => 50.0,
            _ => 16.0,
        };
        sheet.set_column_width(c as u16, width)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    for (r, p) in projects.iter().enumerate() {
        for (c, value) in cells(p).iter().enumerate() {
            let (row, col) = (r as u32 + 1, c as u16);
            match COLUMNS[c] {
                // Numbers stay numbers so a spreadsheet can add them up.
                "budget_usd" | "year" if !value.is_empty() => match value.parse::<f64>() {
                    Ok(n) => sheet.write_number(row, col, n)?,
                    Err(_) => sheet.write_string(row, col, value)?,
                },
                // Excel holds at most 32,767 characters in a cell.
                _ => sheet.write_string_with_format(row, col, fit_cell(value), &wrap)?,
            };
        }
    }
    book.save_to_buffer()
}

const MAX_CELL: usize = 32_767;

fn fit_cell(value: &str) -> String {
    if value.chars().count() <= MAX_CELL {
        value.to_owned()
    } else {
        value.chars().take(MAX_CELL - 1).chain(['…']).collect()
    }
}

/// A cell as the text a CSV would hold.
fn cell_text(d: &Data) -> String {
    match d {
        Data::Empty => String::new(),
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Int(i) => i.to_string(),
        Data::Bool(b) => b.to_string(),
        // Excel counts days from 1899-12-30; 25,569 of them reach 1970-01-01.
        Data::DateTime(dt) => Ymd::from_days(dt.as_f64().floor() as i64 - 25_569).to_string(),
        Data::Error(e) => format!("#{e:?}"),
    }
}

/// Reads the first sheet of a workbook into rows (row numbers as Excel shows them).
pub fn read_xlsx(file: &str, bytes: &[u8]) -> Result<Vec<Row>, ImportError> {
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes))
        .map_err(|e| ImportError::file(file, format!("not an Excel workbook (.xlsx): {e}")))?;
    let range = book
        .worksheet_range_at(0)
        .ok_or_else(|| ImportError::file(file, "the workbook has no sheet"))?
        .map_err(|e| ImportError::file(file, format!("the first sheet cannot be read: {e}")))?;
    let mut rows_iter = range.rows();
    let headers: Vec<String> = rows_iter
        .next()
        .ok_or_else(|| ImportError::file(file, "the first sheet is empty; it needs a header row"))?
        .iter()
        .map(cell_text)
        .collect();
    // Trailing empty header cells are formatting, not columns.
    let used = headers
        .iter()
        .rposition(|h| !h.trim().is_empty())
        .map_or(0, |i| i + 1);
    let cols = header_columns(file, &headers[..used])?;
    let first_row = range.start().map_or(0, |(r, _)| r as usize);
    let mut rows = Vec::new();
    for (i, r) in rows_iter.enumerate() {
        let texts: Vec<String> = r.iter().take(used).map(cell_text).collect();
        if texts.iter().all(|t| t.trim().is_empty()) {
            continue;
        }
        // Excel numbers rows from 1 and the header is the first.
        let line = first_row + i + 2;
        rows.push((line, cols.iter().copied().zip(texts).collect()));
    }
    Ok(rows)
}

pub fn import_xlsx(store: &Store, file: &str, bytes: &[u8]) -> Result<ImportReport, ImportError> {
    let rows = read_xlsx(file, bytes)?;
    import_rows(store, file, rows)
}
