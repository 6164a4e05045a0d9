//! The portfolio as a table (one project per row), shared by CSV and XLSX: column names,
//! a project's cells, and a row back into a project draft.

use homeward_domain::project::{Output, Project, ProjectDraft};

/// Columns in the order files are written. Lists (outcomes, outputs, activities) hold one
/// item per line; codes (countries, levels) are separated by `;`.
pub const COLUMNS: &[&str] = &[
    "projects_id",
    "prima_id",
    "iati_identifier",
    "title",
    "project_type",
    "idf_region",
    "budget_usd",
    "year",
    "start_date",
    "end_date",
    "status",
    "coverage",
    "benefiting_member_states",
    "levels",
    "summary",
    "objective",
    "outcomes",
    "outputs",
    "activities",
    "implementing_office",
    "partners",
];

/// Other spellings a person's spreadsheet may use, such as the IDF pages' labels.
const ALIASES: &[(&str, &str)] = &[
    ("budget_amount_usd", "budget_usd"),
    ("budget", "budget_usd"),
    ("project_status", "status"),
    ("start", "start_date"),
    ("end", "end_date"),
    ("funding_year", "year"),
    ("region", "idf_region"),
    ("type", "project_type"),
    ("countries", "benefiting_member_states"),
];

/// The column a header cell names: case, spaces and punctuation do not matter.
pub fn column_for(header: &str) -> Option<&'static str> {
    let mut norm = String::new();
    for ch in header.trim().chars() {
        if ch.is_alphanumeric() {
            norm.extend(ch.to_lowercase());
        } else if !norm.ends_with('_') {
            norm.push('_');
        }
    }
    let norm = norm.trim_matches('_');
    COLUMNS
        .iter()
        .copied()
        .find(|c| *c == norm)
        .or_else(|| ALIASES.iter().find(|(a, _)| *a == norm).map(|(_, c)| *c))
}

fn lines(text: &str) -> Vec<String> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Spreadsheets run a cell starting with `=`, `+`, `-` or `@` as a formula; files we write
/// put a `'` before such text, and reading takes it off again.
pub fn guard(cell: String) -> String {
    if cell.starts_with(['=', '+', '-', '@']) {
        format!("'{cell}")
    } else {
        cell
    }
}

pub fn unguard(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@']) => rest,
        _ => cell,
    }
}

/// The cells of one project, in `COLUMNS` order.
pub fn cells(p: &Project) -> Vec<String> {
    let d = ProjectDraft::from(p);
    let r = &p.results;
    let outputs: Vec<&str> = r
        .outcomes
        .iter()
        .flat_map(|o| o.outputs.iter())
        .chain(r.outputs.iter())
        .map(|o| o.text.as_str())
        .collect();
    vec![
        d.projects_id,
        d.prima_id,
        d.iati_identifier,
        d.title,
        d.project_type,
        d.idf_region,
        d.budget_usd,
        d.year,
        d.start,
        d.end,
        d.status,
        d.coverage,
        d.member_states,
        d.levels,
        d.summary,
        d.objective,
        r.outcomes
            .iter()
            .map(|o| o.text.as_str())
            .collect::<Vec<_>>()
            .join("\n"),
        outputs.join("\n"),
        r.activities.join("\n"),
        d.implementing_office,
        d.partners,
    ]
}

/// Overwrites the draft's fields with the row's cells for the columns the file has.
/// Columns the file lacks keep the stored values. Results-framework columns replace the
/// outcomes, outputs or activities they name (indicators live in IATI files and the API).
pub fn apply(draft: &mut ProjectDraft, column: &str, value: &str) {
    let v = unguard(value.trim()).to_owned();
    match column {
        // An empty identifier cell keeps the stored identifier: a sheet keyed by Prima ID
        // must not erase the Projects ID.
        "projects_id" | "prima_id" | "iati_identifier" if v.is_empty() => {}
        "projects_id" => draft.projects_id = v,
        "prima_id" => draft.prima_id = v,
        "iati_identifier" => draft.iati_identifier = v,
        "title" => draft.title = v,
        "project_type" => draft.project_type = v,
        "idf_region" => draft.idf_region = v,
        "budget_usd" => draft.budget_usd = v,
        "year" => draft.year = v,
        "start_date" => draft.start = v,
        "end_date" => draft.end = v,
        "status" => draft.status = v,
        "coverage" => draft.coverage = v,
        "benefiting_member_states" => draft.member_states = v,
        "levels" => draft.levels = v,
        "summary" => draft.summary = v,
        "objective" => draft.objective = v,
        "outcomes" => {
            let texts = lines(&v);
            let old = std::mem::take(&mut draft.results.outcomes);
            // Keep the indicators and outputs of outcomes whose text did not change.
            draft.results.outcomes = texts
                .into_iter()
                .map(|t| {
                    old.iter().find(|o| o.text == t).cloned().unwrap_or(
                        homeward_domain::project::Outcome {
                            text: t,
                            ..Default::default()
                        },
                    )
                })
                .collect();
        }
        "outputs" => {
            let texts = lines(&v);
            for o in &mut draft.results.outcomes {
                o.outputs.retain(|x| texts.contains(&x.text));
            }
            let kept: Vec<String> = draft
                .results
                .outcomes
                .iter()
                .flat_map(|o| o.outputs.iter().map(|x| x.text.clone()))
                .collect();
            let old = std::mem::take(&mut draft.results.outputs);
            draft.results.outputs = texts
                .into_iter()
                .filter(|t| !kept.contains(t))
                .map(|t| {
                    old.iter().find(|o| o.text == t).cloned().unwrap_or(Output {
                        text: t,
                        indicators: vec![],
                    })
                })
                .collect();
        }
        "activities" => draft.results.activities = lines(&v),
        "implementing_office" => draft.implementing_office = v,
        "partners" => draft.partners = v,
        _ => {}
    }
}

/// The identifiers a row gives, to find the stored project it updates.
pub fn keys(row: &[(&'static str, String)]) -> Vec<String> {
    row.iter()
        .filter(|(c, v)| {
            matches!(*c, "projects_id" | "prima_id" | "iati_identifier") && !v.trim().is_empty()
        })
        .map(|(_, v)| v.trim().to_owned())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_match_loosely() {
        assert_eq!(column_for("Budget Amount (USD)"), Some("budget_usd"));
        assert_eq!(column_for(" Projects ID "), Some("projects_id"));
        assert_eq!(
            column_for("Benefiting Member States"),
            Some("benefiting_member_states")
        );
        assert_eq!(column_for("IDF Region"), Some("idf_region"));
        assert_eq!(column_for("Project Status"), Some("status"));
        assert_eq!(column_for("Budgte"), None);
    }
}
