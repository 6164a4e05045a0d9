//! Horizontal bars, one per row of a table: the label, the bar and the number as the
//! table shows it (withheld rows get no bar, only the words saying why).

use super::esc;
use std::fmt::Write;

/// One bar: its label, its value (none when withheld) and the text shown beside it.
pub struct Bar {
    pub label: String,
    pub value: Option<f64>,
    pub shown: String,
}

const W: f64 = 640.0;
const ROW: f64 = 22.0;
const LABEL: f64 = 190.0;
const NUMBER: f64 = 90.0;

/// The bars as an SVG element, scaled to the largest value.
pub fn bars(rows: &[Bar], title: &str, desc: &str) -> String {
    let h = ROW * rows.len().max(1) as f64 + 8.0;
    let max = rows.iter().filter_map(|b| b.value).fold(0.0_f64, f64::max);
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg class="chart bars" viewBox="0 0 {W} {h}" role="img" xmlns="http://www.w3.org/2000/svg"><title>{}</title><desc>{}</desc>"#,
        esc(title),
        esc(desc)
    );
    let span = W - LABEL - NUMBER;
    for (i, b) in rows.iter().enumerate() {
        let y = 4.0 + i as f64 * ROW;
        let _ = write!(
            s,
            r##"<text x="{}" y="{:.1}" font-size="12" text-anchor="end" fill="#222">{}</text>"##,
            LABEL - 6.0,
            y + 15.0,
            esc(&b.label)
        );
        let width = match b.value {
            Some(v) if max > 0.0 => (v / max * span).max(1.0),
            _ => 0.0,
        };
        if width > 0.0 {
            let _ = write!(
                s,
                r##"<rect x="{LABEL}" y="{:.1}" width="{width:.1}" height="{}" fill="#0072B2"/>"##,
                y + 3.0,
                ROW - 6.0
            );
        }
        let _ = write!(
            s,
            r##"<text x="{:.1}" y="{:.1}" font-size="12" fill="#222">{}</text>"##,
            LABEL + width + 6.0,
            y + 15.0,
            esc(&b.shown)
        );
    }
    s.push_str("</svg>");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_scale_to_the_largest_and_withheld_rows_have_none() {
        let svg = bars(
            &[
                Bar {
                    label: "2013".into(),
                    value: Some(10.0),
                    shown: "10".into(),
                },
                Bar {
                    label: "2014".into(),
                    value: Some(5.0),
                    shown: "5".into(),
                },
                Bar {
                    label: "2015".into(),
                    value: None,
                    shown: "<5".into(),
                },
            ],
            "Returns",
            "by year",
        );
        assert_eq!(svg.matches("<rect").count(), 2);
        assert!(
            svg.contains(r#"width="360.0""#) && svg.contains(r#"width="180.0""#),
            "{svg}"
        );
        assert!(svg.contains("&lt;5"));
    }
}
