//! Reading IATI 2.03 activity files from any publisher: unknown elements are ignored,
//! missing optional ones tolerated; Homeward's own extension, when present, restores what
//! IATI cannot carry.

use super::export::IOM_ORG_REF;
use super::xml::{Element, parse};
use crate::problem::{ImportError, ImportReport, Problem, at, save_all};
use homeward_domain::project::{
    Indicator, Outcome, Output, Project, ProjectDraft, ResultsFramework,
};
use homeward_domain::{CountryCode, CurrencyCode, Money, PrimaId, ProjectsId};
use homeward_store::Store;

fn problem(location: &str, el: &Element, field: &str, reason: impl Into<String>) -> Problem {
    Problem {
        location: format!("{location}, line {}, element {}", el.line, el.name),
        field: field.to_owned(),
        reason: reason.into(),
    }
}

fn status_of(code: &str) -> Option<&'static str> {
    Some(match code {
        "1" => "pipeline",
        "2" => "active",
        "3" | "4" => "completed",
        "5" => "cancelled",
        "6" => "suspended",
        _ => return None,
    })
}

fn coverage_of(scope: &str) -> Option<&'static str> {
    Some(match scope {
        "1" => "global",
        "2" | "3" => "regional",
        "4" | "5" | "6" | "7" | "8" => "national",
        _ => return None,
    })
}

fn number(el: &Element, name: &str, location: &str, problems: &mut Vec<Problem>) -> Option<f64> {
    let v = el.attr(name)?;
    match v.parse::<f64>() {
        Ok(n) if n.is_finite() => Some(n),
        _ => {
            problems.push(problem(
                location,
                el,
                name,
                format!("{v:?} is not a number"),
            ));
            None
        }
    }
}

fn ext_indicator(el: &Element, location: &str, problems: &mut Vec<Problem>) -> Indicator {
    Indicator {
        text: el.text.trim().to_owned(),
        unit: el.attr("unit").map(str::to_owned),
        baseline: number(el, "baseline", location, problems),
        target: number(el, "target", location, problems),
        achieved: number(el, "achieved", location, problems),
    }
}

fn ext_output(el: &Element, location: &str, problems: &mut Vec<Problem>) -> Output {
    Output {
        text: el.attr("text").unwrap_or_default().to_owned(),
        indicators: el
            .all("homeward:indicator")
            .map(|i| ext_indicator(i, location, problems))
            .collect(),
    }
}

/// Results from standard `<result>` elements, for activities without our extension.
fn iati_results(act: &Element, location: &str, problems: &mut Vec<Problem>) -> ResultsFramework {
    let mut r = ResultsFramework::default();
    for res in act.all("result") {
        let Some(title) = res.first("title").and_then(Element::narrative) else {
            continue;
        };
        let indicators = res
            .all("indicator")
            .map(|i| {
                let period = i.first("period");
                Indicator {
                    text: i
                        .first("title")
                        .and_then(Element::narrative)
                        .unwrap_or_default(),
                    unit: None,
                    baseline: i
                        .first("baseline")
                        .and_then(|b| number(b, "value", location, problems)),
                    target: period
                        .and_then(|p| p.first("target"))
                        .and_then(|t| number(t, "value", location, problems)),
                    achieved: period
                        .and_then(|p| p.first("actual"))
                        .and_then(|t| number(t, "value", location, problems)),
                }
            })
            .collect();
        match res.attr("type") {
            Some("1") => r.outputs.push(Output {
                text: title,
                indicators,
            }),
            _ => r.outcomes.push(Outcome {
                text: title,
                indicators,
                outputs: vec![],
            }),
        }
    }
    r
}

/// One activity into a draft, or the problems that stop it.
fn activity(act: &Element, n: usize, problems: &mut Vec<Problem>) -> Option<ProjectDraft> {
    let before = problems.len();
    let ident = act
        .first("iati-identifier")
        .map(|i| i.text.trim().to_owned())
        .filter(|t| !t.is_empty());
    let location = match &ident {
        Some(i) => format!("activity {n} ({i})"),
        None => format!("activity {n}"),
    };
    let Some(ident) = ident else {
        problems.push(problem(
            &location,
            act,
            "iati-identifier",
            "every activity needs an iati-identifier",
        ));
        return None;
    };
    let mut d = ProjectDraft::default();
    // Our own activities are `XM-DAC-47066-<Projects ID or Prima ID>`.
    let suffix = ident
        .strip_prefix(IOM_ORG_REF)
        .and_then(|s| s.strip_prefix('-'))
        .unwrap_or("");
    if suffix.parse::<ProjectsId>().is_ok() {
        d.projects_id = suffix.to_owned();
    } else if suffix.parse::<PrimaId>().is_ok() {
        d.prima_id = suffix.to_owned();
    } else {
        d.iati_identifier = ident.clone();
    }
    for o in act.all("other-identifier") {
        if o.attr("type") == Some("A1")
            && let Some(r) = o.attr("ref")
        {
            match r.parse::<PrimaId>() {
                Ok(_) => d.prima_id = r.to_owned(),
                // Other publishers' A1 identifiers are their own; keep the IATI one.
                Err(_) if d.iati_identifier.is_empty() && d.projects_id.is_empty() => {
                    d.iati_identifier = ident.clone()
                }
                Err(_) => {}
            }
        }
    }
    match act.first("title").and_then(Element::narrative) {
        Some(t) => d.title = t,
        None => problems.push(problem(
            &location,
            act,
            "title",
            "the activity has no title narrative",
        )),
    }
    for desc in act.all("description") {
        let text = desc.narrative().unwrap_or_default();
        match desc.attr("type").unwrap_or("1") {
            "1" if d.summary.is_empty() => d.summary = text,
            "2" if d.objective.is_empty() => d.objective = text,
            _ => {}
        }
    }
    if let Some(s) = act.first("activity-status") {
        match s.attr("code").and_then(status_of) {
            Some(code) => d.status = code.to_owned(),
            None => problems.push(problem(
                &location,
                s,
                "code",
                format!(
                    "{:?} is not an ActivityStatus code",
                    s.attr("code").unwrap_or("")
                ),
            )),
        }
    }
    let mut dates: [Option<String>; 5] = Default::default();
    for date in act.all("activity-date") {
        let t = date
            .attr("type")
            .and_then(|t| t.parse::<usize>().ok())
            .filter(|t| (1..=4).contains(t));
        match (t, date.attr("iso-date")) {
            (Some(t), Some(iso)) => match iso.parse::<homeward_domain::PartialDate>() {
                Ok(_) => dates[t] = Some(iso.split('T').next().unwrap_or(iso).to_owned()),
                Err(e) => problems.push(problem(&location, date, "iso-date", e)),
            },
            (None, _) => problems.push(problem(
                &location,
                date,
                "type",
                "an activity-date type must be 1, 2, 3 or 4",
            )),
            (_, None) => problems.push(problem(
                &location,
                date,
                "iso-date",
                "an activity-date needs an iso-date",
            )),
        }
    }
    d.start = dates[2].clone().or(dates[1].clone()).unwrap_or_default();
    d.end = dates[4].clone().or(dates[3].clone()).unwrap_or_default();
    if let Some(scope) = act.first("activity-scope") {
        match scope.attr("code").and_then(coverage_of) {
            Some(c) => d.coverage = c.to_owned(),
            None => problems.push(problem(
                &location,
                scope,
                "code",
                "not an ActivityScope code",
            )),
        }
    }
    let mut countries = Vec::new();
    for rc in act.all("recipient-country") {
        match rc.attr("code").map(|c| (c, c.parse::<CountryCode>())) {
            Some((_, Ok(c))) => countries.push(c.to_string()),
            Some((_, Err(e))) => problems.push(problem(&location, rc, "code", e)),
            None => problems.push(problem(
                &location,
                rc,
                "code",
                "a recipient-country needs a code",
            )),
        }
    }
    d.member_states = countries.join(";");
    for s in act.all("sector") {
        if s.attr("vocabulary") == Some("99")
            && let Some(t) = s.narrative()
        {
            d.project_type = t;
        }
    }
    // The budget in USD: the sum of the budgets, original ones preferred over revised.
    let default_currency = act.attr("default-currency").unwrap_or("USD");
    let budgets: Vec<&Element> = act.all("budget").collect();
    let original: Vec<&&Element> = budgets
        .iter()
        .filter(|b| b.attr("type") != Some("2"))
        .collect();
    let mut total: i64 = 0;
    let mut usd_seen = false;
    for b in original {
        let Some(v) = b.first("value") else { continue };
        let currency = v.attr("currency").unwrap_or(default_currency);
        match currency.parse::<CurrencyCode>() {
            Ok(c) if c == CurrencyCode::USD => match Money::parse(&v.text, c) {
                Ok(m) => {
                    total = total.saturating_add(m.minor);
                    usd_seen = true;
                }
                Err(e) => problems.push(problem(&location, v, "value", e)),
            },
            // Homeward keeps budgets in USD; without an exchange rate another currency
            // is left out rather than guessed.
            Ok(_) => {}
            Err(e) => problems.push(problem(&location, v, "currency", e)),
        }
    }
    if usd_seen {
        d.budget_usd = Money::new(total, CurrencyCode::USD).to_decimal_string();
    }
    d.partners = act
        .all("participating-org")
        .filter(|o| o.attr("role") == Some("4") && o.attr("ref") != Some(IOM_ORG_REF))
        .filter_map(Element::narrative)
        .collect::<Vec<_>>()
        .join("; ");
    d.results = iati_results(act, &location, problems);

    if let Some(ext) = act.first("homeward:project") {
        let get = |k: &str| ext.attr(k).unwrap_or_default().to_owned();
        d.status = get("status");
        d.coverage = get("coverage");
        d.start = get("start");
        d.end = get("end");
        d.year = get("funding-year");
        d.idf_region = get("idf-region");
        d.project_type = get("project-type");
        d.levels = get("levels");
        d.implementing_office = get("implementing-office");
        if ext.attrs.iter().any(|(k, _)| k == "budget-usd") {
            d.budget_usd = get("budget-usd");
        }
        // Identifiers as Homeward held them, when the file says.
        if ext.attrs.iter().any(|(k, _)| k == "projects-id") {
            d.projects_id = get("projects-id");
            d.prima_id = get("prima-id");
            d.iati_identifier = get("iati-identifier");
        }
        d.partners = ext
            .all("homeward:partner")
            .map(|p| p.text.trim().to_owned())
            .collect::<Vec<_>>()
            .join("; ");
        d.results = ResultsFramework {
            outcomes: ext
                .all("homeward:outcome")
                .map(|o| Outcome {
                    text: o.attr("text").unwrap_or_default().to_owned(),
                    indicators: o
                        .all("homeward:indicator")
                        .map(|i| ext_indicator(i, &location, problems))
                        .collect(),
                    outputs: o
                        .all("homeward:output")
                        .map(|x| ext_output(x, &location, problems))
                        .collect(),
                })
                .collect(),
            outputs: ext
                .all("homeward:output")
                .map(|x| ext_output(x, &location, problems))
                .collect(),
            activities: ext
                .all("homeward:activity")
                .map(|a| a.text.trim().to_owned())
                .collect(),
        };
    }
    (problems.len() == before).then_some(d)
}

/// Reads every activity of an IATI file into a validated project.
pub fn read_iati(file: &str, bytes: &[u8]) -> Result<Vec<Project>, ImportError> {
    let root = parse(bytes).map_err(|e| ImportError::file(file, e))?;
    if root.name != "iati-activities" {
        return Err(ImportError::file(
            file,
            format!("the root element is <{}>, not <iati-activities>", root.name),
        ));
    }
    let mut problems = Vec::new();
    let mut projects = Vec::new();
    for (i, act) in root.all("iati-activity").enumerate() {
        let Some(draft) = activity(act, i + 1, &mut problems) else {
            continue;
        };
        match draft.validate() {
            Ok(p) => projects.push(p),
            Err(errs) => {
                let location = format!("activity {} ({}), line {}", i + 1, draft.title, act.line);
                problems.extend(at(&location, errs));
            }
        }
    }
    if !problems.is_empty() {
        return Err(ImportError::Problems {
            file: file.to_owned(),
            problems,
        });
    }
    if projects.is_empty() {
        return Err(ImportError::file(file, "the file holds no iati-activity"));
    }
    Ok(projects)
}

/// Imports an IATI file: every activity or none; activities already stored (same
/// identifier) are updated.
pub fn import_iati(store: &Store, file: &str, bytes: &[u8]) -> Result<ImportReport, ImportError> {
    let projects = read_iati(file, bytes)?;
    save_all(store, file, Vec::new(), &projects, |i| {
        format!("activity {}", i + 1)
    })
}
