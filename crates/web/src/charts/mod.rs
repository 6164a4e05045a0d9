//! Charts drawn on the server as SVG, so pages stay light and work without JavaScript.
//! Every chart carries a title and a description for screen readers, and the page shows
//! its numbers as a table too.

pub mod bars;
pub mod map;
pub mod scores;

/// Text made safe inside SVG markup.
pub(crate) fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}
