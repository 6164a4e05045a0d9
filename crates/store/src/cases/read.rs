//! Reading cases: the caseload's plain list, one case, an export of many with its purpose,
//! and numbers about cases without a name. Each read of personal data is recorded as a view.

use crate::audit::{Change, append};
use crate::cases::CASE_SELECT;
use crate::cases::CaseRow;
use crate::cases::CaseView;
use crate::cases::load_covered;
use crate::cases::push_filter;
use crate::cases::shares_of;
use crate::cases::view_of;
use crate::db::sql::Sql;
use crate::{Actor, DbConnection, Store, StoreError};
use diesel::QueryableByName;
use diesel::sql_types::{BigInt, Text};
use homeward_domain::access::{Authorized, ExportCases, ReadCases, SeeAggregates};
use homeward_domain::audit::Action;
use serde_json::json;

/// Counts by one dimension, for aggregate views.
#[derive(Debug, Clone, PartialEq, Eq, QueryableByName)]
pub struct Count {
    #[diesel(sql_type = Text)]
    pub key: String,
    #[diesel(sql_type = BigInt)]
    pub n: i64,
}

/// One count of a breakdown as shown: none when withheld.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cell {
    pub key: String,
    pub n: Option<i64>,
}

/// Numbers about cases, never a name: what M&E officers and dashboards get. For a reader
/// who cannot read the cases, small numbers are withheld so none points at a person
/// (`disclosure::withhold_breakdown`): the total under five, counts under five with as
/// many others as it takes, and a breakdown too small to give whole (None).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CaseAggregates {
    pub total: Option<i64>,
    pub by_office: Option<Vec<Cell>>,
    pub by_status: Option<Vec<Cell>>,
    pub by_sex: Option<Vec<Cell>>,
    pub by_nationality: Option<Vec<Cell>>,
}

/// A breakdown as shown to its reader; `protect` for one who cannot read the cases, whose
/// rows then go by name, not by size (the order would tell how large a withheld one is).
fn shown(mut rows: Vec<Count>, protect: bool) -> Option<Vec<Cell>> {
    let mask = if protect {
        rows.sort_by(|a, b| a.key.cmp(&b.key));
        let counts: Vec<i64> = rows.iter().map(|c| c.n).collect();
        homeward_domain::disclosure::withhold_breakdown(&counts)?
    } else {
        vec![false; rows.len()]
    };
    Some(
        rows.into_iter()
            .zip(mask)
            .map(|(c, withheld)| Cell {
                key: c.key,
                n: (!withheld).then_some(c.n),
            })
            .collect(),
    )
}

impl Store {
    /// The cases the proof reaches, newest first; the listing is recorded as a view of
    /// the personal data shown.
    pub fn cases(
        &self,
        auth: &Authorized<ReadCases>,
        actor: &Actor,
        limit: i64,
    ) -> Result<Vec<CaseView>, StoreError> {
        let backend = self.backend();
        self.write(|c| {
            let mut q = Sql::new(backend);
            q.push(CASE_SELECT);
            push_filter(&mut q, auth.filter());
            q.push(" ORDER BY c.id DESC LIMIT ")
                .int(limit.clamp(1, 1000));
            let rows = q.load::<CaseRow>(c)?;
            let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
            let shares = shares_of(c, backend, &ids)?;
            let p = auth.principal().clone();
            let views = rows
                .into_iter()
                .map(|r| view_of(r, &shares, |f| p.sees_sensitive(f)))
                .collect::<Result<Vec<_>, _>>()?;
            if !views.is_empty() {
                append(
                    c,
                    backend,
                    actor,
                    Change::new(Action::List, "case", "")
                        .after(json!({"cases": views.iter().map(|v| v.id).collect::<Vec<_>>()})),
                )?;
            }
            Ok(views)
        })
    }

    /// One case, recorded as viewed.
    pub fn case(
        &self,
        auth: &Authorized<ReadCases>,
        actor: &Actor,
        id: i64,
    ) -> Result<CaseView, StoreError> {
        self.write(|c| {
            let v = load_covered(c, self.backend(), auth, id)?;
            append(
                c,
                self.backend(),
                actor,
                Change::new(Action::View, "case", id)
                    .after(json!({"sensitive_shown": v.sensitive.is_some()})),
            )?;
            Ok(v)
        })
    }

    /// The cases an export may contain, with sensitive fields only where the principal may
    /// see them; the export, its purpose and the cases in it are recorded.
    /// (`only` names the cases to export among them; empty for all.)
    pub fn export_cases(
        &self,
        auth: &Authorized<ExportCases>,
        actor: &Actor,
        purpose: &str,
        only: &[i64],
    ) -> Result<Vec<CaseView>, StoreError> {
        let purpose = purpose.trim();
        if purpose.chars().count() < 5 || purpose.chars().count() > 300 {
            return Err(StoreError::conflict(
                "purpose",
                "say what the export is for (5 to 300 characters)",
            ));
        }
        let backend = self.backend();
        self.write(|c| {
            let mut q = Sql::new(backend);
            q.push(CASE_SELECT);
            push_filter(&mut q, auth.filter());
            if !only.is_empty() {
                q.push(" AND c.id IN ").int_list(only);
            }
            q.push(" ORDER BY c.id");
            let rows = q.load::<CaseRow>(c)?;
            let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
            let shares = shares_of(c, backend, &ids)?;
            let p = auth.principal().clone();
            let views = rows
                .into_iter()
                .map(|r| view_of(r, &shares, |f| p.sees_sensitive(f)))
                .collect::<Result<Vec<_>, _>>()?;
            append(
                c,
                backend,
                actor,
                Change::new(Action::Export, "case", "").after(json!({
                    "purpose": purpose, "count": views.len(),
                    "cases": views.iter().map(|v| v.id).collect::<Vec<_>>(),
                    "sensitive_included": views.iter().any(|v| v.sensitive.is_some()),
                })),
            )?;
            Ok(views)
        })
    }

    /// Counts of cases within the proof's scope, by office, status, sex and nationality;
    /// small numbers withheld for a reader who cannot read the cases.
    pub fn case_aggregates(
        &self,
        auth: &Authorized<SeeAggregates>,
    ) -> Result<CaseAggregates, StoreError> {
        let backend = self.backend();
        self.read(|c| {
            let count = |c: &mut DbConnection, key: &str| -> Result<Vec<Count>, StoreError> {
                let mut q = Sql::new(backend);
                q.push(&format!("SELECT {key} AS key, COUNT(*) AS n FROM cases c JOIN returnees r ON r.id = c.returnee_id JOIN offices o ON o.id = c.owning_office_id"));
                push_filter(&mut q, auth.filter());
                q.push(&format!(" GROUP BY {key} ORDER BY n DESC, key"));
                Ok(q.load(c)?)
            };
            let by_status = count(c, "c.status")?;
            let total: i64 = by_status.iter().map(|k| k.n).sum();
            let protect = auth.principal().authorize::<ReadCases>().is_err();
            Ok(CaseAggregates {
                total: (!protect || homeward_domain::disclosure::may_show(total)).then_some(total),
                by_office: shown(count(c, "o.name")?, protect),
                by_status: shown(by_status, protect),
                by_sex: shown(count(c, "r.sex")?, protect),
                by_nationality: shown(count(c, "r.nationality")?, protect),
            })
        })
    }
}
