//! A table of aggregates (a dashboard view's numbers, community and structural activities)
//! as CSV, as HXL-tagged CSV with a row of hashtags under the header for humanitarian tools
//! that read HXL, or as an Excel sheet. The cells come already withheld where small numbers
//! must be; text that a spreadsheet would run as a formula is guarded.

use crate::table::guard;

/// One column: its header and its HXL hashtag with attributes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    pub header: String,
    pub hxl: &'static str,
}

/// The table's bytes; `hxl` adds the hashtag row.
pub fn write_table(
    columns: &[Column],
    rows: &[Vec<String>],
    hxl: bool,
) -> Result<Vec<u8>, csv::Error> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(columns.iter().map(|c| c.header.as_str()))?;
    if hxl {
        w.write_record(columns.iter().map(|c| c.hxl))?;
    }
    for r in rows {
        w.write_record(r.iter().map(|c| cell(c)))?;
    }
    w.into_inner().map_err(|e| csv::Error::from(e.into_error()))
}

/// A cell as written: numbers as they are, text guarded against formulas.
fn cell(c: &str) -> String {
    if c.parse::<f64>().is_ok() {
        c.to_owned()
    } else {
        guard(c.to_owned())
    }
}

/// The table as an Excel workbook of one sheet named `sheet`: numbers stay numbers so a
/// spreadsheet can add them up.
pub fn write_table_xlsx(
    sheet_name: &str,
    columns: &[Column],
    rows: &[Vec<String>],
) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name(sheet_name)?;
    let bold = rust_xlsxwriter::Format::new().set_bold();
    for (c, col) in columns.iter().enumerate() {
        sheet.write_string_with_format(0, c as u16, &col.header, &bold)?;
        sheet.set_column_width(c as u16, 18.0)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            let (row, col) = (r as u32 + 1, c as u16);
            match v.parse::<f64>() {
                Ok(n) if !v.is_empty() => sheet.write_number(row, col, n)?,
                _ => sheet.write_string(row, col, guard(v.clone()))?,
            };
        }
    }
    book.save_to_buffer()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashtags_follow_the_header() {
        let cols = [
            Column {
                header: "Year".into(),
                hxl: "#date+year",
            },
            Column {
                header: "Returns".into(),
                hxl: "#affected+returnees+num",
            },
        ];
        let rows = vec![vec!["2013".to_owned(), "<5".to_owned()]];
        let text = String::from_utf8(write_table(&cols, &rows, true).expect("csv")).expect("utf-8");
        assert_eq!(
            text,
            "Year,Returns\n#date+year,#affected+returnees+num\n2013,<5\n"
        );
        let plain =
            String::from_utf8(write_table(&cols, &rows, false).expect("csv")).expect("utf-8");
        assert_eq!(plain, "Year,Returns\n2013,<5\n");
        let risky = vec![vec!["=HYPERLINK(1)".to_owned(), "-12.5".to_owned()]];
        let text =
            String::from_utf8(write_table(&cols, &risky, false).expect("csv")).expect("utf-8");
        assert_eq!(
            text, "Year,Returns\n'=HYPERLINK(1),-12.5\n",
            "formulas guarded, numbers kept"
        );
        let book = write_table_xlsx("Test", &cols, &rows).expect("xlsx");
        assert!(book.starts_with(b"PK"), "a zip container");
    }
}
