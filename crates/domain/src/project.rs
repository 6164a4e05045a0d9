//! Portfolio projects: the IDF-style record with its results framework, and the rules a
//! project must satisfy before it is stored.

use crate::{CountryCode, FieldError, Money, PartialDate, PrimaId, ProjectsId};
use serde::{Deserialize, Serialize};

code_enum!(
    /// Where a project is in its life.
    ProjectStatus {
        Pipeline = "pipeline" / "Pipeline",
        Active = "active" / "Active",
        Completed = "completed" / "Completed",
        Cancelled = "cancelled" / "Cancelled",
        Suspended = "suspended" / "Suspended",
    }
);

code_enum!(
    /// How far a project reaches.
    Coverage {
        National = "national" / "National",
        Regional = "regional" / "Regional",
        Global = "global" / "Global",
    }
);

code_enum!(
    /// The levels of the Integrated Approach to Reintegration a project works at.
    Level {
        Individual = "individual" / "Individual",
        Community = "community" / "Community",
        Structural = "structural" / "Structural",
    }
);

/// A measurable sign of progress with its baseline, target and what was achieved.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Indicator {
    pub text: String,
    pub unit: Option<String>,
    pub baseline: Option<f64>,
    pub target: Option<f64>,
    pub achieved: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Output {
    pub text: String,
    pub indicators: Vec<Indicator>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Outcome {
    pub text: String,
    pub outputs: Vec<Output>,
    pub indicators: Vec<Indicator>,
}

/// Objective → outcomes → outputs → indicators. Published records sometimes list outputs
/// without saying which outcome they serve; those stay in `outputs`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct ResultsFramework {
    pub outcomes: Vec<Outcome>,
    pub outputs: Vec<Output>,
    /// Planned activities, as some records publish them instead of outputs.
    pub activities: Vec<String>,
}

impl ResultsFramework {
    pub fn is_empty(&self) -> bool {
        self.outcomes.is_empty() && self.outputs.is_empty() && self.activities.is_empty()
    }
}

/// A validated portfolio project. Build one with [`ProjectDraft::validate`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Project {
    pub projects_id: Option<ProjectsId>,
    pub prima_id: Option<PrimaId>,
    /// The IATI identifier of an activity imported from another publisher, which has
    /// neither a Projects ID nor a Prima ID.
    pub iati_identifier: Option<String>,
    pub title: String,
    pub project_type: Option<String>,
    pub idf_region: Option<String>,
    pub budget: Option<Money>,
    /// Year of funding.
    pub year: Option<i32>,
    pub start: Option<PartialDate>,
    pub end: Option<PartialDate>,
    pub status: Option<ProjectStatus>,
    pub coverage: Option<Coverage>,
    pub member_states: Vec<CountryCode>,
    pub levels: Vec<Level>,
    pub summary: String,
    pub objective: String,
    pub results: ResultsFramework,
    pub implementing_office: Option<String>,
    pub partners: Vec<String>,
}

impl Project {
    /// The identifier used in URLs: the Projects ID, else the Prima ID, else the IATI
    /// identifier.
    pub fn public_id(&self) -> String {
        match (&self.projects_id, &self.prima_id, &self.iati_identifier) {
            (Some(p), _, _) => p.to_string(),
            (None, Some(p), _) => p.to_string(),
            (None, None, Some(i)) => i.clone(),
            (None, None, None) => String::new(),
        }
    }
}

/// A project as typed by a person or read from a file: every field still text, so that
/// every problem can be reported at once with the field it belongs to.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ProjectDraft {
    pub projects_id: String,
    pub prima_id: String,
    pub iati_identifier: String,
    pub title: String,
    pub project_type: String,
    pub idf_region: String,
    pub budget_usd: String,
    pub year: String,
    pub start: String,
    pub end: String,
    pub status: String,
    pub coverage: String,
    /// Codes separated by `;`, `,` or spaces.
    pub member_states: String,
    /// Levels separated by `;`, `,` or spaces.
    pub levels: String,
    pub summary: String,
    pub objective: String,
    pub results: ResultsFramework,
    pub implementing_office: String,
    /// Names separated by `;`.
    pub partners: String,
}

/// Field names as they appear in forms, CSV headers and error messages.
pub mod field {
    pub const PROJECTS_ID: &str = "projects_id";
    pub const PRIMA_ID: &str = "prima_id";
    pub const IATI_IDENTIFIER: &str = "iati_identifier";
    pub const TITLE: &str = "title";
    pub const PROJECT_TYPE: &str = "project_type";
    pub const IDF_REGION: &str = "idf_region";
    pub const BUDGET_USD: &str = "budget_usd";
    pub const YEAR: &str = "year";
    pub const START: &str = "start_date";
    pub const END: &str = "end_date";
    pub const STATUS: &str = "status";
    pub const COVERAGE: &str = "coverage";
    pub const MEMBER_STATES: &str = "benefiting_member_states";
    pub const LEVELS: &str = "levels";
    pub const SUMMARY: &str = "summary";
    pub const OBJECTIVE: &str = "objective";
    pub const IMPLEMENTING_OFFICE: &str = "implementing_office";
    pub const PARTNERS: &str = "partners";
}

fn opt(s: &str) -> Option<&str> {
    let t = s.trim();
    (!t.is_empty()).then_some(t)
}

fn list(s: &str) -> impl Iterator<Item = &str> {
    s.split([';', ',', ' ', '\n', '\t'])
        .map(str::trim)
        .filter(|t| !t.is_empty())
}

/// Longest title we accept; the IDF's longest is about a hundred characters.
pub const MAX_TITLE: usize = 300;
/// Longest text field (summary, objective).
pub const MAX_TEXT: usize = 20_000;

impl ProjectDraft {
    /// Checks every field and returns the project, or every problem found.
    pub fn validate(&self) -> Result<Project, Vec<FieldError>> {
        use field::*;
        let mut errs = Vec::new();
        let mut parse = |name: &str, text: &str, f: &dyn Fn(&str) -> Result<(), String>| {
            if let Some(t) = opt(text)
                && let Err(e) = f(t)
            {
                errs.push(FieldError::new(name, e));
            }
        };
        // Run each parser once for its error, then again for its value: cheap, and keeps
        // the error collection in one place.
        parse(PROJECTS_ID, &self.projects_id, &|t| {
            t.parse::<ProjectsId>().map(drop)
        });
        parse(PRIMA_ID, &self.prima_id, &|t| {
            t.parse::<PrimaId>().map(drop)
        });
        parse(BUDGET_USD, &self.budget_usd, &|t| {
            let m = Money::parse(t, crate::CurrencyCode::USD)?;
            if m.minor < 0 {
                return Err("a budget cannot be negative".into());
            }
            Ok(())
        });
        parse(YEAR, &self.year, &|t| match t.parse::<i32>() {
            Ok(y) if (1950..=2200).contains(&y) => Ok(()),
            _ => Err(format!("{t:?} is not a year between 1950 and 2200")),
        });
        parse(START, &self.start, &|t| t.parse::<PartialDate>().map(drop));
        parse(END, &self.end, &|t| t.parse::<PartialDate>().map(drop));
        parse(STATUS, &self.status, &|t| {
            t.parse::<ProjectStatus>().map(drop)
        });
        parse(COVERAGE, &self.coverage, &|t| {
            t.parse::<Coverage>().map(drop)
        });
        for code in list(&self.member_states) {
            if let Err(e) = code.parse::<CountryCode>() {
                errs.push(FieldError::new(MEMBER_STATES, e));
            }
        }
        for l in list(&self.levels) {
            if let Err(e) = l.parse::<Level>() {
                errs.push(FieldError::new(LEVELS, e));
            }
        }

        let title = self.title.trim();
        if title.is_empty() {
            errs.push(FieldError::new(TITLE, "a project needs a title"));
        } else if title.chars().count() > MAX_TITLE {
            errs.push(FieldError::new(
                TITLE,
                format!("longer than {MAX_TITLE} characters"),
            ));
        }
        for (name, text) in [(SUMMARY, &self.summary), (OBJECTIVE, &self.objective)] {
            if text.chars().count() > MAX_TEXT {
                errs.push(FieldError::new(
                    name,
                    format!("longer than {MAX_TEXT} characters"),
                ));
            }
        }
        if opt(&self.projects_id).is_none()
            && opt(&self.prima_id).is_none()
            && opt(&self.iati_identifier).is_none()
        {
            errs.push(FieldError::new(
                PROJECTS_ID,
                "a project needs a Projects ID, a Prima ID or an IATI identifier",
            ));
        }
        if let Some(i) = opt(&self.iati_identifier)
            && (i.len() > 200
                || i.contains(['/', '?', '#', '<', '>', '"'])
                || i.contains(char::is_whitespace))
        {
            errs.push(FieldError::new(
                IATI_IDENTIFIER,
                format!("{i:?} is not an IATI identifier (no spaces, slashes or quotes, at most 200 characters)"),
            ));
        }

        let start = opt(&self.start).and_then(|t| t.parse::<PartialDate>().ok());
        let end = opt(&self.end).and_then(|t| t.parse::<PartialDate>().ok());
        if let (Some(s), Some(e)) = (start, end)
            && e.last_day() < s.first_day()
        {
            errs.push(FieldError::new(
                END,
                format!("the end ({e}) is before the start ({s})"),
            ));
        }
        if !errs.is_empty() {
            return Err(errs);
        }

        let mut member_states: Vec<CountryCode> = list(&self.member_states)
            .filter_map(|c| c.parse().ok())
            .collect();
        dedup_keep_order(&mut member_states);
        let mut levels: Vec<Level> = list(&self.levels).filter_map(|l| l.parse().ok()).collect();
        levels.sort();
        levels.dedup();
        Ok(Project {
            projects_id: opt(&self.projects_id).and_then(|t| t.parse().ok()),
            prima_id: opt(&self.prima_id).and_then(|t| t.parse().ok()),
            iati_identifier: opt(&self.iati_identifier).map(str::to_owned),
            title: title.to_owned(),
            project_type: opt(&self.project_type).map(str::to_owned),
            idf_region: opt(&self.idf_region).map(str::to_owned),
            budget: opt(&self.budget_usd)
                .and_then(|t| Money::parse(t, crate::CurrencyCode::USD).ok()),
            year: opt(&self.year).and_then(|t| t.parse().ok()),
            start,
            end,
            status: opt(&self.status).and_then(|t| t.parse().ok()),
            coverage: opt(&self.coverage).and_then(|t| t.parse().ok()),
            member_states,
            levels,
            summary: self.summary.trim().to_owned(),
            objective: self.objective.trim().to_owned(),
            results: self.results.clone(),
            implementing_office: opt(&self.implementing_office).map(str::to_owned),
            partners: self
                .partners
                .split(';')
                .map(str::trim)
                .filter(|p| !p.is_empty())
                .map(str::to_owned)
                .collect(),
        })
    }
}

fn dedup_keep_order<T: PartialEq + Copy>(v: &mut Vec<T>) {
    let mut seen = Vec::with_capacity(v.len());
    v.retain(|x| {
        if seen.contains(x) {
            false
        } else {
            seen.push(*x);
            true
        }
    });
}

impl From<&Project> for ProjectDraft {
    fn from(p: &Project) -> Self {
        let join = |v: Vec<String>, sep: &str| v.join(sep);
        ProjectDraft {
            iati_identifier: p.iati_identifier.clone().unwrap_or_default(),
            projects_id: p
                .projects_id
                .as_ref()
                .map(|i| i.to_string())
                .unwrap_or_default(),
            prima_id: p
                .prima_id
                .as_ref()
                .map(|i| i.to_string())
                .unwrap_or_default(),
            title: p.title.clone(),
            project_type: p.project_type.clone().unwrap_or_default(),
            idf_region: p.idf_region.clone().unwrap_or_default(),
            budget_usd: p.budget.map(|m| m.to_decimal_string()).unwrap_or_default(),
            year: p.year.map(|y| y.to_string()).unwrap_or_default(),
            start: p.start.map(|d| d.to_string()).unwrap_or_default(),
            end: p.end.map(|d| d.to_string()).unwrap_or_default(),
            status: p.status.map(|s| s.code().to_owned()).unwrap_or_default(),
            coverage: p.coverage.map(|c| c.code().to_owned()).unwrap_or_default(),
            member_states: join(p.member_states.iter().map(|c| c.to_string()).collect(), ";"),
            levels: join(p.levels.iter().map(|l| l.code().to_owned()).collect(), ";"),
            summary: p.summary.clone(),
            objective: p.objective.clone(),
            results: p.results.clone(),
            implementing_office: p.implementing_office.clone().unwrap_or_default(),
            partners: p.partners.join("; "),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn albania() -> ProjectDraft {
        ProjectDraft {
            projects_id: "TC.0495".into(),
            title: "Return Migration to Albania".into(),
            budget_usd: "100000.00".into(),
            year: "2012".into(),
            start: "2012".into(),
            end: "2014".into(),
            status: "Completed".into(),
            coverage: "National".into(),
            member_states: "AL".into(),
            levels: "structural".into(),
            ..Default::default()
        }
    }

    #[test]
    fn a_published_record_validates() {
        let p = albania().validate().unwrap();
        assert_eq!(p.public_id(), "TC.0495");
        assert_eq!(p.status, Some(ProjectStatus::Completed));
        assert_eq!(p.budget.unwrap().minor, 10_000_000);
        assert_eq!(p.start.unwrap().to_string(), "2012");
        assert_eq!(p.member_states[0].as_str(), "AL");
    }

    #[test]
    fn every_problem_is_reported_with_its_field() {
        let draft = ProjectDraft {
            projects_id: "TC495".into(),
            budget_usd: "-5".into(),
            status: "finished".into(),
            member_states: "AL;XX".into(),
            start: "2014".into(),
            end: "2012".into(),
            ..Default::default()
        };
        let errs = draft.validate().unwrap_err();
        let fields: Vec<&str> = errs.iter().map(|e| e.field.as_str()).collect();
        for f in [
            "projects_id",
            "budget_usd",
            "status",
            "benefiting_member_states",
            "title",
            "end_date",
        ] {
            assert!(fields.contains(&f), "{f} missing from {fields:?}");
        }
    }

    #[test]
    fn needs_one_identifier() {
        let draft = ProjectDraft {
            title: "x".into(),
            ..Default::default()
        };
        let errs = draft.validate().unwrap_err();
        assert_eq!(errs[0].field, "projects_id");
    }

    #[test]
    fn draft_round_trips() {
        let p = albania().validate().unwrap();
        let again = ProjectDraft::from(&p).validate().unwrap();
        assert_eq!(p, again);
    }
}
