//! The portfolio as an HXL-tagged CSV for humanitarian data tools: a row of labels, a row
//! of hashtags, then one project per row. Aggregates only: no personal data ever goes here.

use homeward_domain::project::Project;
use std::io::Write;

/// Label and HXL hashtag of each column.
pub const HXL_COLUMNS: &[(&str, &str)] = &[
    ("Projects ID", "#activity+project+code"),
    ("Title", "#activity+project+name"),
    ("Project type", "#sector"),
    ("IDF region", "#region"),
    ("Benefiting member states", "#country+code"),
    ("Status", "#status"),
    ("Start date", "#date+start"),
    ("End date", "#date+end"),
    ("Budget (USD)", "#value+budget+c_usd"),
    ("Prima ID", "#meta+id"),
];

pub fn write_hxl<W: Write>(out: W, projects: &[Project]) -> Result<(), std::io::Error> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record(HXL_COLUMNS.iter().map(|(label, _)| *label))?;
    w.write_record(HXL_COLUMNS.iter().map(|(_, tag)| *tag))?;
    for p in projects {
        let row = [
            p.projects_id
                .as_ref()
                .map(|i| i.to_string())
                .or_else(|| p.iati_identifier.clone())
                .unwrap_or_default(),
            p.title.clone(),
            p.project_type.clone().unwrap_or_default(),
            p.idf_region.clone().unwrap_or_default(),
            p.member_states
                .iter()
                .map(|c| c.as_str())
                .collect::<Vec<_>>()
                .join(" "),
            p.status.map(|s| s.code().to_owned()).unwrap_or_default(),
            p.start.map(|d| d.to_string()).unwrap_or_default(),
            p.end.map(|d| d.to_string()).unwrap_or_default(),
            p.budget.map(|b| b.to_decimal_string()).unwrap_or_default(),
            p.prima_id
                .as_ref()
                .map(|i| i.to_string())
                .unwrap_or_default(),
        ];
        w.write_record(row.into_iter().map(crate::table::guard))?;
    }
    w.flush()
}
