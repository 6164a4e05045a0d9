//! The community and structural levels of the demo: the multifunctional service centre in
//! Samgori (Tbilisi) with its tool library and a year of rentals, the trainings of the
//! Samoa Returnees Charitable Trust's staff and the reintegration strategy in Samoa, and
//! the assessment, national workshop and policy work in Albania. The places, partners,
//! purposes and outputs are the published ones; dates, counts, prices and borrowers are
//! demo values (borrowers' names are common Georgian names combined at random).

use super::offices::{email, office, principal};
use super::population::ORIGINS;
use homeward_domain::access::{LendAssets, ManageCommunity, Principal, Role};
use homeward_domain::account::Email;
use homeward_domain::community::activity::ActivityDraft;
use homeward_domain::community::activity::{ExpenseDraft, Level, OutputDraft};
use homeward_domain::community::capacity::{CapacityDraft, ParticipantDraft};
use homeward_domain::community::pool::{Condition, LoanDraft, ToolDraft, fee_due};
use homeward_domain::community::project::{CommunityProjectDraft, MemberCounts};
use homeward_domain::date::Ymd;
use homeward_domain::{CurrencyCode, FieldError};
use homeward_store::access::users::NewUser;
use homeward_store::community::activity::ActivityFilter;
use homeward_store::community::pools::PastLoan;
use homeward_store::community::projects::CommunityLine;
use homeward_store::{Actor, Store, StoreError};
use rand::rngs::StdRng;
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use std::collections::HashMap;

pub const TBILISI: &str = "IOM Tbilisi";
pub const SAMGORI_CENTRE: &str = "Samgori Multifunctional Service Centre";
pub const APIA: &str = "IOM Apia";
pub const SAMGORI: &str = "Multifunctional service centre, Samgori";

fn bad(what: &'static str) -> impl Fn(Vec<FieldError>) -> StoreError {
    move |e| StoreError::conflict(what, format!("{e:?}"))
}

fn form<'a>(pairs: &'a [(&'a str, String)]) -> impl Fn(&str) -> &'a str {
    let map: HashMap<&str, &str> = pairs.iter().map(|(k, v)| (*k, v.as_str())).collect();
    move |k| map.get(k).copied().unwrap_or("")
}

fn project_id(store: &Store, key: &str) -> Result<i64, StoreError> {
    Ok(store
        .project(key)?
        .ok_or_else(|| StoreError::NotFound(format!("the seed project {key}")))?
        .id)
}

fn user(
    store: &Store,
    role: Role,
    place: &str,
    office_id: i64,
    password: &str,
) -> Result<(String, Principal), StoreError> {
    let e = email(role, place);
    let nu = NewUser {
        email: Email::parse(&e).map_err(|x| StoreError::conflict("email", x.reason))?,
        name: format!("{} ({place}, demo)", role.label()),
        office_id,
        role,
    };
    store.upsert_demo_user(&nu, password)?;
    let p = principal(store, &e)?;
    Ok((e, p))
}

fn proof<C: homeward_domain::access::Capability>(
    p: &Principal,
) -> Result<homeward_domain::access::Authorized<C>, StoreError> {
    p.authorize::<C>()
        .map_err(|d| StoreError::Forbidden(d.to_string()))
}

/// The demo accounts this adds: (email, role, office).
pub type Accounts = Vec<(String, Role, String)>;

/// Adds the community and structural demo records once (they are found by name after);
/// the accounts are (re)set to `password` every time.
pub fn load_community(store: &Store, password: &str) -> Result<Accounts, StoreError> {
    let tbilisi = office(store, TBILISI, "GE", "iom_mission")?;
    let centre = office(store, SAMGORI_CENTRE, "GE", "partner")?;
    let apia = office(store, APIA, "WS", "iom_mission")?;
    let tirana = office(store, super::offices::TIRANA, "AL", "iom_mission")?;
    let (m_email, manager) = user(store, Role::OfficeManager, "tbilisi", tbilisi, password)?;
    let (o_email, operator) = user(store, Role::CentreOperator, "samgori", centre, password)?;
    let (a_email, apia_manager) = user(store, Role::OfficeManager, "apia", apia, password)?;
    let accounts = vec![
        (m_email, Role::OfficeManager, TBILISI.to_owned()),
        (o_email, Role::CentreOperator, SAMGORI_CENTRE.to_owned()),
        (a_email, Role::OfficeManager, APIA.to_owned()),
    ];
    let known = store.activities::<CommunityLine>(&ActivityFilter::default())?;
    if known.iter().any(|c| c.name == SAMGORI) {
        return Ok(accounts);
    }
    // The published projects fund these records (saving them again changes nothing).
    store
        .save_projects(&super::seed_projects())
        .map_err(|(_, e)| e)?;
    // Expenses are converted at the rates of their days.
    store.import_rates_console(&super::story::demo_rates(homeward_store::today()))?;
    samgori(store, &manager, &operator, tbilisi, centre)?;
    samoa(store, &apia_manager, apia)?;
    let tirana_manager = principal(store, &email(Role::OfficeManager, "tirana"))?;
    albania(store, &tirana_manager, tirana)?;
    Ok(accounts)
}

const SAMGORI_TEXT: &str = "Tools and equipment for community use, rented for a nominal fee, \
    to repair and maintain electrical systems, plumbing, sewage, household appliances and common \
    areas; also activities and skills development for youth and returning migrants. Almost 3,000 \
    migrants returned to Georgia with IOM support in the year before the centre opened, the \
    highest number ever. Funded by the Sustainable Reintegration and Community Revitalization \
    Pilot Initiative in Communities of Return (IOM Development Fund). Dates, counts, prices and \
    borrowers here are demo values.";

/// The tools: name, category, units, value and fee per day (lari), how often lent.
const TOOLS: &[(&str, &str, u32, &str, &str, u32)] = &[
    ("Cordless drill", "electrical", 1, "320", "5", 30),
    ("Hammer drill", "construction", 1, "450", "8", 20),
    ("Multimeter", "electrical", 2, "90", "2", 15),
    ("Soldering station", "appliances", 1, "140", "3", 10),
    ("Pipe wrench set", "plumbing", 2, "110", "3", 20),
    ("Drain snake", "sewage", 1, "180", "5", 18),
    ("Wet and dry vacuum", "appliances", 1, "260", "4", 12),
    ("Angle grinder", "construction", 1, "210", "5", 15),
    ("Aluminium ladder", "construction", 2, "230", "3", 25),
    ("Tile cutter", "construction", 1, "190", "4", 8),
    ("Pressure washer", "garden", 1, "520", "8", 10),
    ("Garden tool set", "garden", 2, "150", "2", 12),
];

fn samgori(
    store: &Store,
    manager: &Principal,
    operator: &Principal,
    tbilisi: i64,
    centre: i64,
) -> Result<(), StoreError> {
    let m = proof::<ManageCommunity>(manager)?;
    let actor = Actor::console();
    let today = homeward_store::today();
    let fields = [
        ("name", SAMGORI.to_owned()),
        ("project", project_id(store, "CD.0085")?.to_string()),
        ("office", tbilisi.to_string()),
        ("country", "GE".into()),
        ("area", "Tbilisi".into()),
        ("place", "Samgori district".into()),
        ("partner", "Samgori District Authority".into()),
        ("start_on", "2023-04-03".into()),
        ("status", "active".into()),
        ("description", SAMGORI_TEXT.into()),
    ];
    let draft = CommunityProjectDraft::parse(form(&fields)).map_err(bad("community project"))?;
    let id = store.save_activity(&m, &actor, None, &draft)?;
    let counts = [
        ("members_female_0_17", "18"),
        ("members_male_0_17", "26"),
        ("members_female_18_34", "22"),
        ("members_male_18_34", "35"),
        ("members_female_35_59", "17"),
        ("members_male_35_59", "29"),
        ("members_female_60_plus", "6"),
        ("members_male_60_plus", "9"),
    ];
    let counts: Vec<(&str, String)> = counts.iter().map(|(k, v)| (*k, (*v).to_owned())).collect();
    let members = MemberCounts::parse(form(&counts)).map_err(bad("members"))?;
    store.set_community_members(&m, &actor, id, &members)?;
    for (text, on) in [
        (
            "Centre opened with tools for electrical, plumbing, sewage and appliance repair",
            "2023-04-03",
        ),
        (
            "Skills sessions for youth and returning migrants held every month",
            "2023-09-30",
        ),
        (
            "Common areas of the district's apartment blocks repaired with the centre's tools",
            "",
        ),
    ] {
        let o = OutputDraft::parse(text, on, today).map_err(bad("output"))?;
        store.add_output(&m, &actor, Level::Community, id, &o)?;
    }
    for (on, what, amount) in [
        (
            "2023-03-20",
            "Tools and equipment for community use",
            "21400",
        ),
        (
            "2023-03-28",
            "Shelving, workbench and lockable storage",
            "3850",
        ),
        (
            "2023-10-02",
            "Trainer for the skills sessions (six months)",
            "4200",
        ),
    ] {
        let x = ExpenseDraft::parse(on, what, amount, "GEL", today).map_err(bad("expense"))?;
        store.add_expense(&m, &actor, Level::Community, id, &x)?;
    }
    // Two returnees of the demo take part in the centre's skills sessions.
    let read = proof::<homeward_domain::access::ReadCases>(manager)?;
    let write = proof::<homeward_domain::access::WriteCases>(manager)?;
    let origin = tbilisi.to_string();
    for (given, family, sex, born, joined) in [
        ("Levan", "Abashidze", "male", "1996-07-19", "2023-09-04"),
        ("Nino", "Gelashvili", "female", "1989-02-11", "2023-10-02"),
    ] {
        let reg = homeward_domain::case::RegistrationForm {
            given_name: given,
            family_name: family,
            sex,
            birth_date: born,
            nationality: "GE",
            origin_office: &origin,
            ..Default::default()
        }
        .parse(today)
        .map_err(bad("returnee"))?;
        let case = store.register_case(&write, &actor, &reg)?;
        let joined: Ymd = joined
            .parse()
            .map_err(|e: String| StoreError::conflict("joined_on", e))?;
        store.add_community_participant(&m, &read, &actor, id, &format!("HW-{case:06}"), joined)?;
    }
    let lari: CurrencyCode = "GEL"
        .parse()
        .map_err(|e: String| StoreError::conflict("currency", e))?;
    let pool = store.add_pool(&m, &actor, id, centre, "Samgori tool library", lari)?;
    let mut tools = vec![];
    for (name, category, units, value, fee, _) in TOOLS {
        let d = ToolDraft::parse(
            name,
            category,
            &units.to_string(),
            "good",
            value,
            fee,
            "",
            lari,
        )
        .map_err(bad("tool"))?;
        tools.push((store.save_tool(&m, &actor, pool, None, &d)?, d));
    }
    let past = rentals(&tools, today);
    store.add_past_loans(&actor, pool, &past)?;
    // Out today, through the counter: one due in a few days, one a week overdue.
    let lend = proof::<LendAssets>(operator)?;
    let op = Actor::console();
    let out = |name: &str, who: &str, lent: i64, due: i64| -> Result<(), StoreError> {
        let Some((tool, _)) = tools.iter().find(|(_, d)| d.name == name) else {
            return Ok(());
        };
        let d = LoanDraft::parse(
            who,
            "",
            &Ymd::from_days(today.to_days() - lent).to_string(),
            &Ymd::from_days(today.to_days() + due).to_string(),
            today,
        )
        .map_err(bad("loan"))?;
        store.lend_tool(&lend, &op, *tool, &d).map(|_| ())
    };
    out("Drain snake", "Zurab Kapanadze", 2, 3)?;
    out("Aluminium ladder", "Natia Lomidze", 10, -7)?;
    Ok(())
}

/// A year of rentals before the last fortnight, no unit lent twice at once: each tool is
/// picked up on some days by a neighbour, for one to five days, mostly back on time.
fn rentals(tools: &[(i64, ToolDraft)], today: Ymd) -> Vec<PastLoan> {
    let mut rng = StdRng::seed_from_u64(2023);
    let ge = ORIGINS.iter().find(|o| o.country == "GE");
    let first: Vec<&str> = ge
        .map(|o| o.male.iter().chain(o.female.iter()).copied().collect())
        .unwrap_or_default();
    let family: Vec<&str> = ge.map(|o| o.family.to_vec()).unwrap_or_default();
    let start = today.to_days() - 365;
    let end = today.to_days() - 14;
    let mut out = vec![];
    for ((id, d), (_, _, _, _, _, popularity)) in tools.iter().zip(TOOLS) {
        for _unit in 0..d.quantity {
            let mut day = start;
            while day < end {
                if rng.random_range(0..100) >= *popularity {
                    day += 1;
                    continue;
                }
                let planned = rng.random_range(1..=5);
                let late = if rng.random_range(0..100) < 12 {
                    rng.random_range(1..=3)
                } else {
                    0
                };
                let back = (day + planned + late).min(end);
                let lent_on = Ymd::from_days(day);
                let returned = Ymd::from_days(back);
                let fee = fee_due(d.fee_per_day, lent_on, returned);
                // A few fees waived for returnees taking part in the centre's sessions.
                let fee = if rng.random_range(0..100) < 8 {
                    homeward_domain::Money::new(0, fee.currency)
                } else {
                    fee
                };
                let condition = if rng.random_range(0..100) < 6 {
                    Condition::Fair
                } else {
                    Condition::Good
                };
                let name = format!(
                    "{} {}",
                    first.choose(&mut rng).copied().unwrap_or("Nino"),
                    family.choose(&mut rng).copied().unwrap_or("Beridze")
                );
                out.push(PastLoan {
                    tool_id: *id,
                    borrower: name,
                    lent_on,
                    due_on: Ymd::from_days(day + planned),
                    back: Some((returned, condition, fee)),
                });
                day = back + 1;
            }
        }
    }
    out
}

fn capacity(
    store: &Store,
    m: &homeward_domain::access::Authorized<ManageCommunity>,
    fields: &[(&str, String)],
    outputs: &[(&str, &str)],
    expense: Option<(&str, &str, &str, &str)>,
    scores: &[(&str, &str, &str)],
) -> Result<i64, StoreError> {
    let actor = Actor::console();
    let today = homeward_store::today();
    let d = CapacityDraft::parse(form(fields)).map_err(bad("capacity activity"))?;
    let id = store.save_activity(m, &actor, None, &d)?;
    for (text, on) in outputs {
        let o = OutputDraft::parse(text, on, today).map_err(bad("output"))?;
        store.add_output(m, &actor, Level::Structural, id, &o)?;
    }
    if let Some((on, what, amount, currency)) = expense {
        let x = ExpenseDraft::parse(on, what, amount, currency, today).map_err(bad("expense"))?;
        store.add_expense(m, &actor, Level::Structural, id, &x)?;
    }
    for (sex, pre, post) in scores {
        let p = ParticipantDraft::parse("", sex, pre, post).map_err(bad("participant"))?;
        store.add_capacity_participant(m, &actor, id, &p)?;
    }
    Ok(id)
}

fn samoa(store: &Store, manager: &Principal, apia: i64) -> Result<(), StoreError> {
    let m = proof::<ManageCommunity>(manager)?;
    let project = project_id(store, "AU10P0004")?.to_string();
    let base = |title: &str, kind: &str, start: &str, end: &str, f: u32, male: u32, text: &str| {
        vec![
            ("title", title.to_owned()),
            ("kind", kind.into()),
            ("project", project.clone()),
            ("office", apia.to_string()),
            ("country", "WS".into()),
            (
                "institution",
                "Samoa Returnees Charitable Trust (SRCT)".into(),
            ),
            ("start_on", start.into()),
            ("end_on", end.into()),
            ("status", "completed".into()),
            ("female", f.to_string()),
            ("male", male.to_string()),
            ("description", text.into()),
        ]
    };
    capacity(
        store,
        &m,
        &base(
            "Reintegration case management for SRCT staff",
            "training",
            "2019-03-11",
            "2019-03-15",
            7,
            5,
            "Counselling, needs assessment, reintegration plans and referral for the staff of \
             the government's returnee trust, following IOM's integrated approach. Dates, counts \
             and scores are demo values.",
        ),
        &[("Capacity of SRCT staff built", "2019-03-15")],
        Some((
            "2019-03-15",
            "Trainers, venue and materials",
            "38500",
            "WST",
        )),
        &[
            ("female", "45", "80"),
            ("female", "50", "85"),
            ("female", "40", "75"),
            ("female", "55", "90"),
            ("male", "35", "70"),
            ("male", "60", "85"),
            ("male", "50", "80"),
        ],
    )?;
    capacity(
        store,
        &m,
        &base(
            "Broader reintegration strategy for non-IOM returnees",
            "policy_support",
            "2019-06-03",
            "2020-02-28",
            4,
            6,
            "Support to the Government of Samoa in writing a broader reintegration strategy, \
             with the SRCT and community leaders; work with non-IOM returnees to change \
             community perception and prepare pathways to employment.",
        ),
        &[
            ("Broader reintegration strategy developed", "2020-02-28"),
            (
                "Work with non-IOM returnees to change community perception and prepare pathways to employment",
                "",
            ),
        ],
        Some((
            "2019-11-20",
            "Consultations with communities of origin",
            "21000",
            "WST",
        )),
        &[],
    )?;
    Ok(())
}

fn albania(store: &Store, manager: &Principal, tirana: i64) -> Result<(), StoreError> {
    let m = proof::<ManageCommunity>(manager)?;
    let project = project_id(store, "TC.0495")?.to_string();
    let base = |title: &str, kind: &str, start: &str, end: &str, f: u32, male: u32, text: &str| {
        vec![
            ("title", title.to_owned()),
            ("kind", kind.into()),
            ("project", project.clone()),
            ("office", tirana.to_string()),
            ("country", "AL".into()),
            ("institution", "Government of Albania".into()),
            ("start_on", start.into()),
            ("end_on", end.into()),
            ("status", "completed".into()),
            ("female", f.to_string()),
            ("male", male.to_string()),
            ("description", text.into()),
        ]
    };
    capacity(
        store,
        &m,
        &base(
            "Assessment of the financial crisis's impact on Albanian migrants in Greece",
            "assessment",
            "2012-09-01",
            "2013-03-31",
            0,
            0,
            "In-depth assessment in Albania and Greece of the impact of the world financial \
             crisis on Albanian migrants in Greece and their propensity to return; migrants' \
             perceptions of successful reintegration, their reintegration needs and the local \
             services required.",
        ),
        &[(
            "Assessment report with migrants' reintegration needs and the local services required",
            "2013-03-31",
        )],
        Some((
            "2013-03-31",
            "Field research in Albania and Greece",
            "2800000",
            "ALL",
        )),
        &[],
    )?;
    capacity(
        store,
        &m,
        &base(
            "National workshop on returnees' needs and reintegration support",
            "workshop",
            "2013-05-16",
            "2013-05-16",
            21,
            24,
            "Programmatic recommendations on assessing returnees' needs and tailoring \
             reintegration support, validated with the ministries and services concerned. \
             Participant counts are demo values.",
        ),
        &[(
            "Programmatic recommendations validated in a national workshop",
            "2013-05-16",
        )],
        Some((
            "2013-05-16",
            "Venue, interpretation and travel",
            "950000",
            "ALL",
        )),
        &[],
    )?;
    capacity(
        store,
        &m,
        &base(
            "Migration policy: National Action Plan on Migration and reintegration review",
            "policy_support",
            "2013-06-01",
            "2014-06-30",
            3,
            2,
            "Translating the findings into the National Action Plan on Migration (2013-2018) \
             and the mid-term review of the Action Plan on Reintegration (2010-2015).",
        ),
        &[
            (
                "Findings included in the National Action Plan on Migration (2013-2018)",
                "2013-12-31",
            ),
            (
                "Mid-term review of the Action Plan on Reintegration (2010-2015) informed",
                "2014-06-30",
            ),
        ],
        None,
        &[],
    )?;
    Ok(())
}
