//! An instrument as an XLSForm workbook (survey, choices and settings sheets) that
//! `pyxform` turns into an XForm, so field staff can collect offline with ODK Collect or
//! KoboToolbox. Each indicator becomes a `select_one` named by its code, with its options
//! as choices in every language of the instrument; the form opens with the case number,
//! the kind of survey, the date and the returnee's consent, and the questions are asked
//! only when consent is given. The names are what the CSV import reads back.

use homeward_domain::survey::{Instrument, SurveyKind};
use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};

/// The column header of a language as XLSForm expects it: `English (en)`.
fn language(code: &str) -> String {
    let name = match code {
        "en" => "English",
        "fr" => "French",
        "es" => "Spanish",
        "ar" => "Arabic",
        "ru" => "Russian",
        "pt" => "Portuguese",
        "sq" => "Albanian",
        "ka" => "Georgian",
        "hy" => "Armenian",
        "sm" => "Samoan",
        other => other,
    };
    format!("{name} ({code})")
}

/// The XForm id of an instrument version: `homeward_wellbeing_v1`.
pub fn form_id(i: &Instrument) -> String {
    format!("{}_v{}", i.code().replace('-', "_"), i.version())
}

fn header(sheet: &mut Worksheet, cols: &[String]) -> Result<(), XlsxError> {
    let bold = Format::new().set_bold();
    for (c, name) in cols.iter().enumerate() {
        sheet.write_string_with_format(0, c as u16, name, &bold)?;
        sheet.set_column_width(c as u16, if c < 2 { 24.0 } else { 48.0 })?;
    }
    sheet.set_freeze_panes(1, 0)?;
    Ok(())
}

/// One row: the first cells, one label per language, then the trailing cells.
fn row(
    sheet: &mut Worksheet,
    r: u32,
    first: &[&str],
    labels: &[String],
    last: &[&str],
) -> Result<(), XlsxError> {
    let cells = first
        .iter()
        .map(|s| s.to_string())
        .chain(labels.iter().cloned())
        .chain(last.iter().map(|s| s.to_string()));
    for (c, v) in cells.enumerate() {
        if !v.is_empty() {
            sheet.write_string(r, c as u16, v)?;
        }
    }
    Ok(())
}

/// The workbook's bytes. The fixed questions (case number, kind, date, consent) are the
/// interviewer's, not the returnee's, and carry their English label in every language.
pub fn write_xlsform(i: &Instrument) -> Result<Vec<u8>, XlsxError> {
    let langs = i.languages();
    let same = |en: &str| langs.iter().map(|_| en.to_owned()).collect::<Vec<_>>();
    let mut book = Workbook::new();

    let survey = book.add_worksheet();
    survey.set_name("survey")?;
    let mut cols = vec!["type".to_owned(), "name".to_owned()];
    cols.extend(langs.iter().map(|l| format!("label::{}", language(l))));
    cols.extend(["required", "relevant", "constraint"].map(String::from));
    cols.extend(
        langs
            .iter()
            .map(|l| format!("constraint_message::{}", language(l))),
    );
    header(survey, &cols)?;
    let mut r = 1;
    for meta in ["start", "end", "today", "deviceid"] {
        row(survey, r, &[meta, meta], &same(""), &[])?;
        r += 1;
    }
    let fixed: [(&str, &str, &str, &[&str]); 4] = [
        (
            "text",
            "case_reference",
            "Case number (HW-…)",
            &["yes", "", "regex(., '^[Hh][Ww]-?[0-9]{1,12}$')"],
        ),
        ("select_one survey_kind", "survey_kind", "Survey", &["yes"]),
        ("date", "taken_on", "Date of the interview", &["yes"]),
        (
            "select_one yes_no",
            "consent",
            "Has the returnee agreed to take part in this survey?",
            &["yes"],
        ),
    ];
    for (kind, name, en, rest) in fixed {
        row(survey, r, &[kind, name], &same(en), rest)?;
        if name == "case_reference" {
            // The constraint's message, in every language column after `constraint`.
            let first = (2 + langs.len() + 3) as u16;
            for k in 0..langs.len() {
                survey.write_string(r, first + k as u16, "A case number such as HW-000123")?;
            }
        }
        r += 1;
    }
    for ind in i.indicators() {
        let labels: Vec<String> = langs.iter().map(|l| ind.question(l).to_owned()).collect();
        let kind = format!("select_one {}", ind.code);
        row(
            survey,
            r,
            &[&kind, &ind.code],
            &labels,
            &["", "${consent} = 'yes'"],
        )?;
        r += 1;
    }

    let choices = book.add_worksheet();
    choices.set_name("choices")?;
    let mut cols = vec!["list_name".to_owned(), "name".to_owned()];
    cols.extend(langs.iter().map(|l| format!("label::{}", language(l))));
    header(choices, &cols)?;
    let mut r = 1;
    for k in SurveyKind::ALL {
        row(
            choices,
            r,
            &["survey_kind", k.code()],
            &same(k.label()),
            &[],
        )?;
        r += 1;
    }
    for (code, en) in [("yes", "Yes"), ("no", "No")] {
        row(choices, r, &["yes_no", code], &same(en), &[])?;
        r += 1;
    }
    for ind in i.indicators() {
        for o in &ind.options {
            let labels: Vec<String> = langs.iter().map(|l| o.label(l).to_owned()).collect();
            row(choices, r, &[&ind.code, &o.code], &labels, &[])?;
            r += 1;
        }
    }

    let settings = book.add_worksheet();
    settings.set_name("settings")?;
    let cols = ["form_title", "form_id", "version", "default_language"].map(String::from);
    header(settings, &cols)?;
    let version = i.version().to_string();
    row(
        settings,
        1,
        &[i.title("en"), &form_id(i), &version, &language("en")],
        &[],
        &[],
    )?;
    book.save_to_buffer()
}
