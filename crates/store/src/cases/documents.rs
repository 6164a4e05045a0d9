//! Documents on a case: kept with their kind, type, size and digest; sensitive ones
//! listed and sent only to who may read the case's sensitive fields. Adding one is on the
//! timeline and audited; every download is audited as a view.

use crate::audit::{Change, append};
use crate::cases::{load_covered, log};
use crate::db::sql::{Sql, Value};
use crate::{Actor, Backend, DbConnection, Store, StoreError};
use diesel::QueryableByName;
use diesel::sql_types::{BigInt, Binary, Bool, Text};
use homeward_domain::access::{Authorized, Capability, ReadCases, WriteCases};
use homeward_domain::audit::Action;
use homeward_domain::reintegration::documents::DocumentDraft;
use serde_json::json;

/// A document as a list shows it (without its content).
#[derive(Debug, Clone, PartialEq, Eq, QueryableByName)]
pub struct DocumentRow {
    #[diesel(sql_type = BigInt)]
    pub id: i64,
    #[diesel(sql_type = Text)]
    pub kind: String,
    #[diesel(sql_type = Text)]
    pub file_name: String,
    #[diesel(sql_type = Text)]
    pub content_type: String,
    #[diesel(sql_type = BigInt)]
    pub size_bytes: i64,
    #[diesel(sql_type = Text)]
    pub sha256: String,
    #[diesel(sql_type = Bool)]
    pub sensitive: bool,
    #[diesel(sql_type = Text)]
    pub added_by: String,
    #[diesel(sql_type = Text)]
    pub created_at: String,
}

#[derive(QueryableByName)]
struct DocumentFile {
    #[diesel(sql_type = BigInt)]
    case_id: i64,
    #[diesel(sql_type = Text)]
    file_name: String,
    #[diesel(sql_type = Text)]
    content_type: String,
    #[diesel(sql_type = Bool)]
    sensitive: bool,
    #[diesel(sql_type = Binary)]
    content: Vec<u8>,
}

/// The documents of case `case_id`, newest first; sensitive ones only when `sensitive`.
pub(crate) fn documents_of(
    c: &mut DbConnection,
    backend: Backend,
    case_id: i64,
    sensitive: bool,
) -> Result<Vec<DocumentRow>, StoreError> {
    let mut q = Sql::new(backend);
    q.push(
        "SELECT d.id, d.kind, d.file_name, d.content_type, d.size_bytes, d.sha256, d.sensitive, \
         u.name AS added_by, d.created_at FROM case_documents d \
         JOIN users u ON u.id = d.created_by WHERE d.case_id = ",
    )
    .int(case_id);
    if !sensitive {
        q.push(" AND d.sensitive = ").bool(false);
    }
    q.push(" ORDER BY d.id DESC");
    Ok(q.load(c)?)
}

/// Case `case_id`'s documents for the proof's holder: only what they may see.
pub(crate) fn documents_for<C: Capability>(
    c: &mut DbConnection,
    backend: Backend,
    auth: &Authorized<C>,
    case_id: i64,
) -> Result<Vec<DocumentRow>, StoreError> {
    let case = load_covered(c, backend, auth, case_id)?;
    documents_of(c, backend, case_id, case.sensitive.is_some())
}

impl Store {
    /// Keeps a document on a case. A sensitive one needs the right to read sensitive
    /// fields.
    pub fn add_document(
        &self,
        auth: &Authorized<WriteCases>,
        actor: &Actor,
        case_id: i64,
        d: DocumentDraft,
    ) -> Result<i64, StoreError> {
        let backend = self.backend();
        let digest = homeward_domain::credentials::secret::digest_bytes(&d.bytes);
        let size = i64::try_from(d.bytes.len()).unwrap_or(i64::MAX);
        self.write(move |c| {
            let case = load_covered(c, backend, auth, case_id)?;
            if d.sensitive && case.sensitive.is_none() {
                return Err(StoreError::Forbidden(
                    "a sensitive document (medical papers and photos always are) needs the \
                     right to read the case's sensitive fields"
                        .into(),
                ));
            }
            let mut q = Sql::new(backend);
            q.push("INSERT INTO case_documents ")
                .columns_values(vec![
                    ("case_id", Value::Int(case_id)),
                    ("kind", Value::Text(d.kind.code().to_owned())),
                    ("file_name", Value::Text(d.file_name.clone())),
                    ("content_type", Value::Text(d.content_type.to_owned())),
                    ("size_bytes", Value::Int(size)),
                    ("sha256", Value::Text(digest.clone())),
                    ("content", Value::Bytes(d.bytes.clone())),
                    ("sensitive", Value::Bool(d.sensitive)),
                    ("created_by", Value::Int(auth.principal().user_id())),
                    ("created_at", Value::Text(crate::utc_now())),
                ])
                .push(" RETURNING id");
            let id = q.insert_id(c)?;
            // The timeline names a sensitive document by its kind only.
            let said = if d.sensitive {
                format!("{} (sensitive)", d.kind.code())
            } else {
                format!("{}: {}", d.kind.code(), d.file_name)
            };
            log::note(c, backend, case_id, actor, "document", &said)?;
            append(
                c,
                backend,
                actor,
                Change::new(Action::Create, "document", id).after(json!({
                    "case_id": case_id, "kind": d.kind.code(), "file_name": d.file_name,
                    "content_type": d.content_type, "size": size, "sha256": digest,
                    "sensitive": d.sensitive,
                })),
            )?;
            Ok(id)
        })
    }

    /// The documents of a case the reader may see, newest first.
    pub fn case_documents(
        &self,
        auth: &Authorized<ReadCases>,
        actor: &Actor,
        case_id: i64,
    ) -> Result<Vec<DocumentRow>, StoreError> {
        let backend = self.backend();
        self.write(|c| {
            let list = documents_for(c, backend, auth, case_id)?;
            append(
                c,
                backend,
                actor,
                Change::new(Action::View, "case", case_id).after(json!({"part": "documents"})),
            )?;
            Ok(list)
        })
    }

    /// A document's name, type and bytes, for a reader of its case (and of sensitive
    /// fields when it is sensitive); the download is audited. Anything else is "not
    /// found", as if it did not exist.
    pub fn document(
        &self,
        auth: &Authorized<ReadCases>,
        actor: &Actor,
        document_id: i64,
    ) -> Result<(String, String, Vec<u8>), StoreError> {
        self.document_of(auth, actor, None, document_id)
    }

    /// The same, for a document of case `case_id` only.
    pub fn case_document(
        &self,
        auth: &Authorized<ReadCases>,
        actor: &Actor,
        case_id: i64,
        document_id: i64,
    ) -> Result<(String, String, Vec<u8>), StoreError> {
        self.document_of(auth, actor, Some(case_id), document_id)
    }

    fn document_of(
        &self,
        auth: &Authorized<ReadCases>,
        actor: &Actor,
        case_id: Option<i64>,
        document_id: i64,
    ) -> Result<(String, String, Vec<u8>), StoreError> {
        let backend = self.backend();
        self.write(|c| {
            let mut q = Sql::new(backend);
            q.push(
                "SELECT case_id, file_name, content_type, sensitive, content FROM case_documents \
                 WHERE id = ",
            )
            .int(document_id);
            let missing = || StoreError::NotFound(format!("document {document_id}"));
            let f = q
                .load::<DocumentFile>(c)?
                .into_iter()
                .next()
                .filter(|f| case_id.is_none_or(|c| c == f.case_id))
                .ok_or_else(missing)?;
            let case = load_covered(c, backend, auth, f.case_id).map_err(|_| missing())?;
            if f.sensitive && case.sensitive.is_none() {
                return Err(missing());
            }
            append(
                c,
                backend,
                actor,
                Change::new(Action::View, "document", document_id)
                    .after(json!({"case_id": f.case_id, "sensitive": f.sensitive})),
            )?;
            Ok((f.file_name, f.content_type, f.content))
        })
    }
}
