//! Who saw this record: every view, export and transfer of a case (alone or in an exported
//! list; and downloads of its documents and receipts), read from the audit trail for readers allowed to see it.

use crate::cases::load_covered;
use crate::db::sql::Sql;
use crate::{Store, StoreError};
use diesel::QueryableByName;
use diesel::sql_types::{BigInt, Text};
use homeward_domain::access::{Authorized, ReadAccessLog};

/// One time the case's data was seen or given.
#[derive(QueryableByName, Debug, Clone, PartialEq, Eq)]
pub struct Access {
    #[diesel(sql_type = BigInt)]
    pub seq: i64,
    #[diesel(sql_type = Text)]
    pub at: String,
    /// Who: an email, or `console`.
    #[diesel(sql_type = Text)]
    pub actor: String,
    #[diesel(sql_type = Text)]
    pub ip: String,
    /// `view`, `export`, `share` or `handover`.
    #[diesel(sql_type = Text)]
    pub action: String,
    /// `case`, `document` or `receipt`.
    #[diesel(sql_type = Text)]
    pub record_type: String,
    #[diesel(sql_type = Text)]
    pub after: String,
}

/// The most entries the case page lists.
const LISTED: i64 = 200;

impl Store {
    /// Newest first, at most 200, once every entry written so far is sealed.
    pub fn case_access_log(
        &self,
        auth: &Authorized<ReadAccessLog>,
        case_id: i64,
    ) -> Result<Vec<Access>, StoreError> {
        let backend = self.backend();
        self.read(|c| load_covered(c, backend, auth, case_id).map(|_| ()))?;
        self.seal_audit()?;
        let id = case_id.to_string();
        let mut q = Sql::new(backend);
        q.push(
            "SELECT seq, at, actor, ip, action, record_type, after FROM audit_events WHERE \
             (record_type = 'case' AND record_id = ",
        )
        .text(id.clone())
        .push(" AND action IN ('view', 'export', 'share', 'handover')) OR (record_type IN ('document', 'receipt') AND action = 'view' AND (after LIKE ")
        .text(format!("%\"case_id\":{id},%"))
        .push(" OR after LIKE ")
        .text(format!("%\"case_id\":{id}}}%"))
        .push("))");
        // Lists exported with the case among others.
        for pattern in ["[{id},", "[{id}]", "[%,{id},", "[%,{id}]"] {
            q.push(" OR (record_type = 'case' AND action = 'export' AND after LIKE ")
                .text(format!("%\"cases\":{}%", pattern.replace("{id}", &id)))
                .push(")");
        }
        q.push(" ORDER BY seq DESC LIMIT ").int(LISTED);
        self.read(|c| Ok(q.clone().load::<Access>(c)?))
    }
}
