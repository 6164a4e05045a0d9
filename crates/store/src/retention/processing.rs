//! The facts a record of processing is made from, read as they stand: offices and their
//! terms, the partners and offices data went to, the roles with their permissions and how
//! many people hold each, where the data lives and how much of it there is.

use crate::access::roles::RoleSettings;
use crate::db::sql::Sql;
use crate::{Backend, Store, StoreError};
use diesel::QueryableByName;
use diesel::sql_types::{BigInt, Text};
use homeward_domain::access::{Authorized, ManageRetention};

/// An office with its kind, term and what it received from other offices.
#[derive(QueryableByName, Debug, Clone, PartialEq, Eq)]
pub struct OfficeUse {
    #[diesel(sql_type = Text)]
    pub name: String,
    #[diesel(sql_type = Text)]
    pub country: String,
    #[diesel(sql_type = Text)]
    pub kind: String,
    #[diesel(sql_type = BigInt)]
    pub years: i64,
    /// Cases shared with it, or handed to it by another office (a hand-over's share row
    /// names the office that handed the case over).
    #[diesel(sql_type = BigInt)]
    pub received: i64,
    /// Referrals sent to it.
    #[diesel(sql_type = BigInt)]
    pub referrals: i64,
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = Text)]
    s: String,
    #[diesel(sql_type = BigInt)]
    n: i64,
}

/// Everything the record says that comes from the database.
#[derive(Debug, Clone)]
pub struct Processing {
    pub backend: Backend,
    /// An SQLite file encrypted with SQLCipher.
    pub encrypted: bool,
    pub offices: Vec<OfficeUse>,
    /// Each role's permissions, and how many active people hold it.
    pub roles: Vec<(RoleSettings, i64)>,
    pub returnees: i64,
    pub cases: i64,
    pub anonymised: i64,
}

impl Store {
    pub fn processing_facts(
        &self,
        _auth: &Authorized<ManageRetention>,
    ) -> Result<Processing, StoreError> {
        let backend = self.backend();
        let roles = self.role_settings()?;
        self.read(|c| {
            let mut o = Sql::new(backend);
            o.push(
                "SELECT o.name, o.country, o.kind, CAST(o.retention_years AS BIGINT) AS years, \
                 (SELECT COUNT(*) FROM case_shares s WHERE s.office_id = o.id \
                 AND s.kind = 'shared') + (SELECT COUNT(*) FROM case_shares s JOIN cases c \
                 ON c.id = s.case_id WHERE s.kind = 'handover' AND c.owning_office_id = o.id) \
                 AS received, \
                 (SELECT COUNT(*) FROM referrals f WHERE f.office_id = o.id) AS referrals \
                 FROM offices o ORDER BY o.kind, o.name",
            );
            let offices = o.load::<OfficeUse>(c)?;
            let mut u = Sql::new(backend);
            u.push(
                "SELECT role AS s, COUNT(*) AS n FROM users WHERE disabled_at IS NULL \
                 GROUP BY role",
            );
            let people = u.load::<Count>(c)?;
            let held = |code: &str| people.iter().find(|p| p.s == code).map_or(0, |p| p.n);
            let mut number = |sql: &str| -> Result<i64, StoreError> {
                let mut q = Sql::new(backend);
                q.push(sql);
                Ok(q.number(c)?)
            };
            Ok(Processing {
                backend,
                encrypted: self.key.is_some(),
                offices,
                roles: roles
                    .iter()
                    .map(|r| (r.clone(), held(r.role.code())))
                    .collect(),
                returnees: number("SELECT COUNT(*) AS n FROM returnees")?,
                cases: number("SELECT COUNT(*) AS n FROM cases")?,
                anonymised: number(
                    "SELECT COUNT(*) AS n FROM cases WHERE anonymised_on IS NOT NULL",
                )?,
            })
        })
    }
}
