//! Project indicators bound to case data: which indicator counts what, and today's value
//! of each from the project's cases, with the number of cases it stands for so the public
//! page can withhold small ones.

use crate::audit::{Change, append};
use crate::db::sql::Sql;
use crate::{Actor, DbConnection, Store, StoreError};
use diesel::QueryableByName;
use diesel::sql_types::{BigInt, Text};
use homeward_domain::access::{Authorized, ManagePackages};
use homeward_domain::audit::Action;
use homeward_domain::indicator_binding::{CaseMeasure, IndicatorRef};
use serde_json::json;

/// A bound indicator and what it counts today.
#[derive(Debug, Clone, PartialEq)]
pub struct Measured {
    pub at: IndicatorRef,
    pub measure: CaseMeasure,
    /// A count, or a percentage for shares.
    pub value: f64,
    /// The cases the value stands for (for a share: those surveyed).
    pub cases: i64,
}

#[derive(QueryableByName)]
struct Binding {
    #[diesel(sql_type = BigInt)]
    outcome_no: i64,
    #[diesel(sql_type = BigInt)]
    output_no: i64,
    #[diesel(sql_type = BigInt)]
    item_no: i64,
    #[diesel(sql_type = Text)]
    measure: String,
}

#[derive(QueryableByName)]
struct N {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

fn number(c: &mut DbConnection, q: Sql) -> Result<i64, StoreError> {
    Ok(q.load::<N>(c)?.first().map_or(0, |r| r.n))
}

impl Store {
    /// Binds (or with `None` unbinds) an indicator of project `projects_id` to a measure of
    /// its cases, from the server's console (`homeward project bind`).
    pub fn bind_indicator_console(
        &self,
        projects_id: &str,
        at: IndicatorRef,
        to: Option<CaseMeasure>,
    ) -> Result<(), StoreError> {
        self.bind(&Actor::console(), projects_id, at, to)
    }

    /// As [`Store::bind_indicator_console`], for a programme manager on the project's
    /// indicators page.
    pub fn bind_indicator(
        &self,
        _auth: &Authorized<ManagePackages>,
        actor: &Actor,
        projects_id: &str,
        at: IndicatorRef,
        to: Option<CaseMeasure>,
    ) -> Result<(), StoreError> {
        self.bind(actor, projects_id, at, to)
    }

    fn bind(
        &self,
        actor: &Actor,
        projects_id: &str,
        at: IndicatorRef,
        to: Option<CaseMeasure>,
    ) -> Result<(), StoreError> {
        let backend = self.backend();
        self.write(|c| {
            let mut q = Sql::new(backend);
            // By Projects ID or, for a project published without one, its Prima ID.
            let key = projects_id.trim().to_ascii_uppercase();
            q.push("SELECT id AS n FROM projects WHERE projects_id = ")
                .text(key.clone())
                .push(" OR prima_id = ")
                .text(key);
            let id = q
                .load::<N>(c)?
                .first()
                .map(|r| r.n)
                .ok_or_else(|| StoreError::NotFound(format!("the project {projects_id}")))?;
            let place = |q: &mut Sql| {
                q.push(" AND outcome_no = ")
                    .int(at.outcome.into())
                    .push(" AND output_no = ")
                    .int(at.output.into())
                    .push(" AND item_no = ")
                    .int(at.item.into());
            };
            let mut q = Sql::new(backend);
            q.push("SELECT COUNT(*) AS n FROM project_results WHERE kind = 'indicator' AND project_id = ")
                .int(id);
            place(&mut q);
            if number(c, q)? == 0 {
                return Err(StoreError::conflict(
                    "indicator",
                    format!("{projects_id} has no indicator {at} (outcome.output.item)"),
                ));
            }
            let mut del = Sql::new(backend);
            del.push("DELETE FROM indicator_bindings WHERE project_id = ").int(id);
            place(&mut del);
            del.execute(c)?;
            if let Some(m) = to {
                let mut ins = Sql::new(backend);
                ins.push(
                    "INSERT INTO indicator_bindings (project_id, outcome_no, output_no, item_no, \
                     measure, bound_at) VALUES (",
                )
                .int(id)
                .push(", ")
                .int(at.outcome.into())
                .push(", ")
                .int(at.output.into())
                .push(", ")
                .int(at.item.into())
                .push(", ")
                .text(m.code())
                .push(", ")
                .text(crate::utc_now())
                .push(")");
                ins.execute(c)?;
            }
            append(
                c,
                backend,
                actor,
                Change::new(Action::Update, "project", id).after(json!({
                    "indicator": at.to_string(), "bound_to": to.map(|m| m.code()),
                })),
            )?;
            Ok(())
        })
    }

    /// The bound indicators of project `id` (the stored id) with today's values.
    pub fn project_measures(&self, id: i64) -> Result<Vec<Measured>, StoreError> {
        let backend = self.backend();
        self.read(|c| {
            let mut q = Sql::new(backend);
            q.push(
                "SELECT CAST(outcome_no AS BIGINT) AS outcome_no, CAST(output_no AS BIGINT) AS output_no, \
                 CAST(item_no AS BIGINT) AS item_no, measure FROM indicator_bindings WHERE project_id = ",
            )
            .int(id)
            .push(" ORDER BY 1, 2, 3");
            let bound: Vec<(IndicatorRef, CaseMeasure)> = q
                .load::<Binding>(c)?
                .into_iter()
                .filter_map(|b| {
                    let m = b.measure.parse::<CaseMeasure>().ok()?;
                    let at = IndicatorRef {
                        outcome: u16::try_from(b.outcome_no).ok()?,
                        output: u16::try_from(b.output_no).ok()?,
                        item: u16::try_from(b.item_no).ok()?,
                    };
                    Some((at, m))
                })
                .collect();
            if bound.is_empty() {
                return Ok(vec![]);
            }
            let out = self.dashboard_facts.with(c, backend, |s| {
                bound
                    .iter()
                    .map(|(at, m)| {
                        let (value, cases) = s.facts.project_measure(id, *m);
                        Measured {
                            at: *at,
                            measure: *m,
                            value,
                            cases,
                        }
                    })
                    .collect()
            })?;
            Ok(out)
        })
    }
}
