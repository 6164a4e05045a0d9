//! A list of cases as a table, for CSV and XLSX exports: the columns a reader may see,
//! sensitive ones only filled where the policy let the store load them.

use homeward_store::cases::CaseView;
use rust_xlsxwriter::{Format, Workbook};
use std::collections::HashMap;

/// The columns of a case list, in order.
pub const COLUMNS: &[&str] = &[
    "reference",
    "given_name",
    "family_name",
    "sex",
    "birth_date",
    "nationality",
    "return_country",
    "return_area",
    "return_place",
    "owning_office",
    "stage",
    "arrived_on",
    "closed_on",
    "vulnerabilities",
    "health_notes",
];

/// One case's cells; `offices` names office ids.
pub fn cells(c: &CaseView, offices: &HashMap<i64, String>) -> Vec<String> {
    let (vuln, health) = match &c.sensitive {
        Some(s) => (
            s.vulnerabilities
                .iter()
                .map(|v| v.code())
                .collect::<Vec<_>>()
                .join(";"),
            s.health_notes.clone(),
        ),
        None => (String::new(), String::new()),
    };
    [
        c.reference.clone(),
        c.given_name.clone(),
        c.family_name.clone(),
        c.sex.clone(),
        c.birth_date.clone().unwrap_or_default(),
        c.nationality.clone(),
        c.details.return_country.as_str().to_owned(),
        c.details.return_area.clone(),
        c.details.return_place.clone(),
        offices
            .get(&c.owning_office_id)
            .cloned()
            .unwrap_or_default(),
        c.status.clone(),
        c.arrived_on.clone().unwrap_or_default(),
        c.closed_on.clone().unwrap_or_default(),
        vuln,
        health,
    ]
    // Cells a spreadsheet would run as formulas get a leading quote.
    .map(crate::table::guard)
    .to_vec()
}

/// The list as CSV.
pub fn write_csv(cases: &[CaseView], offices: &HashMap<i64, String>) -> Result<Vec<u8>, String> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(COLUMNS).map_err(|e| e.to_string())?;
    for c in cases {
        w.write_record(cells(c, offices))
            .map_err(|e| e.to_string())?;
    }
    w.into_inner().map_err(|e| e.to_string())
}

/// The list as an Excel workbook.
pub fn write_xlsx(cases: &[CaseView], offices: &HashMap<i64, String>) -> Result<Vec<u8>, String> {
    let e = |x: rust_xlsxwriter::XlsxError| x.to_string();
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("Cases").map_err(e)?;
    let bold = Format::new().set_bold();
    for (i, name) in COLUMNS.iter().enumerate() {
        sheet
            .write_string_with_format(0, i as u16, *name, &bold)
            .map_err(e)?;
        sheet.set_column_width(i as u16, 16.0).map_err(e)?;
    }
    sheet.set_freeze_panes(1, 0).map_err(e)?;
    for (r, c) in cases.iter().enumerate() {
        for (i, v) in cells(c, offices).iter().enumerate() {
            sheet.write_string(r as u32 + 1, i as u16, v).map_err(e)?;
        }
    }
    book.save_to_buffer().map_err(e)
}
