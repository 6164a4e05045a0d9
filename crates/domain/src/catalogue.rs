//! The public catalogue's question: free text, filters, sort and page, parsed from a URL's
//! query so that a search can be shared as a link; and the highlighting of matches.

use crate::project::{Coverage, ProjectStatus};
use crate::{CountryCode, FieldError};
use serde::Serialize;

/// How results are ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Sort {
    /// Best match first when there is a text query, otherwise newest first.
    #[default]
    Relevance,
    Newest,
    Oldest,
    BudgetDesc,
    BudgetAsc,
    Title,
}

impl Sort {
    pub const ALL: &'static [Sort] = &[
        Sort::Relevance,
        Sort::Newest,
        Sort::Oldest,
        Sort::BudgetDesc,
        Sort::BudgetAsc,
        Sort::Title,
    ];

    pub fn code(&self) -> &'static str {
        match self {
            Sort::Relevance => "relevance",
            Sort::Newest => "newest",
            Sort::Oldest => "oldest",
            Sort::BudgetDesc => "budget_desc",
            Sort::BudgetAsc => "budget_asc",
            Sort::Title => "title",
        }
    }
}

/// Facets a catalogue can be filtered and counted by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Facet {
    Region,
    ProjectType,
    Status,
    Year,
    Coverage,
    Country,
}

impl Facet {
    pub const ALL: &'static [Facet] = &[
        Facet::Region,
        Facet::ProjectType,
        Facet::Status,
        Facet::Year,
        Facet::Coverage,
        Facet::Country,
    ];

    /// The URL parameter name.
    pub fn param(&self) -> &'static str {
        match self {
            Facet::Region => "region",
            Facet::ProjectType => "type",
            Facet::Status => "status",
            Facet::Year => "year",
            Facet::Coverage => "coverage",
            Facet::Country => "country",
        }
    }
}

pub const DEFAULT_PER_PAGE: u32 = 20;
pub const MAX_PER_PAGE: u32 = 100;
/// Deep pages cost the database more and help nobody; refine the search instead.
pub const MAX_PAGE: u32 = 500;
pub const MAX_QUERY_CHARS: usize = 200;
/// Values one filter may hold at once, and parameters one search may have: enough for any
/// person, and a bound on the work one request can ask for.
pub const MAX_VALUES_PER_FILTER: usize = 30;
pub const MAX_PARAMETERS: usize = 120;

/// A parsed catalogue search. Within one facet values are alternatives (OR); across
/// facets they all apply (AND).
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct CatalogueQuery {
    pub text: String,
    pub regions: Vec<String>,
    pub project_types: Vec<String>,
    pub statuses: Vec<ProjectStatus>,
    pub years: Vec<i32>,
    pub coverages: Vec<Coverage>,
    pub countries: Vec<CountryCode>,
    pub sort: Sort,
    pub page: u32,
    pub per_page: u32,
}

fn push_unique<T: PartialEq>(v: &mut Vec<T>, x: T) {
    if !v.contains(&x) && v.len() < MAX_VALUES_PER_FILTER {
        v.push(x);
    }
}

impl CatalogueQuery {
    /// Reads `q`, the facet parameters, `sort`, `page` and `per_page`. Unknown parameters
    /// (such as `lang`) are left to others; a bad value is an error naming its parameter.
    pub fn from_pairs<'a>(
        pairs: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Result<Self, Vec<FieldError>> {
        let mut q = CatalogueQuery {
            page: 1,
            per_page: DEFAULT_PER_PAGE,
            ..Default::default()
        };
        let mut errs = Vec::new();
        for (n, (key, raw)) in pairs.into_iter().enumerate() {
            if n == MAX_PARAMETERS {
                errs.push(FieldError::new(
                    key,
                    format!("a search has at most {MAX_PARAMETERS} parameters"),
                ));
                break;
            }
            let value = raw.trim();
            if value.is_empty() {
                continue;
            }
            let mut err = |reason: String| errs.push(FieldError::new(key, reason));
            match key {
                "q" => {
                    if value.chars().count() > MAX_QUERY_CHARS {
                        err(format!("a search is at most {MAX_QUERY_CHARS} characters"));
                    } else {
                        q.text = value.to_owned();
                    }
                }
                "region" => push_unique(&mut q.regions, value.to_owned()),
                "type" => push_unique(&mut q.project_types, value.to_owned()),
                "status" => match value.parse() {
                    Ok(s) => push_unique(&mut q.statuses, s),
                    Err(e) => err(e),
                },
                "year" => match value.parse::<i32>() {
                    Ok(y) if (1900..=2200).contains(&y) => push_unique(&mut q.years, y),
                    _ => err(format!("{value:?} is not a year")),
                },
                "coverage" => match value.parse() {
                    Ok(c) => push_unique(&mut q.coverages, c),
                    Err(e) => err(e),
                },
                "country" => match value.parse() {
                    Ok(c) => push_unique(&mut q.countries, c),
                    Err(e) => err(e),
                },
                "sort" => match Sort::ALL.iter().find(|s| s.code() == value) {
                    Some(s) => q.sort = *s,
                    None => err(format!(
                        "{value:?} is not one of: {}",
                        Sort::ALL
                            .iter()
                            .map(|s| s.code())
                            .collect::<Vec<_>>()
                            .join(", ")
                    )),
                },
                "page" => match value.parse::<u32>() {
                    Ok(p) if (1..=MAX_PAGE).contains(&p) => q.page = p,
                    _ => err(format!("the page must be a number from 1 to {MAX_PAGE}")),
                },
                "per_page" => match value.parse::<u32>() {
                    Ok(n) if (1..=MAX_PER_PAGE).contains(&n) => q.per_page = n,
                    _ => err(format!(
                        "per_page must be a number from 1 to {MAX_PER_PAGE}"
                    )),
                },
                _ => {}
            }
        }
        if errs.is_empty() { Ok(q) } else { Err(errs) }
    }

    /// The words searched for, lower-cased; punctuation and search operators are dropped so
    /// nothing a user types can break the database's query syntax.
    pub fn terms(&self) -> Vec<String> {
        search_terms(&self.text)
    }

    pub fn has_filters(&self) -> bool {
        !(self.regions.is_empty()
            && self.project_types.is_empty()
            && self.statuses.is_empty()
            && self.years.is_empty()
            && self.coverages.is_empty()
            && self.countries.is_empty())
    }

    /// The same query without one facet's filter: the base for that facet's counts, so a
    /// user can see what choosing another value would give.
    pub fn without(&self, facet: Facet) -> CatalogueQuery {
        let mut q = self.clone();
        match facet {
            Facet::Region => q.regions.clear(),
            Facet::ProjectType => q.project_types.clear(),
            Facet::Status => q.statuses.clear(),
            Facet::Year => q.years.clear(),
            Facet::Coverage => q.coverages.clear(),
            Facet::Country => q.countries.clear(),
        }
        q
    }

    /// The filters alone: the same search without its words, order or page.
    pub fn without_text_and_paging(&self) -> CatalogueQuery {
        CatalogueQuery {
            text: String::new(),
            sort: Sort::Relevance,
            page: 1,
            per_page: DEFAULT_PER_PAGE,
            ..self.clone()
        }
    }

    /// The effective order: relevance means newest when nothing was typed.
    pub fn effective_sort(&self) -> Sort {
        if self.sort == Sort::Relevance && self.terms().is_empty() {
            Sort::Newest
        } else {
            self.sort
        }
    }

    pub fn offset(&self) -> u64 {
        u64::from(self.page.saturating_sub(1)) * u64::from(self.per_page)
    }

    /// The query as URL parameters, in a stable order, for links.
    pub fn to_pairs(&self) -> Vec<(&'static str, String)> {
        let mut v: Vec<(&'static str, String)> = Vec::new();
        if !self.text.is_empty() {
            v.push(("q", self.text.clone()));
        }
        v.extend(self.regions.iter().map(|r| ("region", r.clone())));
        v.extend(self.project_types.iter().map(|r| ("type", r.clone())));
        v.extend(
            self.statuses
                .iter()
                .map(|s| ("status", s.code().to_owned())),
        );
        v.extend(self.years.iter().map(|y| ("year", y.to_string())));
        v.extend(
            self.coverages
                .iter()
                .map(|c| ("coverage", c.code().to_owned())),
        );
        v.extend(self.countries.iter().map(|c| ("country", c.to_string())));
        if self.sort != Sort::Relevance {
            v.push(("sort", self.sort.code().to_owned()));
        }
        if self.per_page != DEFAULT_PER_PAGE {
            v.push(("per_page", self.per_page.to_string()));
        }
        if self.page != 1 {
            v.push(("page", self.page.to_string()));
        }
        v
    }
}

/// At most this many words are searched; more only slows the query.
const MAX_TERMS: usize = 8;

/// English words too common to search for: the Snowball list PostgreSQL's `english`
/// configuration drops, dropped here too so both databases answer the same.
const STOP_WORDS: &[&str] = &[
    "i",
    "me",
    "my",
    "myself",
    "we",
    "our",
    "ours",
    "ourselves",
    "you",
    "your",
    "yours",
    "yourself",
    "yourselves",
    "he",
    "him",
    "his",
    "himself",
    "she",
    "her",
    "hers",
    "herself",
    "it",
    "its",
    "itself",
    "they",
    "them",
    "their",
    "theirs",
    "themselves",
    "what",
    "which",
    "who",
    "whom",
    "this",
    "that",
    "these",
    "those",
    "am",
    "is",
    "are",
    "was",
    "were",
    "be",
    "been",
    "being",
    "have",
    "has",
    "had",
    "having",
    "do",
    "does",
    "did",
    "doing",
    "a",
    "an",
    "the",
    "and",
    "but",
    "if",
    "or",
    "because",
    "as",
    "until",
    "while",
    "of",
    "at",
    "by",
    "for",
    "with",
    "about",
    "against",
    "between",
    "into",
    "through",
    "during",
    "before",
    "after",
    "above",
    "below",
    "to",
    "from",
    "up",
    "down",
    "in",
    "out",
    "on",
    "off",
    "over",
    "under",
    "again",
    "further",
    "then",
    "once",
    "here",
    "there",
    "when",
    "where",
    "why",
    "how",
    "all",
    "any",
    "both",
    "each",
    "few",
    "more",
    "most",
    "other",
    "some",
    "such",
    "no",
    "nor",
    "not",
    "only",
    "own",
    "same",
    "so",
    "than",
    "too",
    "very",
    "s",
    "t",
    "can",
    "will",
    "just",
    "don",
    "should",
    "now",
];

/// Splits free text into lower-case words of letters and digits, without stop words.
pub fn search_terms(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for w in text.split(|c: char| !c.is_alphanumeric()) {
        if w.is_empty() {
            continue;
        }
        let w = w.to_lowercase();
        if STOP_WORDS.contains(&w.as_str()) {
            continue;
        }
        if !out.contains(&w) {
            out.push(w);
        }
        if out.len() == MAX_TERMS {
            break;
        }
    }
    out
}

/// The stem used to recognise a word's other forms (reintegrate, reintegration): the
/// database stems with Porter's algorithm; this is a cruder cut that agrees on the
/// common cases and never marks less than the word typed.
fn stem(word: &str) -> String {
    const SUFFIXES: &[&str] = &[
        "ations", "ation", "ings", "ing", "ies", "ied", "ed", "es", "s", "e", "y",
    ];
    for suf in SUFFIXES {
        if let Some(base) = word.strip_suffix(suf)
            && base.chars().count() >= 4
        {
            return base.to_owned();
        }
    }
    word.to_owned()
}

/// A piece of text, marked when it matched the search.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Segment {
    pub text: String,
    pub hit: bool,
}

/// Cuts `text` into segments, marking every word that starts with the stem of a search
/// term. Pages wrap the marked ones in `<mark>`.
pub fn highlight(text: &str, terms: &[String]) -> Vec<Segment> {
    let stems: Vec<String> = terms.iter().map(|t| stem(t)).collect();
    let mut out: Vec<Segment> = Vec::new();
    let mut push = |s: &str, hit: bool| match out.last_mut() {
        Some(last) if last.hit == hit => last.text.push_str(s),
        _ => out.push(Segment {
            text: s.to_owned(),
            hit,
        }),
    };
    let mut rest = text;
    while !rest.is_empty() {
        let word_start = rest.find(char::is_alphanumeric).unwrap_or(rest.len());
        push(&rest[..word_start], false);
        rest = &rest[word_start..];
        let word_end = rest
            .find(|c: char| !c.is_alphanumeric())
            .unwrap_or(rest.len());
        let word = &rest[..word_end];
        if !word.is_empty() {
            let lower = word.to_lowercase();
            let hit = stems.iter().any(|s| lower.starts_with(s.as_str()));
            push(word, hit);
        }
        rest = &rest[word_end..];
    }
    out
}

/// A window of about `max_chars` around the first match, with `…` where text was cut.
/// Works in characters throughout, so no cut can fall inside one.
pub fn excerpt(text: &str, terms: &[String], max_chars: usize) -> String {
    let chars: Vec<char> = text.chars().collect();
    if chars.len() <= max_chars {
        return text.to_owned();
    }
    // One lower-case character per character, so positions stay aligned.
    let lower: Vec<char> = chars
        .iter()
        .map(|c| c.to_lowercase().next().unwrap_or(*c))
        .collect();
    let hit_char = terms
        .iter()
        .filter_map(|t| {
            let needle: Vec<char> = stem(t).chars().collect();
            if needle.is_empty() {
                return None;
            }
            lower
                .windows(needle.len())
                .position(|w| w == needle.as_slice())
        })
        .min()
        .unwrap_or(0);
    let start = hit_char.saturating_sub(max_chars / 4);
    let start = chars[..start]
        .iter()
        .rposition(|c| c.is_whitespace())
        .map_or(0, |p| p + 1);
    let end = (start + max_chars).min(chars.len());
    let end = if end < chars.len() {
        chars[start..end]
            .iter()
            .rposition(|c| c.is_whitespace())
            .map_or(end, |p| start + p)
    } else {
        end
    };
    let mut s = String::new();
    if start > 0 {
        s.push('…');
    }
    s.extend(&chars[start..end]);
    if end < chars.len() {
        s.push('…');
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_a_shared_link() {
        let q = CatalogueQuery::from_pairs([
            ("q", "returnees Samoa"),
            ("region", "Europe"),
            ("region", "Asia and Oceania"),
            ("status", "active"),
            ("year", "2022"),
            ("country", "ge"),
            ("sort", "budget_desc"),
            ("page", "2"),
            ("lang", "fr"),
        ])
        .unwrap();
        assert_eq!(q.regions.len(), 2);
        assert_eq!(q.statuses, vec![ProjectStatus::Active]);
        assert_eq!(q.countries[0].as_str(), "GE");
        assert_eq!(q.sort, Sort::BudgetDesc);
        assert_eq!(q.offset(), 20);
        let again =
            CatalogueQuery::from_pairs(q.to_pairs().iter().map(|(k, v)| (*k, v.as_str()))).unwrap();
        assert_eq!(q, again);
    }

    #[test]
    fn names_each_bad_parameter() {
        let errs = CatalogueQuery::from_pairs([
            ("status", "done"),
            ("year", "twenty"),
            ("country", "XX"),
            ("page", "0"),
            ("sort", "random"),
        ])
        .unwrap_err();
        let fields: Vec<&str> = errs.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["status", "year", "country", "page", "sort"]);
    }

    #[test]
    fn terms_drop_operators() {
        assert_eq!(
            search_terms("\"Samoa\" OR (returnees*) -x NEAR the"),
            vec!["samoa", "returnees", "x", "near"]
        );
        assert!(search_terms("  ** ").is_empty());
    }

    #[test]
    fn relevance_without_text_means_newest() {
        let q = CatalogueQuery::from_pairs([("region", "Europe")]).unwrap();
        assert_eq!(q.effective_sort(), Sort::Newest);
    }

    #[test]
    fn highlights_word_forms() {
        let terms = search_terms("reintegration returnees");
        let segs = highlight("Sustainably reintegrate non-IOM returnees.", &terms);
        let hits: Vec<&str> = segs
            .iter()
            .filter(|s| s.hit)
            .map(|s| s.text.as_str())
            .collect();
        assert_eq!(hits, vec!["reintegrate", "returnees"]);
        let joined: String = segs.iter().map(|s| s.text.as_str()).collect();
        assert_eq!(joined, "Sustainably reintegrate non-IOM returnees.");
    }

    #[test]
    fn excerpt_survives_case_changes_that_alter_byte_lengths() {
        let text = "ẞé ".repeat(100) + "samoa" + &" Ⱥ".repeat(200);
        let e = excerpt(&text, &["samoa".into()], 60);
        assert!(e.contains("samoa"), "{e}");
    }

    #[test]
    fn too_many_values_are_capped_and_too_many_parameters_refused() {
        let many: Vec<String> = (0..100).map(|i| format!("Region {i}")).collect();
        let q = CatalogueQuery::from_pairs(many.iter().map(|r| ("region", r.as_str()))).unwrap();
        assert_eq!(q.regions.len(), MAX_VALUES_PER_FILTER);
        let flood: Vec<(&str, &str)> = (0..200).map(|_| ("lang", "en")).collect();
        assert!(CatalogueQuery::from_pairs(flood).is_err());
    }

    #[test]
    fn excerpt_centres_on_the_match() {
        let text = "a ".repeat(200) + "Samoa is here" + &" b".repeat(200);
        let e = excerpt(&text, &["samoa".into()], 60);
        assert!(e.contains("Samoa"), "{e}");
        assert!(e.starts_with('…') && e.ends_with('…'));
    }
}
