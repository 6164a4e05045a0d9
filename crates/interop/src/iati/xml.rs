//! A small element tree read with quick-xml, with line numbers for messages.

use quick_xml::Reader;
use quick_xml::encoding::Decoder;
use quick_xml::events::{BytesStart, Event};

#[derive(Debug, Default, Clone)]
pub struct Element {
    pub name: String,
    pub attrs: Vec<(String, String)>,
    pub children: Vec<Element>,
    pub text: String,
    pub line: usize,
}

impl Element {
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.trim())
            .filter(|v| !v.is_empty())
    }

    pub fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Element> + 'a {
        self.children.iter().filter(move |c| c.name == name)
    }

    pub fn first(&self, name: &str) -> Option<&Element> {
        self.children.iter().find(|c| c.name == name)
    }

    /// The English narrative of this element (or the first when none says English).
    pub fn narrative(&self) -> Option<String> {
        let narratives: Vec<&Element> = self.all("narrative").collect();
        let en = narratives
            .iter()
            .find(|n| matches!(n.attr("xml:lang"), None | Some("en" | "EN")));
        en.or(narratives.first())
            .map(|n| n.text.split_whitespace().collect::<Vec<_>>().join(" "))
            .filter(|t| !t.is_empty())
    }
}

/// Counts lines as the reader moves forward, so finding a line never rescans the file.
struct Lines<'a> {
    bytes: &'a [u8],
    pos: usize,
    line: usize,
}

impl Lines<'_> {
    fn at(&mut self, pos: u64) -> usize {
        let end = (pos as usize).min(self.bytes.len());
        if end >= self.pos {
            self.line += self.bytes[self.pos..end]
                .iter()
                .filter(|b| **b == b'\n')
                .count();
        } else {
            self.line = 1 + self.bytes[..end].iter().filter(|b| **b == b'\n').count();
        }
        self.pos = end;
        self.line
    }
}

fn start(e: &BytesStart, line: usize, decoder: Decoder) -> Result<Element, String> {
    let mut attrs = Vec::new();
    for a in e.attributes() {
        let a = a.map_err(|e| format!("line {line}: a broken attribute: {e}"))?;
        let key = String::from_utf8_lossy(a.key.as_ref()).into_owned();
        let value = a
            .decode_and_unescape_value(decoder)
            .map_err(|e| format!("line {line}: attribute {key}: {e}"))?
            .into_owned();
        attrs.push((key, value));
    }
    Ok(Element {
        name: String::from_utf8_lossy(e.name().as_ref()).into_owned(),
        attrs,
        line,
        ..Default::default()
    })
}

/// IATI nests a few levels; a file nesting far deeper is refused rather than followed.
const MAX_DEPTH: usize = 64;

/// Parses a whole document; the error names the line.
pub fn parse(bytes: &[u8]) -> Result<Element, String> {
    let mut reader = Reader::from_reader(bytes);
    reader.config_mut().trim_text(false);
    let mut stack: Vec<Element> = vec![Element::default()];
    let mut buf = Vec::new();
    let mut lines = Lines {
        bytes,
        pos: 0,
        line: 1,
    };
    loop {
        let pos = reader.buffer_position();
        let event = reader.read_event_into(&mut buf).map_err(|e| {
            format!(
                "line {}: not well-formed XML: {e}",
                lines.at(reader.error_position())
            )
        })?;
        let line = lines.at(pos);
        match event {
            Event::Start(e) => {
                if stack.len() > MAX_DEPTH {
                    return Err(format!(
                        "line {line}: elements nest deeper than {MAX_DEPTH} levels"
                    ));
                }
                stack.push(start(&e, line, reader.decoder())?)
            }
            Event::Empty(e) => {
                let el = start(&e, line, reader.decoder())?;
                if let Some(parent) = stack.last_mut() {
                    parent.children.push(el);
                }
            }
            Event::End(_) => {
                let el = stack
                    .pop()
                    .ok_or_else(|| format!("line {line}: unexpected end tag"))?;
                match stack.last_mut() {
                    Some(parent) => parent.children.push(el),
                    None => return Err(format!("line {line}: unexpected end tag")),
                }
            }
            Event::Text(t) => {
                let text = t.unescape().map_err(|e| format!("line {line}: {e}"))?;
                if let Some(el) = stack.last_mut() {
                    el.text.push_str(&text);
                }
            }
            Event::CData(t) => {
                if let Some(el) = stack.last_mut() {
                    el.text.push_str(&String::from_utf8_lossy(&t));
                }
            }
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    if stack.len() != 1 {
        return Err("the file ends before its elements are closed".to_owned());
    }
    let doc = stack.pop().unwrap_or_default();
    doc.children
        .into_iter()
        .next()
        .ok_or_else(|| "the file holds no XML element".to_owned())
}
