//! Links that carry a catalogue search, so every filter, sort and page is a shareable URL.

use homeward_domain::FieldError;
use homeward_domain::catalogue::{CatalogueQuery, Facet};

/// The catalogue search in a URL's query string (`q=...&region=...`).
pub fn parse_search(raw_query: &str) -> Result<CatalogueQuery, Vec<FieldError>> {
    let pairs: Vec<(String, String)> =
        form_urlencoded::parse(raw_query.trim_start_matches('?').as_bytes())
            .into_owned()
            .collect();
    CatalogueQuery::from_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())))
}

/// `path?k=v&...` with the pairs encoded; just `path` when there are none.
pub fn with_pairs<'a>(path: &str, pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> String {
    let mut ser = form_urlencoded::Serializer::new(String::new());
    let mut any = false;
    for (k, v) in pairs {
        ser.append_pair(k, v);
        any = true;
    }
    if any {
        format!("{path}?{}", ser.finish())
    } else {
        path.to_owned()
    }
}

pub fn search_url(path: &str, q: &CatalogueQuery) -> String {
    let pairs = q.to_pairs();
    with_pairs(path, pairs.iter().map(|(k, v)| (*k, v.as_str())))
}

/// The search with `value` added to or removed from `facet`, back on page 1.
pub fn toggle_url(q: &CatalogueQuery, facet: Facet, value: &str) -> String {
    let mut pairs = q.to_pairs();
    let key = facet.param();
    let before = pairs.len();
    pairs.retain(|(k, v)| !(*k == key && v.eq_ignore_ascii_case(value)));
    if pairs.len() == before {
        pairs.push((key, value.to_owned()));
    }
    pairs.retain(|(k, _)| *k != "page");
    with_pairs("/projects", pairs.iter().map(|(k, v)| (*k, v.as_str())))
}

/// A project identifier as one path segment: identifiers from other IATI publishers may
/// hold any character.
pub fn path_segment(public_id: &str) -> String {
    form_urlencoded::byte_serialize(public_id.as_bytes()).collect()
}

/// A project's page.
pub fn project_url(public_id: &str) -> String {
    format!("/projects/{}", path_segment(public_id))
}

pub fn page_url(q: &CatalogueQuery, page: u32) -> String {
    let mut q = q.clone();
    q.page = page;
    search_url("/projects", &q)
}

/// Only local paths are followed after switching language, never another site.
pub fn safe_next(next: Option<&str>) -> &str {
    match next {
        Some(n)
            if n.starts_with('/')
                && !n.starts_with("//")
                && !n.contains('\\')
                && n.chars().all(|c| !c.is_control() && !c.is_whitespace()) =>
        {
            n
        }
        _ => "/projects",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn toggles_filters_and_resets_the_page() {
        let q = CatalogueQuery::from_pairs([("q", "Samoa"), ("region", "Europe"), ("page", "3")])
            .unwrap();
        assert_eq!(
            toggle_url(&q, Facet::Region, "Asia and Oceania"),
            "/projects?q=Samoa&region=Europe&region=Asia+and+Oceania"
        );
        assert_eq!(toggle_url(&q, Facet::Region, "Europe"), "/projects?q=Samoa");
        assert_eq!(page_url(&q, 4), "/projects?q=Samoa&region=Europe&page=4");
    }

    #[test]
    fn refuses_foreign_redirects() {
        assert_eq!(safe_next(Some("//evil.example")), "/projects");
        assert_eq!(safe_next(Some("https://evil.example")), "/projects");
        assert_eq!(safe_next(Some("/\t/evil.example")), "/projects");
        assert_eq!(safe_next(Some("/x\r\nSet-Cookie: a=b")), "/projects");
        assert_eq!(safe_next(Some("/projects/TC.0495")), "/projects/TC.0495");
    }
}
