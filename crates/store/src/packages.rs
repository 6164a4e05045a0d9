//! Reintegration packages (a cap in USD and the components it pays for, per project),
//! the task rules cases follow, and what cases have spent of each funding project.

use crate::audit::{Change, append};
use crate::sql::Sql;
use crate::{Actor, Backend, DbConnection, Store, StoreError};
use diesel::QueryableByName;
use diesel::sql_types::{BigInt, Bool, Nullable, Text};
use homeward_domain::access::{Authorized, ManagePackages};
use homeward_domain::audit::Action;
use homeward_domain::reintegration::forms::PackageDraft;
use homeward_domain::reintegration::plan::{Category, Package};
use homeward_domain::reintegration::tasks::Offset;
use homeward_domain::{CurrencyCode, Money};
use serde_json::json;

/// A package as stored.
#[derive(Debug, Clone, PartialEq, Eq, QueryableByName)]
pub struct PackageRow {
    #[diesel(sql_type = BigInt)]
    pub id: i64,
    #[diesel(sql_type = Nullable<BigInt>)]
    pub project_id: Option<i64>,
    #[diesel(sql_type = Text)]
    pub name: String,
    #[diesel(sql_type = BigInt)]
    pub cap_usd_minor: i64,
    /// Category codes, comma-separated.
    #[diesel(sql_type = Text)]
    pub components: String,
    #[diesel(sql_type = Text)]
    pub host_country: String,
    #[diesel(sql_type = Text)]
    pub origin_country: String,
    #[diesel(sql_type = Text)]
    pub beneficiaries: String,
    #[diesel(sql_type = Bool)]
    pub active: bool,
}

impl PackageRow {
    /// The package as the plan rules read it.
    pub fn package(&self) -> Package {
        Package {
            name: self.name.clone(),
            cap: Money::new(self.cap_usd_minor, CurrencyCode::USD),
            components: self.component_list(),
        }
    }

    pub fn component_list(&self) -> Vec<Category> {
        self.components
            .split(',')
            .filter_map(|c| c.parse().ok())
            .collect()
    }
}

const SELECT: &str = "SELECT id, project_id, name, cap_usd_minor, components, host_country, \
    origin_country, beneficiaries, active FROM packages";

pub(crate) fn package(
    c: &mut DbConnection,
    backend: Backend,
    id: i64,
) -> Result<Option<PackageRow>, StoreError> {
    let mut q = Sql::new(backend);
    q.push(SELECT).push(" WHERE id = ").int(id);
    Ok(q.load(c)?.into_iter().next())
}

#[derive(QueryableByName)]
struct Name {
    #[diesel(sql_type = Text)]
    name: String,
}

pub(crate) fn project_exists(
    c: &mut DbConnection,
    backend: Backend,
    id: i64,
) -> Result<String, StoreError> {
    let mut q = Sql::new(backend);
    q.push("SELECT title AS name FROM projects WHERE id = ")
        .int(id);
    q.load::<Name>(c)?
        .into_iter()
        .next()
        .map(|n| n.name)
        .ok_or_else(|| StoreError::conflict("project_id", "choose an existing project"))
}

fn codes(p: &Package) -> String {
    p.components
        .iter()
        .map(|c| c.code())
        .collect::<Vec<_>>()
        .join(",")
}

/// A project a case can be charged to, for choosing one.
#[derive(Debug, Clone, PartialEq, Eq, QueryableByName)]
pub struct ProjectChoice {
    #[diesel(sql_type = BigInt)]
    pub id: i64,
    #[diesel(sql_type = Text)]
    pub title: String,
}

#[derive(QueryableByName)]
struct Sum {
    #[diesel(sql_type = Nullable<BigInt>)]
    total: Option<i64>,
    #[diesel(sql_type = BigInt)]
    cases: i64,
}

/// Individual assistance charged to a project.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CaseSpending {
    pub total: Money,
    /// How many cases it went to.
    pub cases: i64,
}

impl Store {
    /// Every package, active first, by name.
    pub fn packages(&self) -> Result<Vec<PackageRow>, StoreError> {
        self.read(|c| {
            let mut q = Sql::new(self.backend());
            q.push(SELECT).push(" ORDER BY active DESC, name");
            Ok(q.load(c)?)
        })
    }

    /// Projects that fund individual reintegration, for the package and case forms.
    pub fn individual_projects(&self) -> Result<Vec<ProjectChoice>, StoreError> {
        self.read(|c| {
            let mut q = Sql::new(self.backend());
            q.push("SELECT id, title FROM projects WHERE level_individual = ")
                .bool(true)
                .push(" ORDER BY title LIMIT 500");
            Ok(q.load(c)?)
        })
    }

    /// Adds a package (`id` None) or replaces one.
    pub fn save_package(
        &self,
        _auth: &Authorized<ManagePackages>,
        actor: &Actor,
        id: Option<i64>,
        d: &PackageDraft,
    ) -> Result<i64, StoreError> {
        self.write(|c| {
            let backend = self.backend();
            if let Some(p) = d.project_id {
                project_exists(c, backend, p)?;
            }
            let mut same = Sql::new(backend);
            same.push("SELECT name FROM packages WHERE name = ")
                .text(d.package.name.clone())
                .push(" AND id <> ")
                .int(id.unwrap_or(0));
            if !same.load::<Name>(c)?.is_empty() {
                return Err(StoreError::conflict(
                    "name",
                    "another package has this name",
                ));
            }
            let now = crate::utc_now();
            let before = match id {
                Some(i) => Some(
                    package(c, backend, i)?
                        .ok_or_else(|| StoreError::NotFound(format!("package {i}")))?,
                ),
                None => None,
            };
            let mut q = Sql::new(backend);
            match id {
                None => {
                    q.push(
                        "INSERT INTO packages (project_id, name, cap_usd_minor, components, \
                         host_country, origin_country, beneficiaries, active, created_at, \
                         updated_at) VALUES (",
                    )
                    .opt_int(d.project_id)
                    .push(", ")
                    .text(d.package.name.clone())
                    .push(", ")
                    .int(d.package.cap.minor)
                    .push(", ")
                    .text(codes(&d.package))
                    .push(", ")
                    .text(
                        d.host_country
                            .map(|c| c.as_str().to_owned())
                            .unwrap_or_default(),
                    )
                    .push(", ")
                    .text(
                        d.origin_country
                            .map(|c| c.as_str().to_owned())
                            .unwrap_or_default(),
                    )
                    .push(", ")
                    .text(d.beneficiaries.clone())
                    .push(", ")
                    .bool(d.active)
                    .push(", ")
                    .text(now.clone())
                    .push(", ")
                    .text(now)
                    .push(") RETURNING id");
                }
                Some(i) => {
                    q.push("UPDATE packages SET project_id = ")
                        .opt_int(d.project_id)
                        .push(", name = ")
                        .text(d.package.name.clone())
                        .push(", cap_usd_minor = ")
                        .int(d.package.cap.minor)
                        .push(", components = ")
                        .text(codes(&d.package))
                        .push(", host_country = ")
                        .text(
                            d.host_country
                                .map(|c| c.as_str().to_owned())
                                .unwrap_or_default(),
                        )
                        .push(", origin_country = ")
                        .text(
                            d.origin_country
                                .map(|c| c.as_str().to_owned())
                                .unwrap_or_default(),
                        )
                        .push(", beneficiaries = ")
                        .text(d.beneficiaries.clone())
                        .push(", active = ")
                        .bool(d.active)
                        .push(", updated_at = ")
                        .text(now)
                        .push(" WHERE id = ")
                        .int(i)
                        .push(" RETURNING id");
                }
            }
            let saved = q.insert_id(c)?;
            let after = json!({"name": d.package.name, "cap_usd_minor": d.package.cap.minor,
                "components": codes(&d.package), "project_id": d.project_id, "active": d.active});
            let mut change = Change::new(
                if before.is_some() {
                    Action::Update
                } else {
                    Action::Create
                },
                "package",
                saved,
            )
            .after(after);
            if let Some(b) = before {
                change = change.before(json!({"name": b.name, "cap_usd_minor": b.cap_usd_minor,
                    "components": b.components, "project_id": b.project_id, "active": b.active}));
            }
            append(c, backend, actor, change)?;
            Ok(saved)
        })
    }

    /// The task rules, for the administration page.
    pub fn task_rules(&self) -> Result<Vec<crate::case_flow::StoredRule>, StoreError> {
        self.read(|c| crate::case_flow::task_rules(c, self.backend()))
    }

    /// Changes when a rule's task falls due, and whether it is used for new cases.
    pub fn set_task_rule(
        &self,
        _auth: &Authorized<ManagePackages>,
        actor: &Actor,
        key: &str,
        offset: Offset,
        active: bool,
    ) -> Result<(), StoreError> {
        let (days, months) = match offset {
            Offset::Days(d) if (1..=730).contains(&d) => (d, 0),
            Offset::Months(m) if (1..=36).contains(&m) => (0, m),
            _ => {
                return Err(StoreError::conflict(
                    "offset",
                    "must be 1 to 730 days or 1 to 36 months",
                ));
            }
        };
        self.write(|c| {
            let backend = self.backend();
            let mut q = Sql::new(backend);
            q.push("UPDATE task_rules SET offset_days = ")
                .int(i64::from(days))
                .push(", offset_months = ")
                .int(i64::from(months))
                .push(", active = ")
                .bool(active)
                .push(" WHERE key = ")
                .text(key);
            if q.execute(c)? == 0 {
                return Err(StoreError::NotFound(format!("task rule {key}")));
            }
            append(
                c,
                backend,
                actor,
                Change::new(Action::Update, "task_rule", key)
                    .after(json!({"offset_days": days, "offset_months": months, "active": active})),
            )?;
            Ok(())
        })
    }

    /// What cases have been given, in USD, charged to a project, and how many cases: its
    /// budget utilisation from individual assistance. Totals, never a name.
    pub fn project_case_spending(&self, project_id: i64) -> Result<CaseSpending, StoreError> {
        self.read(|c| {
            let mut q = Sql::new(self.backend());
            q.push(
                "SELECT CAST(SUM(usd_minor) AS BIGINT) AS total, \
                 COUNT(DISTINCT case_id) AS cases FROM disbursements WHERE project_id = ",
            )
            .int(project_id);
            let row = q.load::<Sum>(c)?.into_iter().next();
            Ok(CaseSpending {
                total: Money::new(
                    row.as_ref().and_then(|s| s.total).unwrap_or(0),
                    CurrencyCode::USD,
                ),
                cases: row.map(|s| s.cases).unwrap_or(0),
            })
        })
    }
}
