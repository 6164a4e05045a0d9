//! Writing IATI 2.03 activities.

use homeward_domain::date::Ymd;
use homeward_domain::project::{Coverage, Indicator, Output, Project, ProjectStatus};
use quick_xml::escape::escape;
use std::fmt::Write as _;

/// The extension namespace.
pub const HOMEWARD_NS: &str = "urn:homeward:iati-extension:1";

/// IOM's organisation identifier (DAC code 47066).
pub const IOM_ORG_REF: &str = "XM-DAC-47066";
const IOM_NAME: &str = "International Organization for Migration";
const IDF_NAME: &str = "IOM Development Fund";
/// DAC 5-digit sector: facilitation of orderly, safe, regular and responsible migration.
const DAC_MIGRATION: &str = "15190";

/// Text as XML 1.0 allows it: escaped, and without the control characters it forbids
/// (spreadsheets carry some).
fn clean(v: &str) -> String {
    let allowed: String = v
        .chars()
        .filter(|c| !c.is_control() || matches!(c, '\t' | '\n' | '\r'))
        .collect();
    escape(&allowed).into_owned()
}

fn attr(v: &str) -> String {
    clean(v)
}

fn narrative(out: &mut String, indent: &str, text: &str) {
    let _ = writeln!(out, "{indent}<narrative>{}</narrative>", clean(text));
}

/// IATI needs a status. The published one maps directly; when none was published, it is
/// read from the dates (ended: closed; not begun: pipeline; otherwise implementation).
fn status_code(p: &Project, today: Ymd) -> &'static str {
    match p.status {
        Some(ProjectStatus::Pipeline) => "1",
        Some(ProjectStatus::Active) => "2",
        Some(ProjectStatus::Completed) => "4",
        Some(ProjectStatus::Cancelled) => "5",
        Some(ProjectStatus::Suspended) => "6",
        None => match (p.start, p.end) {
            (_, Some(e)) if e.last_day() < today => "4",
            (Some(s), _) if s.first_day() > today => "1",
            _ => "2",
        },
    }
}

/// Budget periods of at most a year from `from` to `to`, with the amount shared by days;
/// the last period takes what rounding leaves.
fn budget_periods(from: Ymd, to: Ymd, minor: i64) -> Vec<(Ymd, Ymd, i64)> {
    let mut spans = Vec::new();
    let mut start = from;
    while start <= to {
        let end = start.one_year_on_less_a_day().min(to);
        spans.push((start, end));
        start = Ymd::from_days(end.to_days() + 1);
    }
    let total_days = (to.to_days() - from.to_days() + 1).max(1);
    let mut left = minor;
    let n = spans.len();
    spans
        .into_iter()
        .enumerate()
        .map(|(i, (s, e))| {
            let share = if i + 1 == n {
                left
            } else {
                let days = e.to_days() - s.to_days() + 1;
                (i128::from(minor) * i128::from(days) / i128::from(total_days)) as i64
            };
            left -= share;
            (s, e, share)
        })
        .collect()
}

/// Percentages summing to exactly 100 with two decimals.
fn shares(n: usize) -> Vec<String> {
    let n = n.max(1) as i64;
    let base = 10_000 / n;
    (0..n)
        .map(|i| {
            let hundredths = if i == n - 1 {
                10_000 - base * (n - 1)
            } else {
                base
            };
            format!("{}.{:02}", hundredths / 100, hundredths % 100)
        })
        .collect()
}

fn number(v: f64) -> String {
    if v.fract() == 0.0 {
        format!("{v:.0}")
    } else {
        format!("{v}")
    }
}

fn slug(s: &str) -> String {
    let mut out = String::new();
    for ch in s.chars() {
        if ch.is_ascii_alphanumeric() {
            out.push(ch.to_ascii_lowercase());
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    let code = out.trim_matches('-').to_owned();
    if code.is_empty() {
        "other".to_owned()
    } else {
        code
    }
}

fn ext_indicator(out: &mut String, indent: &str, i: &Indicator) {
    let mut a = String::new();
    for (k, v) in [
        ("unit", i.unit.clone()),
        ("baseline", i.baseline.map(number)),
        ("target", i.target.map(number)),
        ("achieved", i.achieved.map(number)),
    ] {
        if let Some(v) = v {
            let _ = write!(a, " {k}=\"{}\"", attr(&v));
        }
    }
    let _ = writeln!(
        out,
        "{indent}<homeward:indicator{a}>{}</homeward:indicator>",
        clean(&i.text)
    );
}

fn ext_output(out: &mut String, indent: &str, o: &Output) {
    let _ = writeln!(out, "{indent}<homeward:output text=\"{}\">", attr(&o.text));
    for i in &o.indicators {
        ext_indicator(out, &format!("{indent}  "), i);
    }
    let _ = writeln!(out, "{indent}</homeward:output>");
}

/// IATI results for the outcomes and outputs that have indicators (IATI requires one).
fn results(out: &mut String, p: &Project, period: Option<(Ymd, Ymd)>, base_year: i32) {
    let mut write = |kind: &str, text: &str, indicators: &[Indicator]| {
        if indicators.is_empty() {
            return;
        }
        let _ = writeln!(out, "   <result type=\"{kind}\">\n    <title>");
        narrative(out, "     ", text);
        let _ = writeln!(out, "    </title>");
        for i in indicators {
            // IndicatorMeasure: 1 unit, 2 percentage.
            let measure = if i.unit.as_deref() == Some("%") { 2 } else { 1 };
            let _ = writeln!(
                out,
                "    <indicator measure=\"{measure}\" ascending=\"1\">\n     <title>"
            );
            narrative(out, "      ", &i.text);
            let _ = writeln!(out, "     </title>");
            if let Some(b) = i.baseline {
                let _ = writeln!(
                    out,
                    "     <baseline year=\"{base_year}\" value=\"{}\"/>",
                    number(b)
                );
            }
            if let (Some((s, e)), true) = (period, i.target.is_some() || i.achieved.is_some()) {
                let _ = writeln!(
                    out,
                    "     <period>\n      <period-start iso-date=\"{s}\"/>\n      <period-end iso-date=\"{e}\"/>"
                );
                if let Some(t) = i.target {
                    let _ = writeln!(out, "      <target value=\"{}\"/>", number(t));
                }
                if let Some(a) = i.achieved {
                    let _ = writeln!(out, "      <actual value=\"{}\"/>", number(a));
                }
                let _ = writeln!(out, "     </period>");
            }
            let _ = writeln!(out, "    </indicator>");
        }
        let _ = writeln!(out, "   </result>");
    };
    for o in &p.results.outcomes {
        write("2", &o.text, &o.indicators);
        for op in &o.outputs {
            write("1", &op.text, &op.indicators);
        }
    }
    for op in &p.results.outputs {
        write("1", &op.text, &op.indicators);
    }
}

fn activity(out: &mut String, p: &Project, updated: &str, today: Ymd) {
    // DESIGN: IOM's reference and the Projects ID (or Prima ID); an activity imported from
    // another publisher keeps its own identifier.
    let id = match (&p.projects_id, &p.prima_id, &p.iati_identifier) {
        (Some(pid), _, _) => format!("{IOM_ORG_REF}-{pid}"),
        (None, _, Some(iati)) => iati.clone(),
        (None, Some(prima), None) => format!("{IOM_ORG_REF}-{prima}"),
        (None, None, None) => format!("{IOM_ORG_REF}-{}", p.public_id()),
    };
    let _ = writeln!(
        out,
        " <iati-activity last-updated-datetime=\"{}\" xml:lang=\"en\" default-currency=\"USD\">",
        attr(updated)
    );
    let _ = writeln!(out, "  <iati-identifier>{}</iati-identifier>", clean(&id));
    let _ = writeln!(out, "  <reporting-org ref=\"{IOM_ORG_REF}\" type=\"40\">");
    narrative(out, "   ", IOM_NAME);
    let _ = writeln!(out, "  </reporting-org>\n  <title>");
    narrative(out, "   ", &p.title);
    let _ = writeln!(out, "  </title>");
    let mut described = false;
    for (kind, text) in [("1", &p.summary), ("2", &p.objective)] {
        if !text.is_empty() {
            let _ = writeln!(out, "  <description type=\"{kind}\">");
            narrative(out, "   ", text);
            let _ = writeln!(out, "  </description>");
            described = true;
        }
    }
    if !described {
        // IATI requires a description; the title is all that was published.
        let _ = writeln!(out, "  <description type=\"1\">");
        narrative(out, "   ", &p.title);
        let _ = writeln!(out, "  </description>");
    }
    for (role, name, ref_) in [
        ("1", IDF_NAME, None),
        ("2", IOM_NAME, Some(IOM_ORG_REF)),
        ("4", IOM_NAME, Some(IOM_ORG_REF)),
    ] {
        let r = ref_.map(|r| format!(" ref=\"{r}\"")).unwrap_or_default();
        let _ = writeln!(out, "  <participating-org{r} role=\"{role}\" type=\"40\">");
        narrative(out, "   ", name);
        let _ = writeln!(out, "  </participating-org>");
    }
    for partner in &p.partners {
        let _ = writeln!(out, "  <participating-org role=\"4\">");
        narrative(out, "   ", partner);
        let _ = writeln!(out, "  </participating-org>");
    }
    if let Some(prima) = &p.prima_id {
        let _ = writeln!(
            out,
            "  <other-identifier ref=\"{}\" type=\"A1\"/>",
            attr(prima.as_str())
        );
    }
    let _ = writeln!(
        out,
        "  <activity-status code=\"{}\"/>",
        status_code(p, today)
    );

    // Dates: planned always; actual only once they have happened. With no dates published
    // the funding year stands in as the planned start, since IATI requires one date.
    let begun = !matches!(p.status, Some(ProjectStatus::Pipeline) | None);
    let ended = matches!(
        p.status,
        Some(ProjectStatus::Completed | ProjectStatus::Cancelled)
    );
    let start = p.start.map(|d| d.first_day()).or(p.year.map(|y| Ymd {
        year: y,
        month: 1,
        day: 1,
    }));
    let end = p.end.map(|d| d.last_day());
    if let Some(s) = start {
        let _ = writeln!(out, "  <activity-date iso-date=\"{s}\" type=\"1\"/>");
        if p.start.is_some() && begun && s <= today {
            let _ = writeln!(out, "  <activity-date iso-date=\"{s}\" type=\"2\"/>");
        }
    }
    if let Some(e) = end {
        let _ = writeln!(out, "  <activity-date iso-date=\"{e}\" type=\"3\"/>");
        if ended && e <= today {
            let _ = writeln!(out, "  <activity-date iso-date=\"{e}\" type=\"4\"/>");
        }
    }
    if start.is_none() && end.is_none() {
        let _ = writeln!(
            out,
            "  <activity-date iso-date=\"{}\" type=\"1\"/>",
            Ymd {
                year: today.year,
                month: 1,
                day: 1
            }
        );
    }
    if let Some(c) = p.coverage {
        let code = match c {
            Coverage::Global => "1",
            Coverage::Regional => "2",
            Coverage::National => "4",
        };
        let _ = writeln!(out, "  <activity-scope code=\"{code}\"/>");
    }
    for (c, pct) in p.member_states.iter().zip(shares(p.member_states.len())) {
        let _ = writeln!(
            out,
            "  <recipient-country code=\"{c}\" percentage=\"{pct}\"/>"
        );
    }
    if let Some(t) = &p.project_type {
        let _ = writeln!(
            out,
            "  <sector vocabulary=\"99\" code=\"{}\" percentage=\"100\">",
            attr(&slug(t))
        );
        narrative(out, "   ", t);
        let _ = writeln!(out, "  </sector>");
    }
    let _ = writeln!(
        out,
        "  <sector vocabulary=\"1\" code=\"{DAC_MIGRATION}\" percentage=\"100\"/>"
    );

    let span = match (p.start, p.end, p.year) {
        (Some(s), Some(e), _) => Some((s.first_day(), e.last_day())),
        // A start with no end: a budget year from the start.
        (Some(s), None, _) => Some((s.first_day(), s.first_day().one_year_on_less_a_day())),
        (None, Some(e), _) => Some((e.first_day(), e.last_day())),
        (None, None, Some(y)) => Some((
            Ymd {
                year: y,
                month: 1,
                day: 1,
            },
            Ymd {
                year: y,
                month: 12,
                day: 31,
            },
        )),
        _ => None,
    };
    if let (Some(budget), Some((from, to))) = (p.budget, span) {
        for (s, e, minor) in budget_periods(from, to, budget.minor) {
            let amount = homeward_domain::Money::new(minor, budget.currency);
            let _ = writeln!(
                out,
                "  <budget type=\"1\" status=\"2\">\n   <period-start iso-date=\"{s}\"/>\n   <period-end iso-date=\"{e}\"/>\n   <value currency=\"{}\" value-date=\"{s}\">{}</value>\n  </budget>",
                budget.currency,
                amount.to_decimal_string()
            );
        }
    }
    let base_year = span.map(|(s, _)| s.year).or(p.year).unwrap_or(today.year);
    results(out, p, span, base_year);

    // What IATI cannot say, for Homeward to read back.
    let mut a = String::new();
    let opt = |v: Option<String>| v.unwrap_or_default();
    for (k, v) in [
        (
            "projects-id",
            opt(p.projects_id.as_ref().map(|i| i.to_string())),
        ),
        ("prima-id", opt(p.prima_id.as_ref().map(|i| i.to_string()))),
        ("iati-identifier", opt(p.iati_identifier.clone())),
        ("status", opt(p.status.map(|s| s.code().to_owned()))),
        ("coverage", opt(p.coverage.map(|c| c.code().to_owned()))),
        ("start", opt(p.start.map(|d| d.to_string()))),
        ("end", opt(p.end.map(|d| d.to_string()))),
        ("funding-year", opt(p.year.map(|y| y.to_string()))),
        ("idf-region", opt(p.idf_region.clone())),
        ("project-type", opt(p.project_type.clone())),
        (
            "levels",
            p.levels
                .iter()
                .map(|l| l.code())
                .collect::<Vec<_>>()
                .join(" "),
        ),
        ("implementing-office", opt(p.implementing_office.clone())),
        ("budget-usd", opt(p.budget.map(|b| b.to_decimal_string()))),
    ] {
        let _ = write!(a, " {k}=\"{}\"", attr(&v));
    }
    let _ = writeln!(out, "  <homeward:project{a}>");
    for partner in &p.partners {
        let _ = writeln!(
            out,
            "   <homeward:partner>{}</homeward:partner>",
            clean(partner)
        );
    }
    for o in &p.results.outcomes {
        let _ = writeln!(out, "   <homeward:outcome text=\"{}\">", attr(&o.text));
        for i in &o.indicators {
            ext_indicator(out, "    ", i);
        }
        for op in &o.outputs {
            ext_output(out, "    ", op);
        }
        let _ = writeln!(out, "   </homeward:outcome>");
    }
    for op in &p.results.outputs {
        ext_output(out, "   ", op);
    }
    for act in &p.results.activities {
        let _ = writeln!(
            out,
            "   <homeward:activity>{}</homeward:activity>",
            clean(act)
        );
    }
    let _ = writeln!(out, "  </homeward:project>\n </iati-activity>");
}

/// The activities file: `(project, last updated)` pairs, `now` as ISO 8601 UTC.
pub fn write_iati(projects: &[(Project, String)], now: &str, today: Ymd) -> String {
    let mut out = String::with_capacity(4096 * projects.len().max(1));
    let _ = writeln!(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>");
    let _ = writeln!(
        out,
        "<iati-activities version=\"2.03\" generated-datetime=\"{}\" xmlns:homeward=\"{HOMEWARD_NS}\">",
        attr(now)
    );
    for (p, updated) in projects {
        activity(&mut out, p, updated, today);
    }
    out.push_str("</iati-activities>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn budgets_split_into_periods_of_a_year_at_most() {
        let from = Ymd::new(2023, 1, 1).unwrap();
        let to = Ymd::new(2024, 12, 31).unwrap();
        let p = budget_periods(from, to, 40_000_000);
        assert_eq!(p.len(), 2);
        assert_eq!(p[0].1.to_string(), "2023-12-31");
        assert_eq!(p[1].0.to_string(), "2024-01-01");
        assert_eq!(p.iter().map(|x| x.2).sum::<i64>(), 40_000_000);
        let odd = budget_periods(
            Ymd::new(2023, 3, 15).unwrap(),
            Ymd::new(2024, 6, 30).unwrap(),
            100_001,
        );
        assert_eq!(odd.len(), 2);
        assert_eq!(odd[0].1.to_string(), "2024-03-14");
        assert_eq!(odd.iter().map(|x| x.2).sum::<i64>(), 100_001);
    }

    #[test]
    fn country_shares_sum_to_a_hundred() {
        assert_eq!(shares(1), vec!["100.00"]);
        assert_eq!(shares(2), vec!["50.00", "50.00"]);
        assert_eq!(shares(3), vec!["33.33", "33.33", "33.34"]);
    }
}
