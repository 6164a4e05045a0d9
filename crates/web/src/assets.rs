//! The stylesheet, the map's country outlines and other static files, embedded in the
//! binary, and sent gzip-compressed (once, at first use) to browsers that accept it, so a
//! page with its map stays light on a slow connection. Pages themselves are not
//! compressed: they carry a CSRF token next to text a visitor chose.

use axum::extract::Path;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use flate2::Compression;
use flate2::write::GzEncoder;
use std::io::Write;
use std::sync::LazyLock;

const STYLE: &str = include_str!("../assets/style.css");
/// Country outlines for the dashboard's map (Natural Earth, public domain; made by
/// `tools/world-map.py`).
pub(crate) const WORLD: &str = include_str!("../assets/world.svg");

fn gzip(text: &str) -> Vec<u8> {
    let mut e = GzEncoder::new(Vec::new(), Compression::best());
    // Writing to a Vec cannot fail; an empty body would only mean an uncompressed reply.
    if e.write_all(text.as_bytes()).is_err() {
        return vec![];
    }
    e.finish().unwrap_or_default()
}

static STYLE_GZ: LazyLock<Vec<u8>> = LazyLock::new(|| gzip(STYLE));
static WORLD_GZ: LazyLock<Vec<u8>> = LazyLock::new(|| gzip(WORLD));

fn asset(
    headers: &HeaderMap,
    content_type: &'static str,
    max_age: u32,
    text: &'static str,
    gz: &'static [u8],
) -> Response {
    let accepts_gzip = headers
        .get(header::ACCEPT_ENCODING)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|e| e.trim().starts_with("gzip")));
    let cache = format!("public, max-age={max_age}");
    if accepts_gzip && !gz.is_empty() {
        (
            [
                (header::CONTENT_TYPE, content_type.to_owned()),
                (header::CACHE_CONTROL, cache),
                (header::CONTENT_ENCODING, "gzip".to_owned()),
                (header::VARY, "Accept-Encoding".to_owned()),
            ],
            gz,
        )
            .into_response()
    } else {
        (
            [
                (header::CONTENT_TYPE, content_type.to_owned()),
                (header::CACHE_CONTROL, cache),
                (header::VARY, "Accept-Encoding".to_owned()),
            ],
            text,
        )
            .into_response()
    }
}

pub async fn serve(Path(file): Path<String>, headers: HeaderMap) -> Response {
    match file.as_str() {
        "style.css" => asset(&headers, "text/css; charset=utf-8", 3600, STYLE, &STYLE_GZ),
        "world.svg" => asset(&headers, "image/svg+xml", 86_400, WORLD, &WORLD_GZ),
        _ => StatusCode::NOT_FOUND.into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    #[test]
    fn assets_compress_and_come_back_whole() {
        for (text, gz) in [(STYLE, &*STYLE_GZ), (WORLD, &*WORLD_GZ)] {
            assert!(!gz.is_empty() && gz.len() * 2 < text.len());
            let mut back = String::new();
            flate2::read::GzDecoder::new(gz.as_slice())
                .read_to_string(&mut back)
                .expect("gunzip");
            assert_eq!(back, text);
        }
    }
}
