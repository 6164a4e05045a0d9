//! A world map coloured by a number per country of return: the outlines come once from
//! `/static/world.svg` (cached), and the page draws only `<use>` references, a fill per
//! country and a legend, so the map costs a few hundred bytes per page. Countries too
//! small to see also get a dot. Withheld countries are marked as such, never coloured.

use super::esc;
use std::collections::HashSet;
use std::fmt::Write;
use std::sync::LazyLock;

/// One country on the map.
pub struct Shade {
    /// ISO 3166-1 alpha-2, as the outlines are named.
    pub code: String,
    pub name: String,
    /// None when withheld.
    pub value: Option<f64>,
    /// What the tooltip and the table say.
    pub shown: String,
}

/// Five blues from light to dark (ColorBrewer "Blues"), told apart in greyscale too.
const BLUES: [&str; 5] = ["#c6dbef", "#9ecae1", "#6baed6", "#3182bd", "#08519c"];
const WITHHELD: &str = "#bbbbbb";
const ASSET: &str = "/static/world.svg";

/// The countries the outlines give a dot (too small to see), read once from the asset.
static DOTTED: LazyLock<HashSet<&'static str>> = LazyLock::new(|| {
    crate::assets::WORLD
        .split("id=\"dot-")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .collect()
});

/// Upper bounds of the five classes for values from 0 to `max`.
fn classes(max: f64) -> [f64; 5] {
    let step = if max > 0.0 { max / 5.0 } else { 1.0 };
    [step, 2.0 * step, 3.0 * step, 4.0 * step, f64::INFINITY]
}

fn class(v: f64, bounds: &[f64; 5]) -> usize {
    bounds.iter().position(|b| v <= *b).unwrap_or(4)
}

/// The map; `max` fixes the top of the scale (1 for scores), or none to take the largest
/// value. `fmt` writes a class bound for the legend.
pub fn world(
    shades: &[Shade],
    max: Option<f64>,
    fmt: impl Fn(f64) -> String,
    title: &str,
    desc: &str,
    withheld_label: &str,
) -> String {
    let top = max.unwrap_or_else(|| shades.iter().filter_map(|s| s.value).fold(0.0, f64::max));
    let bounds = classes(top);
    let mut s = String::new();
    let _ = write!(
        s,
        r##"<svg class="chart map" viewBox="0 0 1000 540" role="img" xmlns="http://www.w3.org/2000/svg"><title>{}</title><desc>{}</desc><use href="{ASSET}#all" fill="#eeeeee" stroke="#ffffff" stroke-width="0.5"/>"##,
        esc(title),
        esc(desc)
    );
    for sh in shades {
        let fill = match sh.value {
            Some(v) => BLUES[class(v, &bounds)],
            None => WITHHELD,
        };
        let tip = format!("{}: {}", sh.name, sh.shown);
        let _ = write!(
            s,
            r##"<use href="{ASSET}#{code}" fill="{fill}" stroke="#ffffff" stroke-width="0.5"><title>{tip}</title></use>"##,
            code = esc(&sh.code),
            tip = esc(&tip)
        );
        if DOTTED.contains(sh.code.as_str()) {
            let _ = write!(
                s,
                r##"<use href="{ASSET}#dot-{code}" fill="{fill}" stroke="#333333" stroke-width="0.8"><title>{tip}</title></use>"##,
                code = esc(&sh.code),
                tip = esc(&tip)
            );
        }
    }
    // The legend along the bottom: five classes, then the withheld mark.
    let mut lower = 0.0;
    for (i, colour) in BLUES.iter().enumerate() {
        let x = 20.0 + i as f64 * 150.0;
        let upper = if i == 4 { top } else { bounds[i] };
        let _ = write!(
            s,
            r##"<rect x="{x}" y="500" width="22" height="14" fill="{colour}" stroke="#666666" stroke-width="0.5"/><text x="{}" y="512" font-size="13" fill="#222222">{} – {}</text>"##,
            x + 28.0,
            esc(&fmt(lower)),
            esc(&fmt(upper))
        );
        lower = upper;
    }
    let _ = write!(
        s,
        r##"<rect x="770" y="500" width="22" height="14" fill="{WITHHELD}" stroke="#666666" stroke-width="0.5"/><text x="798" y="512" font-size="13" fill="#222222">{}</text></svg>"##,
        esc(withheld_label)
    );
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn countries_are_coloured_by_class_and_small_ones_get_a_dot() {
        let svg = world(
            &[
                Shade {
                    code: "AL".into(),
                    name: "Albania".into(),
                    value: Some(100.0),
                    shown: "100".into(),
                },
                Shade {
                    code: "GE".into(),
                    name: "Georgia".into(),
                    value: Some(10.0),
                    shown: "10".into(),
                },
                Shade {
                    code: "WS".into(),
                    name: "Samoa".into(),
                    value: None,
                    shown: "<5".into(),
                },
            ],
            None,
            |v| format!("{v:.0}"),
            "Returns",
            "by country",
            "fewer than 5",
        );
        assert!(
            svg.contains(r##"href="/static/world.svg#AL" fill="#08519c""##),
            "the largest is darkest"
        );
        assert!(svg.contains(r##"href="/static/world.svg#GE" fill="#c6dbef""##));
        assert!(
            svg.contains(r##"href="/static/world.svg#WS" fill="#bbbbbb""##),
            "withheld is grey"
        );
        assert!(
            svg.contains("#dot-WS"),
            "Samoa is too small to see without a dot"
        );
        assert!(!svg.contains("#dot-AL"));
        assert!(svg.contains("Samoa: &lt;5"));
        assert!(
            svg.contains("80 – 100"),
            "the legend's last class ends at the largest"
        );
        // Every country drawn has an outline in the asset.
        for code in ["AL", "GE", "WS", "IQ", "AF", "NG", "MD", "AM", "XK"] {
            assert!(
                crate::assets::WORLD.contains(&format!("id=\"{code}\""))
                    || crate::assets::WORLD.contains(&format!("id=\"dot-{code}\"")),
                "{code}"
            );
        }
    }
}
