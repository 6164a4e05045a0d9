//! Retention: how long each office keeps its closed cases, a case's own term or hold,
//! the schedule an administrator reads, and the runs that anonymise what is past its
//! term ([`anonymise`]), once a day across every server ([`run`]), or sooner when the
//! returnee asks and a manager approves ([`erasure`]).

pub(crate) mod anonymise;
pub mod erasure;
pub mod processing;
pub mod run;
pub mod schedule;

use crate::db::sql::Sql;
use crate::{Backend, DbConnection, StoreError};
use diesel::QueryableByName;
use diesel::sql_types::{BigInt, Nullable, Text};
use homeward_domain::date::Ymd;
use homeward_domain::retention::{Facts, Standing, Years};

/// One case as the retention rules see it.
#[derive(QueryableByName, Debug, Clone)]
pub(crate) struct TermRow {
    #[diesel(sql_type = BigInt)]
    pub id: i64,
    #[diesel(sql_type = Text)]
    pub reference: String,
    #[diesel(sql_type = BigInt)]
    pub returnee_id: i64,
    #[diesel(sql_type = Text)]
    pub office: String,
    #[diesel(sql_type = Nullable<Text>)]
    pub closed_on: Option<String>,
    #[diesel(sql_type = BigInt)]
    pub office_years: i64,
    #[diesel(sql_type = Nullable<BigInt>)]
    pub case_years: Option<i64>,
    #[diesel(sql_type = Text)]
    pub retention_reason: String,
    #[diesel(sql_type = Nullable<Text>)]
    pub held_reason: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    pub anonymised_on: Option<String>,
}

pub(crate) const TERM_SELECT: &str = "SELECT c.id, c.reference, c.returnee_id, o.name AS office, c.closed_on, \
    CAST(o.retention_years AS BIGINT) AS office_years, \
    CAST(c.retention_years AS BIGINT) AS case_years, c.retention_reason, c.held_reason, \
    c.anonymised_on FROM cases c JOIN offices o ON o.id = c.owning_office_id";

impl TermRow {
    pub(crate) fn facts(&self) -> Facts {
        Facts {
            closed_on: self.closed_on.as_deref().and_then(|d| d.parse().ok()),
            office_years: Years::new(self.office_years).unwrap_or_default(),
            case_years: self.case_years.and_then(|y| Years::new(y).ok()),
            held: self.held_reason.is_some(),
            anonymised: self.anonymised_on.is_some(),
        }
    }

    pub(crate) fn standing(&self, today: Ymd) -> Standing {
        self.facts().standing(today)
    }
}

/// Every case of these returnees, as the rules see them.
pub(crate) fn cases_of_returnees(
    c: &mut DbConnection,
    backend: Backend,
    returnees: &[i64],
) -> Result<Vec<TermRow>, StoreError> {
    if returnees.is_empty() {
        return Ok(Vec::new());
    }
    let mut q = Sql::new(backend);
    q.push(TERM_SELECT)
        .push(" WHERE c.returnee_id IN ")
        .int_list(returnees)
        .push(" ORDER BY c.id");
    Ok(q.load::<TermRow>(c)?)
}

/// Whether a returnee's record may go: every one of their cases is past its term (or
/// already anonymised) and none is held. A person back for a second return keeps their
/// record while the newer case runs.
pub(crate) fn all_due(cases: &[TermRow], today: Ymd) -> bool {
    cases.iter().any(|c| c.anonymised_on.is_none())
        && cases.iter().all(|c| {
            matches!(
                c.standing(today),
                Standing::Due { .. } | Standing::Anonymised
            )
        })
}
