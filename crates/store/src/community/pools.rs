//! Shared asset pools: a community project's tools, lent or rented for a nominal fee at
//! the counter. A loan is checked against the tool's other loans inside the transaction
//! that writes it (the tool's row locked on PostgreSQL; SQLite has one writer), so two
//! counters can never lend the same unit at once. The inventory and utilisation are
//! public; who borrowed what is for the pool's staff (`assets.lend` over its office).

use super::reaches;
use crate::audit::{Change, append};
use crate::db::sql::Sql;
use crate::{Actor, Backend, DbConnection, Store, StoreError};
use diesel::QueryableByName;
use diesel::sql_types::{BigInt, Nullable, Text};
use homeward_domain::access::{Authorized, LendAssets, ManageCommunity};
use homeward_domain::audit::Action;
use homeward_domain::community::pool::{
    Condition, LoanDraft, ReturnDraft, Span, ToolDraft, may_lend, utilisation,
};
use homeward_domain::date::Ymd;
use homeward_domain::{CurrencyCode, Money};
use serde_json::json;

/// A pool as listed under its community project.
#[derive(Debug, Clone, PartialEq, Eq, QueryableByName)]
pub struct PoolLine {
    #[diesel(sql_type = BigInt)]
    pub id: i64,
    #[diesel(sql_type = BigInt)]
    pub community_project_id: i64,
    #[diesel(sql_type = Text)]
    pub community_project: String,
    #[diesel(sql_type = Text)]
    pub country: String,
    #[diesel(sql_type = BigInt)]
    pub office_id: i64,
    #[diesel(sql_type = Text)]
    pub office_name: String,
    #[diesel(sql_type = Text)]
    pub name: String,
    #[diesel(sql_type = Text)]
    pub currency: String,
    #[diesel(sql_type = BigInt)]
    pub tools: i64,
    #[diesel(sql_type = BigInt)]
    pub out: i64,
}

/// A tool of the inventory with what is out now.
#[derive(Debug, Clone, PartialEq, Eq, QueryableByName)]
pub struct ToolLine {
    #[diesel(sql_type = BigInt)]
    pub id: i64,
    #[diesel(sql_type = BigInt)]
    pub pool_id: i64,
    #[diesel(sql_type = Text)]
    pub name: String,
    #[diesel(sql_type = Text)]
    pub category: String,
    #[diesel(sql_type = BigInt)]
    pub quantity: i64,
    #[diesel(sql_type = Text)]
    pub condition: String,
    #[diesel(sql_type = BigInt)]
    pub value_minor: i64,
    #[diesel(sql_type = BigInt)]
    pub fee_minor: i64,
    #[diesel(sql_type = Text)]
    pub notes: String,
    /// Units out now.
    #[diesel(sql_type = BigInt)]
    pub out: i64,
    /// The earliest due date of the units out.
    #[diesel(sql_type = Nullable<Text>)]
    pub next_due: Option<String>,
}

/// A loan, with the borrower: for the pool's staff only.
#[derive(Debug, Clone, PartialEq, Eq, QueryableByName)]
pub struct Loan {
    #[diesel(sql_type = BigInt)]
    pub id: i64,
    #[diesel(sql_type = BigInt)]
    pub tool_id: i64,
    #[diesel(sql_type = Text)]
    pub tool: String,
    #[diesel(sql_type = Text)]
    pub borrower: String,
    #[diesel(sql_type = Text)]
    pub phone: String,
    #[diesel(sql_type = Text)]
    pub lent_on: String,
    #[diesel(sql_type = Text)]
    pub due_on: String,
    #[diesel(sql_type = Nullable<Text>)]
    pub returned_on: Option<String>,
    #[diesel(sql_type = Text)]
    pub condition_out: String,
    #[diesel(sql_type = Nullable<Text>)]
    pub condition_back: Option<String>,
    #[diesel(sql_type = Nullable<BigInt>)]
    pub fee_minor: Option<i64>,
    #[diesel(sql_type = BigInt)]
    pub fee_per_day_minor: i64,
    #[diesel(sql_type = Text)]
    pub note: String,
}

impl Loan {
    pub fn span(&self) -> Option<Span> {
        Some(Span {
            lent_on: self.lent_on.parse().ok()?,
            due_on: self.due_on.parse().ok()?,
            returned_on: match &self.returned_on {
                Some(r) => Some(r.parse().ok()?),
                None => None,
            },
        })
    }
}

/// A pool's loans and fees over its whole life: for exports.
#[derive(Debug, Clone, PartialEq, Eq, QueryableByName)]
pub struct PoolTotals {
    #[diesel(sql_type = BigInt)]
    pub pool_id: i64,
    #[diesel(sql_type = BigInt)]
    pub community_project_id: i64,
    #[diesel(sql_type = Text)]
    pub currency: String,
    #[diesel(sql_type = BigInt)]
    pub tools: i64,
    #[diesel(sql_type = BigInt)]
    pub loans: i64,
    #[diesel(sql_type = BigInt)]
    pub fees_minor: i64,
}

/// Which loans to list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Loans {
    Open,
    Overdue,
    All,
}

/// Utilisation of one tool over the months of a report.
#[derive(Debug, Clone, PartialEq)]
pub struct ToolUse {
    pub tool_id: i64,
    pub name: String,
    /// Share of unit-days out, per month, oldest first.
    pub months: Vec<f64>,
    pub loans: i64,
}

/// A pool's figures: fees collected and loans per month, and each tool's utilisation.
#[derive(Debug, Clone, PartialEq)]
pub struct PoolReport {
    /// `YYYY-MM`, oldest first.
    pub months: Vec<String>,
    pub fees: Vec<Money>,
    pub loans: Vec<i64>,
    pub tools: Vec<ToolUse>,
    pub fees_total: Money,
}

fn pool_select() -> &'static str {
    "SELECT a.id, a.community_project_id, cp.name AS community_project, cp.country, a.office_id, \
     o.name AS office_name, a.name, a.currency, \
     (SELECT COUNT(*) FROM pool_tools t WHERE t.pool_id = a.id) AS tools, \
     (SELECT COUNT(*) FROM tool_loans l WHERE l.pool_id = a.id AND l.returned_on IS NULL) AS out \
     FROM asset_pools a JOIN community_projects cp ON cp.id = a.community_project_id \
     JOIN offices o ON o.id = a.office_id"
}

const TOOL_SELECT: &str = "SELECT t.id, t.pool_id, t.name, t.category, t.quantity, t.condition, \
    t.value_minor, t.fee_minor, t.notes, \
    (SELECT COUNT(*) FROM tool_loans l WHERE l.tool_id = t.id AND l.returned_on IS NULL) AS out, \
    (SELECT MIN(l.due_on) FROM tool_loans l WHERE l.tool_id = t.id AND l.returned_on IS NULL) AS next_due \
    FROM pool_tools t";

const LOAN_SELECT: &str = "SELECT l.id, l.tool_id, t.name AS tool, l.borrower, l.phone, l.lent_on, \
    l.due_on, l.returned_on, l.condition_out, l.condition_back, l.fee_minor, \
    t.fee_minor AS fee_per_day_minor, l.note FROM tool_loans l JOIN pool_tools t ON t.id = l.tool_id";

pub(crate) fn pools_of(
    c: &mut DbConnection,
    backend: Backend,
    community_project: i64,
) -> Result<Vec<PoolLine>, StoreError> {
    let mut q = Sql::new(backend);
    q.push(pool_select())
        .push(" WHERE a.community_project_id = ")
        .int(community_project)
        .push(" ORDER BY a.id");
    Ok(q.load(c)?)
}

fn pool_line(c: &mut DbConnection, backend: Backend, id: i64) -> Result<PoolLine, StoreError> {
    let mut q = Sql::new(backend);
    q.push(pool_select()).push(" WHERE a.id = ").int(id);
    q.load::<PoolLine>(c)?
        .into_iter()
        .next()
        .ok_or_else(|| StoreError::NotFound(format!("asset pool {id}")))
}

fn currency_of(p: &PoolLine) -> Result<CurrencyCode, StoreError> {
    p.currency
        .parse()
        .map_err(|_| StoreError::Corrupt(format!("asset pool {}: currency {:?}", p.id, p.currency)))
}

fn tool(c: &mut DbConnection, backend: Backend, id: i64) -> Result<ToolLine, StoreError> {
    let mut q = Sql::new(backend);
    q.push(TOOL_SELECT).push(" WHERE t.id = ").int(id);
    q.load::<ToolLine>(c)?
        .into_iter()
        .next()
        .ok_or_else(|| StoreError::NotFound(format!("tool {id}")))
}

fn loans_of_tool(
    c: &mut DbConnection,
    backend: Backend,
    tool_id: i64,
) -> Result<Vec<Loan>, StoreError> {
    let mut q = Sql::new(backend);
    q.push(LOAN_SELECT)
        .push(" WHERE l.tool_id = ")
        .int(tool_id)
        .push(" ORDER BY l.lent_on, l.id");
    Ok(q.load(c)?)
}

fn loan(c: &mut DbConnection, backend: Backend, id: i64) -> Result<(Loan, i64), StoreError> {
    #[derive(QueryableByName)]
    struct PoolOf {
        #[diesel(sql_type = BigInt)]
        pool_id: i64,
    }
    let mut q = Sql::new(backend);
    q.push(LOAN_SELECT).push(" WHERE l.id = ").int(id);
    let l = q
        .load::<Loan>(c)?
        .into_iter()
        .next()
        .ok_or_else(|| StoreError::NotFound(format!("loan {id}")))?;
    let mut p = Sql::new(backend);
    p.push("SELECT pool_id FROM tool_loans WHERE id = ").int(id);
    let pool = p.load::<PoolOf>(c)?.first().map_or(0, |r| r.pool_id);
    Ok((l, pool))
}

impl Store {
    /// Opens a pool under a community project, run by `office_id` (the centre's office,
    /// whose operators lend its tools), with fees and values in `currency`.
    pub fn add_pool(
        &self,
        auth: &Authorized<ManageCommunity>,
        actor: &Actor,
        community_project: i64,
        office_id: i64,
        name: &str,
        currency: CurrencyCode,
    ) -> Result<i64, StoreError> {
        let backend = self.backend();
        let name = name.trim();
        if name.chars().count() < 3 {
            return Err(StoreError::conflict("name", "must be 3 to 200 characters"));
        }
        self.write(|c| {
            let (project_office, _) = crate::community::activity::owner(
                c,
                backend,
                homeward_domain::community::activity::Level::Community,
                community_project,
            )?;
            reaches(auth, project_office)?;
            super::office_exists(c, backend, office_id)?;
            let mut q = Sql::new(backend);
            q.push("INSERT INTO asset_pools (community_project_id, office_id, name, currency, created_at) VALUES (")
                .int(community_project)
                .push(", ")
                .int(office_id)
                .push(", ")
                .text(name)
                .push(", ")
                .text(currency.as_str())
                .push(", ")
                .text(crate::utc_now())
                .push(") RETURNING id");
            let id = q.insert_id(c)?;
            append(
                c,
                backend,
                actor,
                Change::new(Action::Create, "asset_pool", id).after(json!({
                    "name": name, "community_project_id": community_project,
                    "office_id": office_id, "currency": currency.as_str(),
                })),
            )?;
            Ok(id)
        })
    }

    pub fn pool(&self, id: i64) -> Result<PoolLine, StoreError> {
        self.read(|c| pool_line(c, self.backend(), id))
    }

    /// Every pool, for lists and the API.
    pub fn pools(&self) -> Result<Vec<PoolLine>, StoreError> {
        self.read(|c| {
            let mut q = Sql::new(self.backend());
            q.push(pool_select()).push(" ORDER BY a.id");
            Ok(q.load(c)?)
        })
    }

    /// Every pool's totals.
    pub fn pool_totals(&self) -> Result<Vec<PoolTotals>, StoreError> {
        self.read(|c| {
            let mut q = Sql::new(self.backend());
            q.push(
                "SELECT a.id AS pool_id, a.community_project_id, a.currency, \
                 (SELECT CAST(COALESCE(SUM(t.quantity), 0) AS BIGINT) FROM pool_tools t WHERE t.pool_id = a.id) AS tools, \
                 (SELECT COUNT(*) FROM tool_loans l WHERE l.pool_id = a.id) AS loans, \
                 (SELECT CAST(COALESCE(SUM(l.fee_minor), 0) AS BIGINT) FROM tool_loans l WHERE l.pool_id = a.id) AS fees_minor \
                 FROM asset_pools a ORDER BY a.id",
            );
            Ok(q.load(c)?)
        })
    }

    /// The inventory, by name; `find` narrows it to tools whose name or category contains
    /// the words typed.
    pub fn pool_tools(&self, pool: i64, find: &str) -> Result<Vec<ToolLine>, StoreError> {
        self.read(|c| {
            let mut q = Sql::new(self.backend());
            q.push(TOOL_SELECT).push(" WHERE t.pool_id = ").int(pool);
            for word in find.split_whitespace().take(5) {
                let like = format!("%{}%", word.to_lowercase().replace(['%', '_'], ""));
                q.push(" AND (LOWER(t.name) LIKE ")
                    .text(like.clone())
                    .push(" OR LOWER(t.category) LIKE ")
                    .text(like)
                    .push(")");
            }
            q.push(" ORDER BY LOWER(t.name), t.id");
            Ok(q.load(c)?)
        })
    }

    pub fn pool_tool(&self, id: i64) -> Result<ToolLine, StoreError> {
        self.read(|c| tool(c, self.backend(), id))
    }

    /// Adds a tool to the inventory (`id` none) or changes one.
    pub fn save_tool(
        &self,
        auth: &Authorized<ManageCommunity>,
        actor: &Actor,
        pool: i64,
        id: Option<i64>,
        d: &ToolDraft,
    ) -> Result<i64, StoreError> {
        let backend = self.backend();
        self.write(|c| {
            let p = pool_line(c, backend, pool)?;
            let (project_office, _) = crate::community::activity::owner(
                c,
                backend,
                homeward_domain::community::activity::Level::Community,
                p.community_project_id,
            )?;
            // The project's staff or the centre's.
            reaches(auth, project_office).or_else(|_| reaches(auth, p.office_id))?;
            if d.value.currency.as_str() != p.currency {
                return Err(StoreError::conflict(
                    "value",
                    format!("the pool keeps its accounts in {}", p.currency),
                ));
            }
            let now = crate::utc_now();
            let mut q = Sql::new(backend);
            let id = match id {
                None => {
                    q.push(
                        "INSERT INTO pool_tools (pool_id, name, category, quantity, condition, value_minor, \
                         fee_minor, notes, created_at, updated_at) VALUES (",
                    )
                    .int(pool)
                    .push(", ")
                    .text(d.name.clone())
                    .push(", ")
                    .text(d.category.code())
                    .push(", ")
                    .int(i64::from(d.quantity))
                    .push(", ")
                    .text(d.condition.code())
                    .push(", ")
                    .int(d.value.minor)
                    .push(", ")
                    .int(d.fee_per_day.minor)
                    .push(", ")
                    .text(d.notes.clone())
                    .push(", ")
                    .text(now.clone())
                    .push(", ")
                    .text(now)
                    .push(") RETURNING id");
                    q.insert_id(c)?
                }
                Some(id) => {
                    let before = tool(c, backend, id)?;
                    if before.pool_id != pool {
                        return Err(StoreError::NotFound(format!("tool {id} in pool {pool}")));
                    }
                    if i64::from(d.quantity) < before.out {
                        return Err(StoreError::conflict(
                            "quantity",
                            format!("{} units are out on loan now", before.out),
                        ));
                    }
                    q.push("UPDATE pool_tools SET name = ")
                        .text(d.name.clone())
                        .push(", category = ")
                        .text(d.category.code())
                        .push(", quantity = ")
                        .int(i64::from(d.quantity))
                        .push(", condition = ")
                        .text(d.condition.code())
                        .push(", value_minor = ")
                        .int(d.value.minor)
                        .push(", fee_minor = ")
                        .int(d.fee_per_day.minor)
                        .push(", notes = ")
                        .text(d.notes.clone())
                        .push(", updated_at = ")
                        .text(now)
                        .push(" WHERE id = ")
                        .int(id);
                    q.execute(c)?;
                    id
                }
            };
            append(
                c,
                backend,
                actor,
                Change::new(Action::Update, "asset_pool", pool).after(json!({
                    "tool": id, "name": d.name, "quantity": d.quantity, "condition": d.condition.code(),
                    "fee_per_day": d.fee_per_day.to_decimal_string(),
                })),
            )?;
            Ok(id)
        })
    }

    /// Lends one unit of a tool: refused with the reason if it is out of service or every
    /// unit is out.
    pub fn lend_tool(
        &self,
        auth: &Authorized<LendAssets>,
        actor: &Actor,
        tool_id: i64,
        d: &LoanDraft,
    ) -> Result<i64, StoreError> {
        let backend = self.backend();
        self.write(|c| {
            if backend == Backend::Postgres {
                // Two counters lending the same tool wait for each other here.
                let mut lock = Sql::new(backend);
                lock.push("SELECT id FROM pool_tools WHERE id = ")
                    .int(tool_id)
                    .push(" FOR UPDATE");
                lock.execute(c)?;
            }
            let t = tool(c, backend, tool_id)?;
            let p = pool_line(c, backend, t.pool_id)?;
            reaches(auth, p.office_id)?;
            let condition: Condition = t
                .condition
                .parse()
                .map_err(|e: String| StoreError::Corrupt(e))?;
            let spans: Vec<Span> = loans_of_tool(c, backend, tool_id)?
                .iter()
                .filter_map(Loan::span)
                .collect();
            may_lend(
                &t.name,
                u32::try_from(t.quantity).unwrap_or(0),
                condition,
                &spans,
                d.lent_on,
            )
            .map_err(|e| StoreError::conflict("tool", e.to_string()))?;
            let mut q = Sql::new(backend);
            q.push(
                "INSERT INTO tool_loans (tool_id, pool_id, borrower, phone, lent_on, due_on, \
                 condition_out, lent_by, created_at) VALUES (",
            )
            .int(tool_id)
            .push(", ")
            .int(t.pool_id)
            .push(", ")
            .text(d.borrower.clone())
            .push(", ")
            .text(d.phone.clone())
            .push(", ")
            .text(d.lent_on.to_string())
            .push(", ")
            .text(d.due_on.to_string())
            .push(", ")
            .text(condition.code())
            .push(", ")
            .opt_int(actor.user_id)
            .push(", ")
            .text(crate::utc_now())
            .push(") RETURNING id");
            let id = q.insert_id(c)?;
            append(
                c,
                backend,
                actor,
                Change::new(Action::Create, "tool_loan", id).after(json!({
                    "tool": tool_id, "borrower": d.borrower, "lent_on": d.lent_on.to_string(),
                    "due_on": d.due_on.to_string(),
                })),
            )?;
            Ok(id)
        })
    }

    /// One loan with its pool, for the staff taking it back.
    pub fn tool_loan(&self, auth: &Authorized<LendAssets>, id: i64) -> Result<Loan, StoreError> {
        let backend = self.backend();
        self.read(|c| {
            let (l, pool) = loan(c, backend, id)?;
            reaches(auth, pool_line(c, backend, pool)?.office_id)?;
            Ok(l)
        })
    }

    /// Takes a loan back: the fee collected is recorded and the tool keeps the condition
    /// it came back in.
    pub fn return_tool(
        &self,
        auth: &Authorized<LendAssets>,
        actor: &Actor,
        loan_id: i64,
        d: &ReturnDraft,
    ) -> Result<Money, StoreError> {
        let backend = self.backend();
        self.write(|c| {
            let (l, pool) = loan(c, backend, loan_id)?;
            let p = pool_line(c, backend, pool)?;
            reaches(auth, p.office_id)?;
            if let Some(r) = &l.returned_on {
                return Err(StoreError::conflict(
                    "loan",
                    format!("{} was taken back already on {r}", l.tool),
                ));
            }
            let lent_on: Ymd = l
                .lent_on
                .parse()
                .map_err(|e: String| StoreError::Corrupt(e))?;
            if d.returned_on < lent_on {
                return Err(StoreError::conflict(
                    "returned_on",
                    format!(
                        "{} is before the day it was lent ({lent_on})",
                        d.returned_on
                    ),
                ));
            }
            if d.fee.currency.as_str() != p.currency {
                return Err(StoreError::conflict(
                    "fee",
                    format!("the pool keeps its accounts in {}", p.currency),
                ));
            }
            let mut q = Sql::new(backend);
            q.push("UPDATE tool_loans SET returned_on = ")
                .text(d.returned_on.to_string())
                .push(", condition_back = ")
                .text(d.condition.code())
                .push(", fee_minor = ")
                .int(d.fee.minor)
                .push(", note = ")
                .text(d.note.clone())
                .push(", returned_by = ")
                .opt_int(actor.user_id)
                .push(" WHERE id = ")
                .int(loan_id)
                .push(" AND returned_on IS NULL");
            if q.execute(c)? == 0 {
                return Err(StoreError::conflict("loan", "it was taken back meanwhile"));
            }
            let mut t = Sql::new(backend);
            t.push("UPDATE pool_tools SET condition = ")
                .text(d.condition.code())
                .push(", updated_at = ")
                .text(crate::utc_now())
                .push(" WHERE id = ")
                .int(l.tool_id);
            t.execute(c)?;
            append(
                c,
                backend,
                actor,
                Change::new(Action::Update, "tool_loan", loan_id).after(json!({
                    "returned_on": d.returned_on.to_string(), "condition": d.condition.code(),
                    "fee": d.fee.to_decimal_string(), "currency": p.currency,
                })),
            )?;
            Ok(d.fee)
        })
    }

    /// Loans of a pool, newest first, with their borrowers.
    pub fn pool_loans(
        &self,
        auth: &Authorized<LendAssets>,
        pool: i64,
        which: Loans,
        limit: i64,
    ) -> Result<Vec<Loan>, StoreError> {
        let backend = self.backend();
        self.read(|c| {
            reaches(auth, pool_line(c, backend, pool)?.office_id)?;
            let mut q = Sql::new(backend);
            q.push(LOAN_SELECT).push(" WHERE l.pool_id = ").int(pool);
            match which {
                Loans::Open => {
                    q.push(" AND l.returned_on IS NULL");
                }
                Loans::Overdue => {
                    q.push(" AND l.returned_on IS NULL AND l.due_on < ")
                        .text(crate::today().to_string());
                }
                Loans::All => {}
            }
            q.push(match which {
                Loans::Overdue => " ORDER BY l.due_on, l.id",
                _ => " ORDER BY l.lent_on DESC, l.id DESC",
            })
            .push(" LIMIT ")
            .int(limit);
            Ok(q.load(c)?)
        })
    }

    /// Fees, loans and utilisation per month over the `months` months up to this one.
    /// Counts only: public.
    pub fn pool_report(&self, pool: i64, months: u32) -> Result<PoolReport, StoreError> {
        let backend = self.backend();
        let today = crate::today();
        self.read(|c| {
            let p = pool_line(c, backend, pool)?;
            let currency = currency_of(&p)?;
            let mut tools = Sql::new(backend);
            tools
                .push(TOOL_SELECT)
                .push(" WHERE t.pool_id = ")
                .int(pool)
                .push(" ORDER BY t.name, t.id");
            let tools: Vec<ToolLine> = tools.load(c)?;
            let mut all = Sql::new(backend);
            all.push(LOAN_SELECT).push(" WHERE l.pool_id = ").int(pool);
            let loans: Vec<Loan> = all.load(c)?;
            let months = months.clamp(1, 36);
            let span: Vec<(i32, u8)> = (0..months)
                .rev()
                .map(|back| {
                    let m0 = today.year * 12 + i32::from(today.month) - 1 - back as i32;
                    (m0.div_euclid(12), (m0.rem_euclid(12) + 1) as u8)
                })
                .collect();
            let label = |(y, m): (i32, u8)| format!("{y:04}-{m:02}");
            let in_month = |date: &str, ym: (i32, u8)| date.starts_with(&label(ym));
            let fees: Vec<Money> = span
                .iter()
                .map(|ym| {
                    let minor = loans
                        .iter()
                        .filter(|l| l.returned_on.as_deref().is_some_and(|r| in_month(r, *ym)))
                        .map(|l| l.fee_minor.unwrap_or(0))
                        .sum();
                    Money::new(minor, currency)
                })
                .collect();
            let counts = span
                .iter()
                .map(|ym| loans.iter().filter(|l| in_month(&l.lent_on, *ym)).count() as i64)
                .collect();
            let uses = tools
                .iter()
                .map(|t| {
                    let spans: Vec<Span> = loans
                        .iter()
                        .filter(|l| l.tool_id == t.id)
                        .filter_map(Loan::span)
                        .collect();
                    ToolUse {
                        tool_id: t.id,
                        name: t.name.clone(),
                        months: span
                            .iter()
                            .map(|(y, m)| {
                                utilisation(
                                    &spans,
                                    u32::try_from(t.quantity).unwrap_or(1),
                                    *y,
                                    *m,
                                    today,
                                )
                            })
                            .collect(),
                        loans: spans.len() as i64,
                    }
                })
                .collect();
            let total = loans.iter().map(|l| l.fee_minor.unwrap_or(0)).sum();
            Ok(PoolReport {
                months: span.into_iter().map(label).collect(),
                fees,
                loans: counts,
                tools: uses,
                fees_total: Money::new(total, currency),
            })
        })
    }
}

/// A loan of the past (demo data, a register kept on paper before), written as it was.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PastLoan {
    pub tool_id: i64,
    pub borrower: String,
    pub lent_on: Ymd,
    pub due_on: Ymd,
    /// When it came back, in what state, and the fee collected then.
    pub back: Option<(Ymd, Condition, Money)>,
}

impl Store {
    /// Writes past loans of one pool in one transaction and one audit entry, each checked
    /// against the same rules as at the counter (in the order lent): all of them or none.
    /// For the command line (demo data, a paper register brought in).
    pub fn add_past_loans(
        &self,
        actor: &Actor,
        pool: i64,
        loans: &[PastLoan],
    ) -> Result<usize, StoreError> {
        let backend = self.backend();
        self.write(|c| {
            let p = pool_line(c, backend, pool)?;
            let mut order: Vec<&PastLoan> = loans.iter().collect();
            order.sort_by_key(|l| (l.tool_id, l.lent_on));
            let mut held: std::collections::HashMap<i64, Vec<Span>> = std::collections::HashMap::new();
            for (i, l) in order.iter().enumerate() {
                let t = tool(c, backend, l.tool_id)?;
                if t.pool_id != pool {
                    return Err(StoreError::conflict("tool", format!("loan {}: tool {} is not in {}", i + 1, l.tool_id, p.name)));
                }
                let spans = match held.entry(l.tool_id) {
                    std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
                    std::collections::hash_map::Entry::Vacant(v) => v.insert(
                        loans_of_tool(c, backend, l.tool_id)?.iter().filter_map(Loan::span).collect(),
                    ),
                };
                may_lend(&t.name, u32::try_from(t.quantity).unwrap_or(0), Condition::Good, spans, l.lent_on)
                    .map_err(|e| StoreError::conflict("tool", format!("loan {}: {e}", i + 1)))?;
                spans.push(Span {
                    lent_on: l.lent_on,
                    due_on: l.due_on,
                    returned_on: l.back.map(|b| b.0),
                });
            }
            crate::db::sql::insert_rows(
                c,
                backend,
                "INSERT INTO tool_loans (tool_id, pool_id, borrower, phone, lent_on, due_on, returned_on, \
                 condition_out, condition_back, fee_minor, note, created_at)",
                12,
                loans.iter(),
                |q, l| {
                    q.int(l.tool_id)
                        .push(", ")
                        .int(pool)
                        .push(", ")
                        .text(l.borrower.clone())
                        .push(", '', ")
                        .text(l.lent_on.to_string())
                        .push(", ")
                        .text(l.due_on.to_string())
                        .push(", ")
                        .opt_text(l.back.map(|b| b.0.to_string()))
                        .push(", 'good', ")
                        .opt_text(l.back.map(|b| b.1.code().to_owned()))
                        .push(", ")
                        .opt_int(l.back.map(|b| b.2.minor))
                        .push(", '', ")
                        .text(crate::utc_now());
                },
            )?;
            append(
                c,
                backend,
                actor,
                Change::new(Action::Create, "tool_loan", "").after(json!({
                    "pool": pool, "past_loans": loans.len(),
                })),
            )?;
            Ok(loans.len())
        })
    }
}
