//! Documents on a case: any file a caseworker keeps with it (an identity document, a
//! certificate, a medical paper, a training record, a contract, a photo), each with its
//! kind and a sensitive flag. The file's type is read from its bytes, never from its
//! name; medical papers and photos are always sensitive (seen only by who may read the
//! case's sensitive fields).

use crate::FieldError;

code_enum!(
    /// What a document is.
    DocumentKind {
        Identity = "identity" / "Identity document",
        Certificate = "certificate" / "Certificate",
        Medical = "medical" / "Medical",
        Training = "training" / "Training",
        Contract = "contract" / "Contract",
        Photo = "photo" / "Photo",
        Other = "other" / "Other",
    }
);

/// The largest document accepted.
pub const MAX_DOCUMENT_BYTES: usize = 10 * 1024 * 1024;

/// The type of a file read from its first bytes: PDF, PNG or JPEG; None for anything
/// else, whatever its name says.
pub fn sniff(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"%PDF-") {
        Some("application/pdf")
    } else if bytes.starts_with(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A]) {
        Some("image/png")
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("image/jpeg")
    } else {
        None
    }
}

/// A file name safe to show and to send back: the last path part, printable, at most
/// 100 characters; `fallback` when nothing is left.
pub fn safe_name(name: &str, fallback: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or_default();
    let clean: String = base
        .chars()
        .filter(|c| !c.is_control() && !matches!(c, '"' | ';'))
        .take(100)
        .collect();
    if clean.trim().is_empty() {
        fallback.to_owned()
    } else {
        clean.trim().to_owned()
    }
}

/// The name a kept file goes by: [`safe_name`] with the extension of the type its bytes
/// show, so `passport.exe` holding a PDF is kept (and downloaded) as `passport.pdf` and a
/// download never opens as something else.
pub fn name_for_type(name: &str, fallback: &str, content_type: &str) -> String {
    let safe = safe_name(name, fallback);
    let ext = match content_type {
        "application/pdf" => "pdf",
        "image/png" => "png",
        "image/jpeg" => "jpg",
        _ => return safe,
    };
    let (stem, current) = match safe.rsplit_once('.') {
        Some((stem, e)) if !stem.trim().is_empty() && !e.is_empty() && !e.contains(' ') => {
            (stem, Some(e))
        }
        _ => (safe.as_str(), None),
    };
    let same = current.is_some_and(|e| {
        e.eq_ignore_ascii_case(ext) || (ext == "jpg" && e.eq_ignore_ascii_case("jpeg"))
    });
    if same {
        safe.clone()
    } else {
        format!("{stem}.{ext}")
    }
}

/// A document ready to keep.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentDraft {
    pub kind: DocumentKind,
    pub sensitive: bool,
    pub file_name: String,
    pub content_type: &'static str,
    pub bytes: Vec<u8>,
}

impl DocumentDraft {
    /// Checks a document as sent: its kind, its size (named in the refusal) and its type
    /// from its bytes. Every problem is named by its field.
    pub fn parse(
        kind: &str,
        sensitive: bool,
        file_name: &str,
        bytes: Vec<u8>,
    ) -> Result<DocumentDraft, Vec<FieldError>> {
        let mut errs = vec![];
        let kind = match kind.trim() {
            "" => {
                errs.push(FieldError::new("kind", "choose what the document is"));
                None
            }
            k => k
                .parse::<DocumentKind>()
                .map_err(|e| errs.push(FieldError::new("kind", e)))
                .ok(),
        };
        let content_type = if bytes.is_empty() {
            errs.push(FieldError::new("file", "choose a file; this one is empty"));
            None
        } else if bytes.len() > MAX_DOCUMENT_BYTES {
            errs.push(FieldError::new(
                "file",
                format!(
                    "the file has {:.1} MB; at most {} MB are accepted",
                    bytes.len() as f64 / (1024.0 * 1024.0),
                    MAX_DOCUMENT_BYTES / (1024 * 1024)
                ),
            ));
            None
        } else {
            let t = sniff(&bytes);
            if t.is_none() {
                errs.push(FieldError::new(
                    "file",
                    "send a PDF, PNG or JPEG file (its content, not its name, is checked)",
                ));
            }
            t
        };
        match (kind, content_type) {
            (Some(kind), Some(content_type)) if errs.is_empty() => Ok(DocumentDraft {
                kind,
                sensitive: sensitive || matches!(kind, DocumentKind::Medical | DocumentKind::Photo),
                file_name: name_for_type(file_name, "document", content_type),
                content_type,
                bytes,
            }),
            _ => Err(errs),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_kept_file_is_named_for_the_type_its_bytes_show() {
        let pdf = "application/pdf";
        assert_eq!(
            name_for_type("passport.exe", "document", pdf),
            "passport.pdf"
        );
        assert_eq!(
            name_for_type("C:\\scans\\passport.html", "document", pdf),
            "passport.pdf"
        );
        assert_eq!(name_for_type("scan", "document", pdf), "scan.pdf");
        assert_eq!(name_for_type("Diploma.PDF", "document", pdf), "Diploma.PDF");
        assert_eq!(
            name_for_type("photo.jpeg", "document", "image/jpeg"),
            "photo.jpeg"
        );
        assert_eq!(
            name_for_type("photo.png", "document", "image/jpeg"),
            "photo.jpg"
        );
        assert_eq!(
            name_for_type(".bashrc", "receipt", "image/png"),
            ".bashrc.png"
        );
        assert_eq!(name_for_type("", "receipt", "image/png"), "receipt.png");
        let d = DocumentDraft::parse(
            "certificate",
            false,
            "diploma.docx",
            b"%PDF-1.4\n%%EOF\n".to_vec(),
        )
        .expect("a document");
        assert_eq!(d.file_name, "diploma.pdf");
    }

    const PDF: &[u8] = b"%PDF-1.4\n%%EOF\n";

    #[test]
    fn a_document_is_typed_by_its_bytes_and_its_size_is_named() {
        let d =
            DocumentDraft::parse("certificate", false, "../../diploma.pdf", PDF.to_vec()).unwrap();
        assert_eq!(
            (d.kind, d.content_type, d.file_name.as_str()),
            (DocumentKind::Certificate, "application/pdf", "diploma.pdf")
        );
        assert!(!d.sensitive);
        let errs = DocumentDraft::parse("certificate", false, "virus.pdf", b"MZ\x90\x00".to_vec())
            .unwrap_err();
        assert_eq!(errs[0].field, "file");
        let big = vec![b'%'; MAX_DOCUMENT_BYTES + 1];
        let errs = DocumentDraft::parse("other", false, "big.pdf", big).unwrap_err();
        assert!(errs[0].reason.contains("at most 10 MB"), "{errs:?}");
        let errs = DocumentDraft::parse("", false, "a.pdf", vec![]).unwrap_err();
        let fields: Vec<&str> = errs.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["kind", "file"]);
    }

    #[test]
    fn medical_papers_and_photos_are_always_sensitive() {
        let png = [0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0].to_vec();
        assert!(
            DocumentDraft::parse("photo", false, "face.png", png)
                .unwrap()
                .sensitive
        );
        assert!(
            DocumentDraft::parse("medical", false, "x.pdf", PDF.to_vec())
                .unwrap()
                .sensitive
        );
        assert!(
            DocumentDraft::parse("identity", true, "x.pdf", PDF.to_vec())
                .unwrap()
                .sensitive
        );
        assert_eq!(safe_name("   ", "document"), "document");
    }
}
