//! Reintegration packages (a cap in USD and the components it pays for, per project), the
//! package and funding project chosen for a case, and what cases have spent of each project.

use crate::audit::{Change, append};
use crate::cases::{load_covered, log, open_case};
use crate::db::sql::Sql;
use crate::{Actor, Backend, DbConnection, Store, StoreError};
use diesel::QueryableByName;
use diesel::sql_types::{BigInt, Bool, Nullable, Text};
use homeward_domain::access::{Authorized, ManagePackages, WriteCases};
use homeward_domain::audit::Action;
use homeward_domain::reintegration::forms::PackageDraft;
use homeward_domain::reintegration::plan::{Category, Package};
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
    /// The organisation's project number (Projects ID), when it has one.
    #[diesel(sql_type = Nullable<Text>)]
    pub projects_id: Option<String>,
}

impl ProjectChoice {
    /// How a list names it: its Projects ID, then its title.
    pub fn label(&self) -> String {
        match &self.projects_id {
            Some(n) => format!("{n} · {}", self.title),
            None => self.title.clone(),
        }
    }
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

/// Every package, active first, by name.
pub(crate) fn all(c: &mut DbConnection, backend: Backend) -> Result<Vec<PackageRow>, StoreError> {
    let mut q = Sql::new(backend);
    q.push(SELECT).push(" ORDER BY active DESC, name");
    Ok(q.load(c)?)
}

/// Projects that fund individual reintegration.
pub(crate) fn individual_projects(
    c: &mut DbConnection,
    backend: Backend,
) -> Result<Vec<ProjectChoice>, StoreError> {
    let mut q = Sql::new(backend);
    q.push("SELECT id, title, projects_id FROM projects WHERE level_individual = ")
        .bool(true)
        .push(" ORDER BY title LIMIT 500");
    Ok(q.load(c)?)
}

impl Store {
    /// Every package, active first, by name.
    pub fn packages(&self) -> Result<Vec<PackageRow>, StoreError> {
        self.read(|c| all(c, self.backend()))
    }

    /// Projects that fund individual reintegration, for the package and case forms.
    pub fn individual_projects(&self) -> Result<Vec<ProjectChoice>, StoreError> {
        self.read(|c| individual_projects(c, self.backend()))
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
                crate::catalogue::projects::project_exists(c, backend, p)?;
            }
            let mut same = Sql::new(backend);
            same.push("SELECT name FROM packages WHERE name = ")
                .text(d.package.name.clone())
                .push(" AND id <> ")
                .int(id.unwrap_or(0));
            #[derive(QueryableByName)]
            struct Name {
                #[diesel(sql_type = Text)]
                #[allow(dead_code)]
                name: String,
            }
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

impl Store {
    /// Chooses the case's reintegration package and funding project, before the plan is
    /// approved.
    pub fn set_case_package(
        &self,
        auth: &Authorized<WriteCases>,
        actor: &Actor,
        id: i64,
        version: i64,
        package_id: Option<i64>,
        project_id: Option<i64>,
    ) -> Result<(), StoreError> {
        self.write(|c| {
            let backend = self.backend();
            let case = load_covered(c, backend, auth, id)?;
            crate::cases::log::check(c, backend, id, version)?;
            open_case(&case)?;
            if matches!(case.plan_state.as_str(), "approved" | "requested") {
                return Err(StoreError::conflict(
                    "package",
                    "the plan is submitted or approved; the package can no longer change",
                ));
            }
            let package = match package_id {
                Some(p) => Some(crate::cases::packages::package(c, backend, p)?.ok_or_else(
                    || StoreError::conflict("package", "choose an existing package"),
                )?),
                None => None,
            };
            if let Some(p) = project_id {
                crate::catalogue::projects::project_exists(c, backend, p)?;
            }
            let project_id = project_id.or(package.as_ref().and_then(|p| p.project_id));
            log::edit(
                c,
                backend,
                id,
                version,
                actor,
                "package",
                &package.as_ref().map(|p| p.name.clone()).unwrap_or_default(),
            )?;
            let mut q = Sql::new(backend);
            q.push("UPDATE cases SET package_id = ")
                .opt_int(package_id)
                .push(", project_id = ")
                .opt_int(project_id)
                .push(" WHERE id = ")
                .int(id);
            q.execute(c)?;
            append(
                c,
                backend,
                actor,
                Change::new(Action::Update, "case", id)
                    .before(json!({"package_id": case.package_id, "project_id": case.project_id}))
                    .after(json!({"package_id": package_id, "project_id": project_id})),
            )?;
            Ok(())
        })
    }
}
