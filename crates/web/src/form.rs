//! A URL-encoded form as name–value pairs, keeping repeated names (checkboxes).

use crate::PageError;
use axum::body::to_bytes;
use axum::extract::{FromRequest, Request};
use homeward_domain::FieldError;

const LIMIT: usize = 1024 * 1024;

#[derive(Debug, Clone, Default)]
pub struct Fields(pub Vec<(String, String)>);

impl Fields {
    /// The first value of `name`, or "".
    pub fn get(&self, name: &str) -> &str {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .unwrap_or("")
    }

    /// Every value of `name`, in order.
    pub fn all(&self, name: &str) -> Vec<&str> {
        self.0
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .collect()
    }

    pub fn has(&self, name: &str) -> bool {
        self.0.iter().any(|(k, _)| k == name)
    }

    /// `name` as a whole number, or a field error naming it.
    pub fn int(&self, name: &str) -> Result<i64, PageError> {
        self.get(name).trim().parse().map_err(|_| {
            PageError::BadRequest(vec![FieldError::new(name, "must be a whole number")])
        })
    }
}

impl<S: Send + Sync> FromRequest<S> for Fields {
    type Rejection = PageError;

    async fn from_request(req: Request, _: &S) -> Result<Self, PageError> {
        let bytes = to_bytes(req.into_body(), LIMIT).await.map_err(|_| {
            PageError::BadRequest(vec![FieldError::new("form", "is larger than 1 MB")])
        })?;
        Ok(Fields(decode(&bytes).map_err(|field| {
            PageError::BadRequest(vec![FieldError::new(field, NOT_UTF8)])
        })?))
    }
}

const NOT_UTF8: &str = "is not valid text (its bytes are not UTF-8); type it again";

/// URL-encoded pairs (`a=1&b=x+y`), decoded; a name or value whose bytes are not UTF-8
/// is refused, named, instead of kept with replacement characters.
pub fn decode(encoded: &[u8]) -> Result<Vec<(String, String)>, String> {
    let text = |raw: &[u8]| -> Result<String, Vec<u8>> {
        let spaced: Vec<u8> = raw
            .iter()
            .map(|b| if *b == b'+' { b' ' } else { *b })
            .collect();
        let bytes: Vec<u8> = percent_encoding::percent_decode(&spaced).collect();
        String::from_utf8(bytes).map_err(|e| e.into_bytes())
    };
    let mut pairs = vec![];
    for pair in encoded.split(|b| *b == b'&').filter(|p| !p.is_empty()) {
        let (k, v) = match pair.iter().position(|b| *b == b'=') {
            Some(i) => (&pair[..i], &pair[i + 1..]),
            None => (pair, &pair[..0]),
        };
        let name = text(k).map_err(|bytes| String::from_utf8_lossy(&bytes).into_owned())?;
        let value = text(v).map_err(|_| name.clone())?;
        pairs.push((name, value));
    }
    Ok(pairs)
}

/// Refuses a request whose query string holds text that is not UTF-8, naming the
/// parameter, before any handler reads it with replacement characters: a page for
/// people, JSON under `/api/`.
pub async fn strict_query(req: Request, next: axum::middleware::Next) -> axum::response::Response {
    use axum::response::IntoResponse;
    let refused = req.uri().query().and_then(|q| decode(q.as_bytes()).err());
    match refused {
        Some(field) => {
            let errs = vec![FieldError::new(field, NOT_UTF8)];
            if req.uri().path().starts_with("/api/") {
                crate::ApiError::BadRequest(errs).into_response()
            } else {
                PageError::BadRequest(errs).into_response()
            }
        }
        None => next.run(req).await,
    }
}

#[cfg(test)]
mod tests {
    use super::decode;

    #[test]
    fn forms_decode_and_refuse_bytes_that_are_not_text() {
        let ok = decode(b"given_name=Dr%C3%ABita&note=a+b&box&box=2").expect("text");
        assert_eq!(
            ok,
            [
                ("given_name".to_owned(), "Dr\u{eb}ita".to_owned()),
                ("note".to_owned(), "a b".to_owned()),
                ("box".to_owned(), String::new()),
                ("box".to_owned(), "2".to_owned()),
            ]
        );
        assert_eq!(
            decode(b"given_name=Dr%EBita&x=1"),
            Err("given_name".to_owned())
        );
        assert_eq!(decode(b"a=1&%FF=2"), Err("\u{fffd}".to_owned()));
    }
}
