//! Surveys collected offline with the XLSForm (ODK Collect, KoboToolbox), as the CSV the
//! server exports: one submission per row, a column per question named as in the form.
//! Columns are matched by the last part of their name, so group paths (`grp/debt`,
//! `grp-debt`) and the servers' own columns (`_id`, `_uuid`, `start`, `meta/instanceID`,
//! `__version__`) do no harm; `;` or `,` separates cells (Kobo offers both); answers are
//! read by option name, or by their label in any language when the export used labels.
//! Every bad cell is named by row and column, and then nothing is taken. Submissions where
//! the returnee did not consent are reported as skipped.

use crate::problem::{ImportError, Problem};
use homeward_domain::date::Ymd;
use homeward_domain::survey::{Instrument, SurveyKind};
use std::collections::BTreeMap;

/// One submission to record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Collected {
    /// The row in the file (the header is row 1).
    pub row: usize,
    pub case_reference: String,
    pub kind: SurveyKind,
    pub taken_on: Ymd,
    pub answers: BTreeMap<String, String>,
}

/// What a file holds: the submissions to record and the rows skipped for want of consent.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CollectedFile {
    pub surveys: Vec<Collected>,
    pub without_consent: Vec<usize>,
}

/// The column's question name: the last part of a group path.
fn question(header: &str) -> String {
    let h = header.trim().trim_start_matches('\u{feff}');
    h.rsplit(['/', '-', ':'])
        .next()
        .unwrap_or(h)
        .trim()
        .to_lowercase()
}

fn delimiter(bytes: &[u8]) -> u8 {
    let first = bytes.split(|b| *b == b'\n').next().unwrap_or_default();
    let count = |d: u8| first.iter().filter(|b| **b == d).count();
    if count(b';') > count(b',') {
        b';'
    } else {
        b','
    }
}

/// An answer as its option code: the code itself, or a label in any language.
fn option_code(instrument: &Instrument, indicator: &str, value: &str) -> Option<String> {
    let ind = instrument.indicator(indicator)?;
    if let Some(o) = ind.option(value) {
        return Some(o.code.clone());
    }
    ind.options
        .iter()
        .find(|o| {
            o.label
                .values()
                .any(|l| l.trim().eq_ignore_ascii_case(value))
        })
        .map(|o| o.code.clone())
}

/// Reads a file of submissions against `instrument` (the version the form was made from).
pub fn read_collected(
    file: &str,
    bytes: &[u8],
    instrument: &Instrument,
) -> Result<CollectedFile, ImportError> {
    let mut rdr = csv::ReaderBuilder::new()
        .delimiter(delimiter(bytes))
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(bytes);
    let header: Vec<String> = rdr
        .headers()
        .map_err(|e| ImportError::file(file, format!("not a CSV table: {e}")))?
        .iter()
        .map(question)
        .collect();
    let col = |name: &str| header.iter().position(|h| h == name);
    let (Some(c_case), Some(c_kind), Some(c_on)) =
        (col("case_reference"), col("survey_kind"), col("taken_on"))
    else {
        return Err(ImportError::file(
            file,
            "the header row must name case_reference, survey_kind and taken_on (export the submissions of the form Homeward made, with XML names)",
        ));
    };
    let c_consent = col("consent");
    let questions: Vec<(usize, String)> = header
        .iter()
        .enumerate()
        .filter(|(_, h)| instrument.indicator(h).is_some())
        .map(|(i, h)| (i, h.clone()))
        .collect();
    if questions.is_empty() {
        return Err(ImportError::file(
            file,
            format!(
                "no column is a question of {} version {}",
                instrument.code(),
                instrument.version()
            ),
        ));
    }
    let mut out = CollectedFile::default();
    let mut problems = vec![];
    for (i, rec) in rdr.records().enumerate() {
        let row = i + 2;
        let at = |field: &str, reason: String| Problem {
            location: format!("row {row}"),
            field: field.into(),
            reason,
        };
        let rec = match rec {
            Ok(r) => r,
            Err(e) => {
                problems.push(at("", format!("cannot be read: {e}")));
                continue;
            }
        };
        let cell = |c: usize| rec.get(c).unwrap_or("").trim().to_owned();
        if rec.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        if let Some(c) = c_consent {
            match cell(c).to_lowercase().as_str() {
                "yes" | "1" | "true" => {}
                "no" | "0" | "false" | "" => {
                    out.without_consent.push(row);
                    continue;
                }
                other => {
                    problems.push(at("consent", format!("{other:?} is not yes or no")));
                    continue;
                }
            }
        }
        let reference =
            homeward_store::cases::caseload::as_reference(&cell(c_case)).ok_or_else(|| {
                at(
                    "case_reference",
                    format!("{:?} is not a case number such as HW-000123", cell(c_case)),
                )
            });
        let kind = cell(c_kind)
            .parse::<SurveyKind>()
            .map_err(|e| at("survey_kind", e));
        // Servers write dates as 2026-03-01, some with a time after them.
        let on_text = cell(c_on);
        let taken_on = on_text
            .get(..10)
            .unwrap_or(&on_text)
            .parse::<Ymd>()
            .map_err(|e| at("taken_on", e));
        let mut answers = BTreeMap::new();
        for (c, q) in &questions {
            let v = cell(*c);
            if v.is_empty() {
                continue;
            }
            match option_code(instrument, q, &v) {
                Some(code) => {
                    answers.insert(q.clone(), code);
                }
                None => problems.push(at(
                    q,
                    format!(
                        "{v:?} is not one of its answers: {}",
                        instrument
                            .indicator(q)
                            .map(|i| i
                                .options
                                .iter()
                                .map(|o| o.code.as_str())
                                .collect::<Vec<_>>()
                                .join(", "))
                            .unwrap_or_default()
                    ),
                )),
            }
        }
        match (reference, kind, taken_on) {
            (Ok(case_reference), Ok(kind), Ok(taken_on)) => out.surveys.push(Collected {
                row,
                case_reference,
                kind,
                taken_on,
                answers,
            }),
            (r, k, t) => problems.extend([r.err(), k.err(), t.err()].into_iter().flatten()),
        }
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(ImportError::Problems {
            file: file.to_owned(),
            problems,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::survey::default_instrument;

    #[test]
    fn kobo_and_odk_exports_are_read_by_question_name() {
        let i = default_instrument();
        // Kobo: `;`, group paths, its own columns, a label instead of a name.
        let kobo = "start;end;case_reference;survey_kind;taken_on;consent;economic/income_sources;economic/debt;psy/distress;_id;_uuid\n\
            2026-03-01T10:00;2026-03-01T10:20;HW-000005;follow_up;2026-03-01;yes;two_or_more;No debts;;17;abc\n\
            2026-03-02T10:00;2026-03-02T10:20;hw12;baseline;2026-03-02;no;;;;18;def\n";
        let f = read_collected("kobo.csv", kobo.as_bytes(), &i).expect("read");
        assert_eq!(f.surveys.len(), 1);
        assert_eq!(f.without_consent, [3]);
        let s = &f.surveys[0];
        assert_eq!(
            (s.row, s.case_reference.as_str(), s.kind),
            (2, "HW-000005", SurveyKind::FollowUp)
        );
        assert_eq!(
            s.answers.get("debt").map(String::as_str),
            Some("none"),
            "the label was matched"
        );
        assert_eq!(s.answers.len(), 2, "an empty answer is not an answer");
        // ODK Central: `,`, groups joined with `-`, a date with its time.
        let odk = "SubmissionDate,grp-case_reference,grp-survey_kind,grp-taken_on,grp-consent,income_sources,meta-instanceID\n\
            2026-03-05,HW-000007,baseline,2026-03-04T09:00:00.000+02:00,yes,one,uuid:1\n";
        let f = read_collected("odk.csv", odk.as_bytes(), &i).expect("read");
        assert_eq!(f.surveys[0].taken_on.to_string(), "2026-03-04");
    }

    #[test]
    fn every_bad_cell_is_named_and_nothing_is_taken() {
        let i = default_instrument();
        let bad = "case_reference,survey_kind,taken_on,consent,income_sources,debt\n\
            HW-000005,follow_up,2026-03-01,yes,lots,none\n\
            someone,later,yesterday,yes,one,none\n\
            HW-000006,baseline,2026-03-01,maybe,one,none\n";
        let e = read_collected("bad.csv", bad.as_bytes(), &i).expect_err("refused");
        let p: Vec<String> = e.problems().iter().map(ToString::to_string).collect();
        assert_eq!(p.len(), 5, "{p:#?}");
        assert!(p[0].starts_with("row 2, field income_sources: \"lots\" is not one of its answers: none, one, two_or_more"), "{p:#?}");
        assert!(
            p.iter()
                .any(|x| x.starts_with("row 3, field case_reference"))
        );
        assert!(p.iter().any(|x| x.starts_with("row 3, field survey_kind")));
        assert!(p.iter().any(|x| x.starts_with("row 3, field taken_on")));
        assert!(p.iter().any(|x| x.starts_with("row 4, field consent")));
        let e = read_collected("x.csv", b"name,age\nA,3\n", &i).expect_err("refused");
        assert!(e.to_string().contains("must name case_reference"), "{e}");
        let e = read_collected(
            "x.csv",
            b"case_reference,survey_kind,taken_on\nHW-1,baseline,2026-01-01\n",
            &i,
        )
        .expect_err("refused");
        assert!(e.to_string().contains("no column is a question"), "{e}");
    }
}
