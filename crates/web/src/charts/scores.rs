//! A returnee's scores over time: one line per dimension and a heavier one for the
//! composite, on a 0–1 scale with the instrument's thresholds marked.

use super::esc;
use std::fmt::Write;

/// One survey on the chart.
pub struct ScorePoint {
    /// The date shown under it.
    pub label: String,
    /// Economic, social, psychosocial, composite; none where not scored.
    pub values: [Option<f64>; 4],
}

const W: f64 = 640.0;
const H: f64 = 240.0;
const LEFT: f64 = 40.0;
const RIGHT: f64 = 16.0;
const TOP: f64 = 16.0;
const BOTTOM: f64 = 64.0;

/// Colours told apart with the common colour-vision deficiencies (Okabe–Ito), with a
/// dash pattern each as well.
const SERIES: [(&str, &str, f64); 4] = [
    ("#0072B2", "", 2.0),
    ("#D55E00", "6 3", 2.0),
    ("#009E73", "2 3", 2.0),
    ("#000000", "", 3.5),
];

fn y(v: f64) -> f64 {
    TOP + (1.0 - v.clamp(0.0, 1.0)) * (H - TOP - BOTTOM)
}

/// The chart as an SVG element. `names` are the four series' names, `thresholds` the
/// (label, value) lines to mark, `title` and `desc` what a screen reader announces.
pub fn scores_over_time(
    points: &[ScorePoint],
    names: [&str; 4],
    thresholds: &[(String, f64)],
    title: &str,
    desc: &str,
) -> String {
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg class="chart" viewBox="0 0 {W} {H}" role="img" aria-labelledby="chart-title chart-desc" xmlns="http://www.w3.org/2000/svg"><title id="chart-title">{}</title><desc id="chart-desc">{}</desc>"#,
        esc(title),
        esc(desc)
    );
    for tick in [0.0, 0.25, 0.5, 0.75, 1.0] {
        let _ = write!(
            s,
            r##"<line x1="{LEFT}" x2="{}" y1="{y:.1}" y2="{y:.1}" stroke="#ddd"/><text x="{}" y="{:.1}" font-size="11" text-anchor="end" fill="#333">{tick}</text>"##,
            W - RIGHT,
            LEFT - 4.0,
            y(tick) + 4.0,
            y = y(tick)
        );
    }
    for (label, v) in thresholds {
        let _ = write!(
            s,
            r##"<line x1="{LEFT}" x2="{}" y1="{yy:.1}" y2="{yy:.1}" stroke="#888" stroke-dasharray="1 4"/><text x="{}" y="{:.1}" font-size="10" text-anchor="end" fill="#555">{}</text>"##,
            W - RIGHT,
            W - RIGHT,
            y(*v) - 3.0,
            esc(label),
            yy = y(*v)
        );
    }
    let n = points.len();
    let x = |i: usize| {
        if n <= 1 {
            (LEFT + W - RIGHT) / 2.0
        } else {
            LEFT + 12.0 + i as f64 * (W - RIGHT - LEFT - 24.0) / (n - 1) as f64
        }
    };
    for (i, p) in points.iter().enumerate() {
        let _ = write!(
            s,
            r##"<text x="{:.1}" y="{}" font-size="11" text-anchor="middle" fill="#333">{}</text>"##,
            x(i),
            H - BOTTOM + 16.0,
            esc(&p.label)
        );
    }
    for (k, (colour, dash, width)) in SERIES.iter().enumerate() {
        let pts: Vec<(f64, f64)> = points
            .iter()
            .enumerate()
            .filter_map(|(i, p)| p.values[k].map(|v| (x(i), y(v))))
            .collect();
        if pts.len() > 1 {
            let path: Vec<String> = pts.iter().map(|(a, b)| format!("{a:.1},{b:.1}")).collect();
            let _ = write!(
                s,
                r#"<polyline fill="none" stroke="{colour}" stroke-width="{width}" stroke-dasharray="{dash}" points="{}"/>"#,
                path.join(" ")
            );
        }
        for (i, p) in points.iter().enumerate() {
            if let Some(v) = p.values[k] {
                let _ = write!(
                    s,
                    r#"<circle cx="{:.1}" cy="{:.1}" r="{}" fill="{colour}"><title>{} {}: {v:.2}</title></circle>"#,
                    x(i),
                    y(v),
                    if k == 3 { 4.5 } else { 3.5 },
                    esc(names[k]),
                    esc(&p.label)
                );
            }
        }
        // Legend, two per row under the axis.
        let (lx, ly) = (
            LEFT + (k % 2) as f64 * 220.0,
            H - BOTTOM + 34.0 + (k / 2) as f64 * 16.0,
        );
        let _ = write!(
            s,
            r##"<line x1="{lx}" x2="{}" y1="{ly}" y2="{ly}" stroke="{colour}" stroke-width="{width}" stroke-dasharray="{dash}"/><text x="{}" y="{}" font-size="11" fill="#222">{}</text>"##,
            lx + 24.0,
            lx + 30.0,
            ly + 4.0,
            esc(names[k])
        );
    }
    s.push_str("</svg>");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_points_and_labels_are_drawn_and_escaped() {
        let points = vec![
            ScorePoint {
                label: "2013-02-20".into(),
                values: [Some(0.2), Some(0.4), None, None],
            },
            ScorePoint {
                label: "2014-02-01".into(),
                values: [Some(0.8), Some(0.6), Some(0.5), Some(0.7)],
            },
        ];
        let svg = scores_over_time(
            &points,
            ["Economic", "Social", "Psycho<social>", "Composite"],
            &[("high".into(), 0.7)],
            "Scores",
            "Two surveys",
        );
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
        // Economic and social have two points each: a line; the others one point.
        assert_eq!(svg.matches("<polyline").count(), 2);
        assert_eq!(svg.matches("<circle").count(), 6);
        assert!(svg.contains("Psycho&lt;social&gt;"));
        assert!(!svg.contains("Psycho<social>"));
        assert!(svg.contains("Economic 2014-02-01: 0.80"));
    }
}
