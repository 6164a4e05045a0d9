//! Demo offices, users and cases: a host office in Norway and an origin office in
//! Albania, each with a partner organisation; one user per role in each country; a few
//! fictional returnees whose cases show ownership, handover and referral. Every name
//! here is invented for the demo.

use homeward_domain::access::{Principal, Role, WriteCases};
use homeward_domain::account::Email;
use homeward_domain::case::RegistrationForm;
use homeward_domain::reintegration::consent::Purpose;
use homeward_domain::retention::Reason;
use homeward_store::access::users::NewUser;
use homeward_store::cases::handover::HandTo;
use homeward_store::{Actor, Store, StoreError};

use super::offices::{OSLO, OSLO_PARTNER, TIRANA, TIRANA_PARTNER, email, office, principal};

/// One demo account, for printing.
#[derive(Debug, Clone)]
pub struct DemoUser {
    pub email: String,
    pub role: Role,
    pub office: String,
}

/// The demo accounts and the one password they share.
#[derive(Debug, Clone)]
pub struct DemoPeople {
    pub users: Vec<DemoUser>,
    pub password: String,
    pub cases_created: usize,
}

const WORDS: &[&str] = &[
    "amber", "basil", "cedar", "delta", "ember", "fjord", "grove", "harbor", "iris", "juniper",
    "kestrel", "lagoon", "maple", "nectar", "olive", "pebble", "quartz", "raven", "saffron",
    "tundra", "umber", "valley", "willow", "yarrow", "zephyr", "anchor", "beacon", "canyon",
    "dune", "estuary", "falcon", "glacier",
];

/// A password for the demo accounts: four random words and a number, new at each start.
pub fn demo_password() -> String {
    loop {
        let picks: [u8; 5] = rand::random();
        let w = |i: usize| WORDS[picks[i] as usize % WORDS.len()];
        let pw = format!("{}-{}-{}-{}-{}", w(0), w(1), w(2), w(3), 10 + picks[4] % 90);
        if homeward_domain::credentials::password::check_policy(&pw, &[]).is_ok() {
            return pw;
        }
    }
}

fn register(store: &Store, p: &Principal, f: RegistrationForm<'_>) -> Result<i64, StoreError> {
    let reg = f
        .parse(homeward_store::today())
        .map_err(|e| StoreError::conflict("demo case", format!("{e:?}")))?;
    let auth = p
        .authorize::<WriteCases>()
        .map_err(|d| StoreError::Forbidden(d.to_string()))?;
    store.register_case(&auth, &Actor::console(), &reg)
}

/// Creates the demo offices and accounts if missing, gives every demo account `password`,
/// and adds the demo cases the first time.
/// Why the published story is kept past its term.
pub const STORY_HOLD: &str =
    "The published reintegration story (IOM, 2015), kept as the worked example";

pub fn load_people(store: &Store, password: &str) -> Result<DemoPeople, StoreError> {
    crate::survey::install_default(store)?;
    let oslo = office(store, OSLO, "NO", "iom_mission")?;
    let tirana = office(store, TIRANA, "AL", "iom_mission")?;
    let oslo_partner = office(store, OSLO_PARTNER, "NO", "partner")?;
    let tirana_partner = office(store, TIRANA_PARTNER, "AL", "partner")?;
    let mut users = vec![];
    for (place, office_id, partner_id, office_name, partner_name) in [
        ("oslo", oslo, oslo_partner, OSLO, OSLO_PARTNER),
        ("tirana", tirana, tirana_partner, TIRANA, TIRANA_PARTNER),
    ] {
        // Centre operators work at the Samgori centre (see `community`), not here.
        for role in Role::ALL.iter().filter(|r| **r != Role::CentreOperator) {
            let (oid, oname) = if *role == Role::Partner {
                (partner_id, partner_name)
            } else {
                (office_id, office_name)
            };
            let e = email(*role, place);
            let nu = NewUser {
                email: Email::parse(&e).map_err(|x| StoreError::conflict("email", x.reason))?,
                name: format!("{} ({place}, demo)", role.label()),
                office_id: oid,
                role: *role,
            };
            store.upsert_demo_user(&nu, password)?;
            users.push(DemoUser {
                email: e,
                role: *role,
                office: oname.to_owned(),
            });
        }
    }
    let oslo_cw = principal(store, &email(Role::Caseworker, "oslo"))?;
    let tirana_cw = principal(store, &email(Role::Caseworker, "tirana"))?;
    let read = oslo_cw
        .authorize::<homeward_domain::access::ReadCases>()
        .map_err(|d| StoreError::Forbidden(d.to_string()))?;
    let mut created = 0;
    if store.cases(&read, &Actor::console(), 1)?.is_empty() {
        let tirana_s = tirana.to_string();
        let handed = register(
            store,
            &oslo_cw,
            RegistrationForm {
                given_name: "Elira",
                family_name: "Demokrati",
                sex: "female",
                birth_date: "1991-05-14",
                nationality: "AL",
                origin_office: &tirana_s,
                vulnerabilities: vec!["single_parent", "health_needs"],
                health_notes: "Demo record: asthma, needs regular medication.",
                ..Default::default()
            },
        )?;
        let w = oslo_cw
            .authorize::<WriteCases>()
            .map_err(|d| StoreError::Forbidden(d.to_string()))?;
        // Handed over before she leaves: expected in a fortnight.
        let expected =
            homeward_domain::date::Ymd::from_days(homeward_store::today().to_days() + 14);
        store.hand_over_case(
            &w,
            &Actor::console(),
            handed,
            1,
            HandTo::Origin,
            Some(expected),
        )?;
        register(
            store,
            &oslo_cw,
            RegistrationForm {
                given_name: "Arben",
                family_name: "Shembull",
                sex: "male",
                birth_date: "1987-11-02",
                nationality: "AL",
                origin_office: &tirana_s,
                vulnerabilities: vec![],
                health_notes: "",
                ..Default::default()
            },
        )?;
        let referred = register(
            store,
            &tirana_cw,
            RegistrationForm {
                given_name: "Drita",
                family_name: "Provë",
                sex: "female",
                birth_date: "2001-01-20",
                nationality: "AL",
                origin_office: &tirana_s,
                vulnerabilities: vec!["trafficking"],
                health_notes: "Demo record: referred for psychosocial counselling.",
                ..Default::default()
            },
        )?;
        let tw = tirana_cw
            .authorize::<WriteCases>()
            .map_err(|d| StoreError::Forbidden(d.to_string()))?;
        store.record_consent(
            &tw,
            &Actor::console(),
            referred,
            Purpose::SharePartner,
            Some(tirana_partner),
            homeward_store::today(),
        )?;
        store.refer_case(
            &tw,
            &Actor::console(),
            referred,
            tirana_partner,
            "Psychosocial counselling (demo)",
        )?;
        register(
            store,
            &tirana_cw,
            RegistrationForm {
                given_name: "Gent",
                family_name: "Ilustrim",
                sex: "male",
                birth_date: "1979-08-30",
                nationality: "AL",
                origin_office: &tirana_s,
                vulnerabilities: vec!["older_person"],
                health_notes: "",
                ..Default::default()
            },
        )?;
        store.import_rates_console(&super::story::demo_rates(homeward_store::today()))?;
        let manager = principal(store, &email(Role::ProgrammeManager, "oslo"))?;
        let package = super::story::vg_package(store, &manager)?;
        let tirana_manager = principal(store, &email(Role::OfficeManager, "tirana"))?;
        let story = super::story::story_case(
            store,
            &oslo_cw,
            &tirana_cw,
            &tirana_manager,
            tirana,
            package,
        )?;
        // Closed in 2014, the story is long past an office's term: it is held as the
        // worked example everyone can open, which is what holds are for.
        let admin = principal(store, &email(Role::Administrator, "oslo"))?;
        store.hold_case(
            &admin
                .authorize::<homeward_domain::access::ManageRetention>()
                .map_err(|d| StoreError::Forbidden(d.to_string()))?,
            &Actor::console(),
            &homeward_store::cases::registration::reference_of(story),
            Some(
                Reason::parse("hold", STORY_HOLD)
                    .map_err(|e| StoreError::conflict(&e.field, e.reason))?,
            ),
        )?;
        created = 5;
    }
    for (email, role, office) in super::community::load_community(store, password)? {
        users.push(DemoUser {
            email,
            role,
            office,
        });
    }
    Ok(DemoPeople {
        users,
        password: password.to_owned(),
        cases_created: created,
    })
}
