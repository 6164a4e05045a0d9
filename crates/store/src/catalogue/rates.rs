//! Exchange rates: the USD value of one unit of a currency on a date. Maintained by
//! administrators (one at a time or a whole table, all or nothing) and read when money
//! paid in another currency is converted: the rate of the latest date on or before the
//! payment.

use crate::audit::{Change, append};
use crate::db::sql::Sql;
use crate::{Actor, Backend, DbConnection, Store, StoreError};
use diesel::QueryableByName;
use diesel::sql_types::Text;
use homeward_domain::CurrencyCode;
use homeward_domain::access::{Authorized, ManageReference};
use homeward_domain::audit::Action;
use homeward_domain::date::Ymd;
use homeward_domain::reintegration::exchange::UsdRate;
use serde_json::json;

/// One rate as entered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RateEntry {
    pub currency: CurrencyCode,
    pub on: Ymd,
    pub rate: UsdRate,
    /// Where it came from (a central bank, the finance unit, an import file).
    pub source: String,
}

#[derive(Debug, Clone, QueryableByName)]
struct Row {
    #[diesel(sql_type = Text)]
    currency: String,
    #[diesel(sql_type = Text)]
    on_date: String,
    #[diesel(sql_type = Text)]
    usd_per_unit: String,
    #[diesel(sql_type = Text)]
    source: String,
}

pub(crate) fn rate_entry(
    c: &mut DbConnection,
    backend: Backend,
    currency: CurrencyCode,
    on: Ymd,
) -> Result<Option<RateEntry>, StoreError> {
    let mut q = Sql::new(backend);
    q.push("SELECT currency, on_date, usd_per_unit, source FROM exchange_rates WHERE currency = ")
        .text(currency.as_str())
        .push(" AND on_date <= ")
        .text(on.to_string())
        .push(" ORDER BY on_date DESC LIMIT 1");
    Ok(q.load::<Row>(c)?.first().and_then(Row::entry))
}

impl Row {
    /// Rows were written from valid entries; one that no longer parses is skipped.
    fn entry(&self) -> Option<RateEntry> {
        let currency: CurrencyCode = self.currency.parse().ok()?;
        Some(RateEntry {
            currency,
            on: self.on_date.parse().ok()?,
            rate: UsdRate::parse(currency, &self.usd_per_unit).ok()?,
            source: self.source.clone(),
        })
    }
}

fn existing(
    conn: &mut DbConnection,
    backend: Backend,
    e: &RateEntry,
) -> Result<Option<Row>, StoreError> {
    let mut q = Sql::new(backend);
    q.push("SELECT currency, on_date, usd_per_unit, source FROM exchange_rates WHERE currency = ")
        .text(e.currency.as_str())
        .push(" AND on_date = ")
        .text(e.on.to_string());
    Ok(q.load(conn)?.into_iter().next())
}

/// Adds or replaces one rate, recording the change.
fn put(
    conn: &mut DbConnection,
    backend: Backend,
    actor: &Actor,
    e: &RateEntry,
) -> Result<bool, StoreError> {
    let before = existing(conn, backend, e)?;
    let key = format!("{} {}", e.currency.as_str(), e.on);
    let after = json!({"usd_per_unit": e.rate.to_decimal_string(), "source": e.source});
    let change = match &before {
        Some(b) => {
            let mut q = Sql::new(backend);
            q.push("UPDATE exchange_rates SET usd_per_unit = ")
                .text(e.rate.to_decimal_string())
                .push(", source = ")
                .text(e.source.clone())
                .push(" WHERE currency = ")
                .text(e.currency.as_str())
                .push(" AND on_date = ")
                .text(e.on.to_string());
            q.execute(conn)?;
            Change::new(Action::Update, "exchange_rate", key)
                .before(json!({"usd_per_unit": b.usd_per_unit, "source": b.source}))
                .after(after)
        }
        None => {
            let mut q = Sql::new(backend);
            q.push("INSERT INTO exchange_rates (currency, on_date, usd_per_unit, source, created_at) VALUES (")
                .text(e.currency.as_str())
                .push(", ")
                .text(e.on.to_string())
                .push(", ")
                .text(e.rate.to_decimal_string())
                .push(", ")
                .text(e.source.clone())
                .push(", ")
                .text(crate::utc_now())
                .push(")");
            q.execute(conn)?;
            Change::new(Action::Create, "exchange_rate", key).after(after)
        }
    };
    append(conn, backend, actor, change)?;
    Ok(before.is_none())
}

/// How many rates an import created and updated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct RatesSaved {
    pub created: usize,
    pub updated: usize,
}

impl Store {
    /// Adds or replaces the rate of a currency on a date.
    pub fn set_rate(
        &self,
        _auth: &Authorized<ManageReference>,
        actor: &Actor,
        e: &RateEntry,
    ) -> Result<(), StoreError> {
        self.write(|c| put(c, self.backend(), actor, e).map(|_| ()))
    }

    /// Saves a whole table of rates in one transaction: all of them or none.
    pub fn import_rates(
        &self,
        _auth: &Authorized<ManageReference>,
        actor: &Actor,
        entries: &[RateEntry],
    ) -> Result<RatesSaved, StoreError> {
        self.save_rates(actor, entries)
    }

    /// As [`Store::import_rates`], from the server's console (`homeward rates import`).
    pub fn import_rates_console(&self, entries: &[RateEntry]) -> Result<RatesSaved, StoreError> {
        self.save_rates(&Actor::console(), entries)
    }

    fn save_rates(&self, actor: &Actor, entries: &[RateEntry]) -> Result<RatesSaved, StoreError> {
        self.write(|c| {
            let mut saved = RatesSaved::default();
            for e in entries {
                if put(c, self.backend(), actor, e)? {
                    saved.created += 1;
                } else {
                    saved.updated += 1;
                }
            }
            Ok(saved)
        })
    }

    /// The rate to convert a payment made on `on`: the latest on or before that date.
    pub fn rate_on(
        &self,
        currency: CurrencyCode,
        on: Ymd,
    ) -> Result<Option<RateEntry>, StoreError> {
        if currency == CurrencyCode::USD {
            return Ok(Some(RateEntry {
                currency,
                on,
                rate: UsdRate::usd(),
                source: "identity".into(),
            }));
        }
        self.read(|c| rate_entry(c, self.backend(), currency, on))
    }

    /// The newest rates first, for the administration page.
    pub fn rates(&self, limit: i64) -> Result<Vec<RateEntry>, StoreError> {
        self.read(|c| {
            let mut q = Sql::new(self.backend());
            q.push("SELECT currency, on_date, usd_per_unit, source FROM exchange_rates ORDER BY on_date DESC, currency LIMIT ")
                .int(limit.clamp(1, 10_000));
            Ok(q.load::<Row>(c)?.iter().filter_map(Row::entry).collect())
        })
    }
}
