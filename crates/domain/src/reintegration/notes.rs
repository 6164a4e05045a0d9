//! Notes on a case: what was said in counselling, seen on a visit, heard on a call. A note
//! may be marked sensitive (health, family conflict, ...): then only who may read the
//! case's sensitive fields sees it. Its author may correct it for a day; after that a note
//! stands as written, and a mistake is put right by a new note that says which one it
//! corrects, so what a caseworker read before stays on the record.

use crate::FieldError;
use crate::form::Errors;

code_enum!(
    /// What a note records.
    NoteKind {
        Counselling = "counselling" / "Counselling",
        Visit = "visit" / "Visit",
        Call = "call" / "Call",
        Other = "other" / "Other",
    }
);

/// How long the author may still correct a note in place, in seconds.
pub const CORRECTABLE_FOR_SECONDS: i64 = 24 * 60 * 60;

/// A note as typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoteDraft {
    pub kind: NoteKind,
    pub text: String,
    pub sensitive: bool,
    /// The note this one corrects (a note older than a day).
    pub corrects: Option<i64>,
}

impl NoteDraft {
    /// Parses the note form; `corrects` is empty or a note's number.
    pub fn parse(
        kind: &str,
        text: &str,
        sensitive: bool,
        corrects: &str,
    ) -> Result<NoteDraft, Vec<FieldError>> {
        let mut e = Errors::default();
        let kind = e.keep("kind", kind.parse::<NoteKind>().map_err(|x| x.to_string()));
        let text = e.text("text", text, 3, 8000);
        let corrects = match corrects.trim() {
            "" => Some(None),
            t => e
                .keep(
                    "corrects",
                    t.parse::<i64>()
                        .ok()
                        .filter(|n| *n > 0)
                        .ok_or_else(|| format!("{t:?} is not a note's number")),
                )
                .map(Some),
        };
        let v = (|| {
            Some(NoteDraft {
                kind: kind?,
                text: text?,
                sensitive,
                corrects: corrects?,
            })
        })();
        e.done(v)
    }
}

/// A corrected note's words, held to the same rules as a new note's.
pub fn corrected_text(text: &str) -> Result<String, Vec<FieldError>> {
    let mut e = Errors::default();
    let t = e.text("text", text, 3, 8000);
    e.done(t)
}

/// Why a note may not be corrected in place.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum NoteLocked {
    #[error("only the note's author may correct it; add a note that says what it corrects")]
    NotTheAuthor,
    #[error(
        "a note may be corrected for a day after it was written; add a note that says what it corrects"
    )]
    TooOld,
}

/// Whether user `by` may correct, at `now` (seconds since 1970), a note `author` wrote at
/// `written`.
pub fn may_correct(author: i64, written: i64, by: i64, now: i64) -> Result<(), NoteLocked> {
    if by != author {
        Err(NoteLocked::NotTheAuthor)
    } else if now - written > CORRECTABLE_FOR_SECONDS {
        Err(NoteLocked::TooOld)
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_note_names_what_is_wrong() {
        let n = NoteDraft::parse("counselling", "Wants to train as a welder.", true, "")
            .expect("valid");
        assert!(n.sensitive && n.corrects.is_none());
        let errs = NoteDraft::parse("gossip", "", false, "x").expect_err("refused");
        let fields: Vec<&str> = errs.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["kind", "text", "corrects"]);
    }

    #[test]
    fn only_the_author_corrects_and_only_for_a_day() {
        let t = 1_700_000_000;
        assert!(may_correct(7, t, 7, t + 3600).is_ok());
        assert_eq!(may_correct(7, t, 8, t + 60), Err(NoteLocked::NotTheAuthor));
        assert_eq!(
            may_correct(7, t, 7, t + CORRECTABLE_FOR_SECONDS + 1),
            Err(NoteLocked::TooOld)
        );
    }
}
