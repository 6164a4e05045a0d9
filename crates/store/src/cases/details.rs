//! Corrections to the returnee's own details: names, birth, nationality, languages,
//! contacts, place of return and, for who may see them, vulnerabilities and health notes.
//! The name search follows at once.

use crate::audit::{Change, append};
use crate::cases::load_covered;
use crate::cases::log;
use crate::db::sql::Sql;
use crate::{Actor, Store, StoreError};
use homeward_domain::access::{Authorized, WriteCases};
use homeward_domain::audit::Action;
use homeward_domain::case::Registration;
use serde_json::json;

impl Store {
    /// Corrects the returnee's names, birth, nationality and details (and the sensitive
    /// part when the editor may see it; otherwise it is left as it is).
    pub fn update_returnee(
        &self,
        auth: &Authorized<WriteCases>,
        actor: &Actor,
        id: i64,
        version: i64,
        r: &Registration,
    ) -> Result<(), StoreError> {
        self.write(|c| {
            let backend = self.backend();
            let case = load_covered(c, backend, auth, id)?;
            crate::cases::log::check(c, backend, id, version)?;
            log::edit(c, backend, id, version, actor, "details", "")?;
            let mut q = Sql::new(backend);
            q.push("UPDATE returnees SET given_name = ")
                .text(r.given_name.clone())
                .push(", family_name = ")
                .text(r.family_name.clone())
                .push(", sex = ")
                .text(r.sex.code())
                .push(", birth_date = ")
                .opt_text(r.birth_date.map(|d| d.to_string()))
                .push(", nationality = ")
                .text(r.nationality.as_str())
                .push(", birth_date_estimated = ")
                .bool(r.details.birth_date_estimated)
                .push(", languages = ")
                .text(r.details.languages.clone())
                .push(", phone = ")
                .text(r.details.phone.clone())
                .push(", email = ")
                .text(r.details.email.clone())
                .push(", return_country = ")
                .text(r.details.return_country.as_str())
                .push(", return_area = ")
                .text(r.details.return_area.clone())
                .push(", return_place = ")
                .text(r.details.return_place.clone());
            if case.sensitive.is_some() {
                q.push(", vulnerabilities = ")
                    .text(
                        r.sensitive
                            .vulnerabilities
                            .iter()
                            .map(|v| v.code())
                            .collect::<Vec<_>>()
                            .join(","),
                    )
                    .push(", health_notes = ")
                    .text(r.sensitive.health_notes.clone());
            }
            q.push(" WHERE id = ").int(case.returnee_id);
            q.execute(c)?;
            crate::cases::names::index_returnee(c, backend, case.returnee_id)?;
            append(
                c,
                backend,
                actor,
                Change::new(Action::Update, "returnee", case.returnee_id)
                    .before(
                        json!({"given_name": case.given_name, "family_name": case.family_name,
                        "phone": case.details.phone, "return_place": case.details.return_place}),
                    )
                    .after(
                        json!({"given_name": r.given_name, "family_name": r.family_name,
                        "phone": r.details.phone, "return_place": r.details.return_place,
                        "sensitive_changed": case.sensitive.is_some()}),
                    ),
            )?;
            Ok(())
        })
    }
}
