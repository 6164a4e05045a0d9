//! Notes on a case (counselling, visits, calls): written by who may change the case,
//! sensitive ones shown only to who may read the case's sensitive fields, corrected in
//! place by their author for a day and afterwards only by a new note naming the one it
//! corrects. Each is on the timeline (a sensitive one without its words) and audited.

use crate::audit::{Change, append};
use crate::cases::{load_covered, log};
use crate::db::sql::{Sql, Value};
use crate::{Actor, Backend, DbConnection, Store, StoreError};
use diesel::QueryableByName;
use diesel::sql_types::{BigInt, Bool, Nullable, Text};
use homeward_domain::access::{Authorized, Capability, ReadCases, WriteCases};
use homeward_domain::audit::Action;
use homeward_domain::reintegration::notes::{NoteDraft, may_correct};
use serde_json::json;

/// A note as its reader sees it.
#[derive(Debug, Clone, PartialEq, Eq, QueryableByName)]
pub struct NoteRow {
    #[diesel(sql_type = BigInt)]
    pub id: i64,
    #[diesel(sql_type = Text)]
    pub kind: String,
    #[diesel(sql_type = Text)]
    pub text: String,
    #[diesel(sql_type = Bool)]
    pub sensitive: bool,
    #[diesel(sql_type = Nullable<BigInt>)]
    pub corrects: Option<i64>,
    /// Its author changed its words after writing it.
    #[diesel(sql_type = Bool)]
    pub edited: bool,
    #[diesel(sql_type = BigInt)]
    pub author_id: i64,
    #[diesel(sql_type = Text)]
    pub author: String,
    #[diesel(sql_type = Text)]
    pub created_at: String,
    #[diesel(sql_type = Text)]
    pub updated_at: String,
}

/// The notes of case `case_id`, newest first; sensitive ones only when `sensitive`.
pub(crate) fn notes_of(
    c: &mut DbConnection,
    backend: Backend,
    case_id: i64,
    sensitive: bool,
) -> Result<Vec<NoteRow>, StoreError> {
    let mut q = Sql::new(backend);
    q.push(
        "SELECT n.id, n.kind, n.text, n.sensitive, n.corrects, n.edited, n.created_by AS author_id, \
         u.name AS author, n.created_at, n.updated_at FROM case_notes n \
         JOIN users u ON u.id = n.created_by WHERE n.case_id = ",
    )
    .int(case_id);
    if !sensitive {
        q.push(" AND n.sensitive = ").bool(false);
    }
    q.push(" ORDER BY n.id DESC");
    Ok(q.load(c)?)
}

/// Case `case_id`'s notes for the proof's holder: only what they may see.
pub(crate) fn notes_for<C: Capability>(
    c: &mut DbConnection,
    backend: Backend,
    auth: &Authorized<C>,
    case_id: i64,
) -> Result<Vec<NoteRow>, StoreError> {
    let case = load_covered(c, backend, auth, case_id)?;
    notes_of(c, backend, case_id, case.sensitive.is_some())
}

/// What the timeline says of a note: its kind, and its words unless it is sensitive.
fn timeline(d: &NoteDraft) -> String {
    let what = d.kind.label().to_lowercase();
    match (d.sensitive, d.corrects) {
        (true, Some(n)) => format!("{what} note (sensitive), correcting note {n}"),
        (true, None) => format!("{what} note (sensitive)"),
        (false, Some(n)) => format!("{what} note, correcting note {n}: {}", d.text),
        (false, None) => format!("{what} note: {}", d.text),
    }
}

impl Store {
    /// Adds a note. A sensitive one needs the right to read sensitive fields; a
    /// correction must name a note of the same case.
    pub fn add_note(
        &self,
        auth: &Authorized<WriteCases>,
        actor: &Actor,
        case_id: i64,
        d: &NoteDraft,
    ) -> Result<i64, StoreError> {
        let backend = self.backend();
        self.write(|c| {
            let case = load_covered(c, backend, auth, case_id)?;
            if d.sensitive && case.sensitive.is_none() {
                return Err(StoreError::Forbidden(
                    "a sensitive note needs the right to read the case's sensitive fields".into(),
                ));
            }
            if let Some(n) = d.corrects {
                let known = notes_of(c, backend, case_id, case.sensitive.is_some())?;
                if !known.iter().any(|x| x.id == n) {
                    return Err(StoreError::conflict(
                        "corrects",
                        format!("there is no note {n} on this case"),
                    ));
                }
            }
            let now = crate::utc_now();
            let mut q = Sql::new(backend);
            q.push("INSERT INTO case_notes ")
                .columns_values(vec![
                    ("case_id", Value::Int(case_id)),
                    ("kind", Value::Text(d.kind.code().to_owned())),
                    ("text", Value::Text(d.text.clone())),
                    ("sensitive", Value::Bool(d.sensitive)),
                    ("corrects", Value::OptInt(d.corrects)),
                    ("created_by", Value::Int(auth.principal().user_id())),
                    ("created_at", Value::Text(now.clone())),
                    ("updated_at", Value::Text(now)),
                ])
                .push(" RETURNING id");
            let id = q.insert_id(c)?;
            log::note(c, backend, case_id, actor, "note", &timeline(d))?;
            append(
                c,
                backend,
                actor,
                Change::new(Action::Update, "case", case_id).after(json!({
                    "note": id, "kind": d.kind.code(), "sensitive": d.sensitive,
                    "corrects": d.corrects,
                })),
            )?;
            Ok(id)
        })
    }

    /// Corrects a note's words in place: its author, within a day of writing it.
    pub fn correct_note(
        &self,
        auth: &Authorized<WriteCases>,
        actor: &Actor,
        case_id: i64,
        note: i64,
        text: &str,
    ) -> Result<(), StoreError> {
        let backend = self.backend();
        self.write(|c| {
            let case = load_covered(c, backend, auth, case_id)?;
            let n = notes_of(c, backend, case_id, case.sensitive.is_some())?
                .into_iter()
                .find(|x| x.id == note)
                .ok_or_else(|| StoreError::NotFound(format!("note {note} on this case")))?;
            let written = crate::parse_unix(&n.created_at).unwrap_or(0);
            let now = i64::try_from(crate::unix_now()).unwrap_or(i64::MAX);
            may_correct(n.author_id, written, auth.principal().user_id(), now)
                .map_err(|e| StoreError::conflict("text", e.to_string()))?;
            let mut q = Sql::new(backend);
            q.push("UPDATE case_notes SET ")
                .assignments(vec![
                    ("text", Value::Text(text.to_owned())),
                    ("edited", Value::Bool(true)),
                    ("updated_at", Value::Text(crate::utc_now())),
                ])
                .push(" WHERE id = ")
                .int(note);
            q.execute(c)?;
            let what = if n.sensitive {
                format!("note {note} corrected by its author")
            } else {
                format!("note {note} corrected by its author: {text}")
            };
            log::note(c, backend, case_id, actor, "note", &what)?;
            append(
                c,
                backend,
                actor,
                Change::new(Action::Update, "case", case_id)
                    .before(json!({"note": note, "text_chars": n.text.chars().count()}))
                    .after(json!({"note": note, "text_chars": text.chars().count()})),
            )?;
            Ok(())
        })
    }

    /// The notes of a case its reader may see, recorded as a view of the case.
    pub fn case_notes(
        &self,
        auth: &Authorized<ReadCases>,
        actor: &Actor,
        case_id: i64,
    ) -> Result<Vec<NoteRow>, StoreError> {
        let backend = self.backend();
        self.write(|c| {
            let notes = notes_for(c, backend, auth, case_id)?;
            append(
                c,
                backend,
                actor,
                Change::new(Action::View, "case", case_id).after(json!({"part": "notes"})),
            )?;
            Ok(notes)
        })
    }
}
