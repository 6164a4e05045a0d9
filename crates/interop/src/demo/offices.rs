//! The demo's offices and how its accounts are named: the host office in Norway and the
//! origin office in Albania with their partners, found or made by name, and the principal
//! a demo account acts as.

use homeward_domain::access::{Principal, Role};
use homeward_domain::account::OfficeDraft;
use homeward_store::{Store, StoreError};

pub const OSLO: &str = "IOM Oslo";
pub const TIRANA: &str = "IOM Tirana";
pub const OSLO_PARTNER: &str = "Oslo Return Counselling Partner (demo)";
pub const TIRANA_PARTNER: &str = "Tirana Reintegration Partner (demo)";

pub(super) fn email(role: Role, place: &str) -> String {
    format!("{}.{place}@homeward.example", role.code().replace('_', "-"))
}

pub(super) fn office(
    store: &Store,
    name: &str,
    country: &str,
    kind: &str,
) -> Result<i64, StoreError> {
    match store.office_by_name(name)? {
        Some(o) => Ok(o.id),
        None => {
            let d = OfficeDraft::parse(name, country, kind)
                .map_err(|e| StoreError::conflict("office", format!("{e:?}")))?;
            store.add_office_console(&d)
        }
    }
}

pub(super) fn principal(store: &Store, email: &str) -> Result<Principal, StoreError> {
    let u = store
        .user_by_email(email)?
        .ok_or_else(|| StoreError::NotFound(email.to_owned()))?;
    store
        .console_principal(u.id)?
        .ok_or_else(|| StoreError::NotFound(email.to_owned()))
}
