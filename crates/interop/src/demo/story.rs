//! The published reintegration story, as one demo case with a made-up name: an aged-out
//! unaccompanied minor counselled in Norway, returned to Albania in February 2013 with
//! the Vulnerable Groups package (7,800 USD), a three-month car mechanics course in
//! Tirana, six cows bought for the family whose milk is sold at the local market, and a
//! family income that pays for further studies in Tropojë. Also the package itself, the
//! demo project that funds it, and the exchange rates the story's payments need.

use homeward_domain::access::{ApproveCases, Principal, WriteCases};
use homeward_domain::case::{DetailsForm, RegistrationForm};
use homeward_domain::indicator_binding::{CaseMeasure, IndicatorRef};
use homeward_domain::project::ProjectDraft;
use homeward_domain::project::{Indicator, Outcome, ResultsFramework};
use homeward_domain::reintegration::consent::Purpose;
use homeward_domain::reintegration::forms::{
    Closure, FollowUp, PackageForm, PaymentForm, PlanItemForm,
};
use homeward_domain::reintegration::stage::Stage;
use homeward_store::catalogue::rates::RateEntry;
use homeward_store::{Actor, Store, StoreError};

/// The seed package, as `seed-facts.toml` gives it.
pub const VG_PACKAGE: &str = "Vulnerable Groups (VG): unaccompanied minors and aged-out minors";

/// The demo project that pays for individual reintegration from Norway.
pub fn avrr_norway() -> ProjectDraft {
    ProjectDraft {
        projects_id: "RN.0001".into(),
        title: "Assisted return and reintegration from Norway (demo)".into(),
        project_type: "Return and Reintegration".into(),
        idf_region: "Europe".into(),
        budget_usd: "250000.00".into(),
        year: "2012".into(),
        start: "2012".into(),
        end: "2014".into(),
        status: "completed".into(),
        coverage: "national".into(),
        member_states: "AL".into(),
        levels: "individual".into(),
        summary: "Demo record: reintegration packages for returnees from Norway, including \
                  the Vulnerable Groups package for unaccompanied and aged-out minors."
            .into(),
        results: ResultsFramework {
            outcomes: vec![Outcome {
                text: "Returnees from Norway are sustainably reintegrated in Albania.".into(),
                indicators: vec![
                    Indicator {
                        text: "Returnees given reintegration assistance".into(),
                        unit: None,
                        baseline: Some(0.0),
                        target: Some(40.0),
                        achieved: None,
                    },
                    Indicator {
                        text:
                            "Share of surveyed returnees in the high band of the well-being survey"
                                .into(),
                        unit: Some("%".into()),
                        baseline: None,
                        target: Some(60.0),
                        achieved: None,
                    },
                ],
                outputs: vec![],
            }],
            ..Default::default()
        },
        ..Default::default()
    }
}

/// The demo project's indicators, bound to its cases: they count themselves.
pub const AVRR_BINDINGS: [(&str, CaseMeasure); 2] = [
    ("1.0.1", CaseMeasure::ReturneesAssisted),
    ("1.0.2", CaseMeasure::ShareHighComposite),
];

fn bad(what: &str) -> impl Fn(Vec<homeward_domain::FieldError>) -> StoreError + '_ {
    move |e| StoreError::conflict("demo", format!("{what}: {e:?}"))
}

fn forbidden(d: homeward_domain::access::Denied) -> StoreError {
    StoreError::Forbidden(d.to_string())
}

/// Rates the story's payments and today's plans need (demo values).
pub fn demo_rates(today: homeward_domain::date::Ymd) -> Vec<RateEntry> {
    let r = |cur: &str, on: &str, rate: &str| -> Option<RateEntry> {
        let currency = cur.parse().ok()?;
        Some(RateEntry {
            currency,
            on: on.parse().ok()?,
            rate: homeward_domain::reintegration::exchange::UsdRate::parse(currency, rate).ok()?,
            source: "demo".into(),
        })
    };
    let t = today.to_string();
    [
        r("ALL", "2013-02-01", "0.0095"),
        r("ALL", &t, "0.0108"),
        r("EUR", &t, "1.08"),
        r("NOK", &t, "0.092"),
        r("GEL", "2023-01-01", "0.37"),
        r("GEL", &t, "0.37"),
        r("AMD", &t, "0.0026"),
        r("WST", "2019-01-01", "0.37"),
        r("WST", &t, "0.36"),
    ]
    .into_iter()
    .flatten()
    .collect()
}

/// Adds the VG package (linked to the demo project) if missing; returns its id.
pub fn vg_package(store: &Store, manager: &Principal) -> Result<i64, StoreError> {
    if let Some(p) = store.packages()?.into_iter().find(|p| p.name == VG_PACKAGE) {
        return Ok(p.id);
    }
    let project = avrr_norway().validate().map_err(bad("project"))?;
    store.save_projects(&[project]).map_err(|(_, e)| e)?;
    for (at, measure) in AVRR_BINDINGS {
        let at = IndicatorRef::parse(at).map_err(|e| bad("binding")(vec![e]))?;
        store.bind_indicator_console("RN.0001", at, Some(measure))?;
    }
    let project_id = store
        .project("RN.0001")?
        .map(|p| p.id.to_string())
        .unwrap_or_default();
    let draft = PackageForm {
        name: VG_PACKAGE,
        cap_usd: "7800",
        components: vec![
            "education",
            "vocational_training",
            "housing",
            "medical",
            "business_start_up",
        ],
        host_country: "NO",
        origin_country: "AL",
        beneficiaries: "the returnee and the returnee's family",
        project_id: &project_id,
        active: true,
    }
    .parse()
    .map_err(bad("package"))?;
    let auth = manager.authorize().map_err(forbidden)?;
    store.save_package(&auth, &Actor::console(), None, &draft)
}

/// The story's case, from registration in Oslo to closure in Tirana.
pub fn story_case(
    store: &Store,
    oslo_cw: &Principal,
    tirana_cw: &Principal,
    tirana_manager: &Principal,
    tirana_office: i64,
    package: i64,
) -> Result<i64, StoreError> {
    let console = Actor::console();
    let d = |s: &str| {
        s.parse::<homeward_domain::date::Ymd>()
            .map_err(|e| StoreError::conflict("demo", e))
    };
    let today = homeward_store::today();
    let origin = tirana_office.to_string();
    let reg = RegistrationForm {
        given_name: "Besnik",
        family_name: "Tregim",
        sex: "male",
        birth_date: "1994-09-01",
        nationality: "AL",
        origin_office: &origin,
        vulnerabilities: vec!["aged_out_minor", "unaccompanied_child"],
        health_notes: "",
        details: DetailsForm {
            birth_date_estimated: true,
            languages: "Albanian, Norwegian",
            return_area: "Kukës",
            return_place: "Tropojë",
            ..Default::default()
        },
    }
    .parse(today)
    .map_err(bad("story registration"))?;
    let host = oslo_cw.authorize::<WriteCases>().map_err(forbidden)?;
    let id = store.register_case(&host, &console, &reg)?;
    let v = |store: &Store| -> Result<i64, StoreError> {
        store.case_version(&tirana_manager.authorize().map_err(forbidden)?, id)
    };
    let host_v = |store: &Store| -> Result<i64, StoreError> {
        store.case_version(&oslo_cw.authorize().map_err(forbidden)?, id)
    };
    store.record_consent(
        &host,
        &console,
        id,
        Purpose::Assistance,
        None,
        d("2013-01-10")?,
    )?;
    store.add_household_member(
        &host,
        &console,
        id,
        &homeward_domain::case::HouseholdMember::parse(
            "Family (parents, demo)",
            "parent",
            "unknown",
            "",
            2026,
        )
        .map_err(bad("household"))?,
    )?;
    store.step_case(
        &host,
        None,
        &console,
        id,
        host_v(store)?,
        Stage::Counselled,
        d("2013-01-10")?,
    )?;
    store.step_case(
        &host,
        None,
        &console,
        id,
        host_v(store)?,
        Stage::Departed,
        d("2013-02-12")?,
    )?;
    store.hand_over_case(
        &host,
        &console,
        id,
        host_v(store)?,
        homeward_store::cases::handover::HandTo::Origin,
        None,
    )?;
    let assign = tirana_manager.authorize().map_err(forbidden)?;
    store.assign_case(&assign, &console, id, v(store)?, tirana_cw.user_id())?;
    let cw = tirana_cw.authorize::<WriteCases>().map_err(forbidden)?;
    store.step_case(
        &cw,
        None,
        &console,
        id,
        v(store)?,
        Stage::Arrived,
        d("2013-02-12")?,
    )?;
    store.set_case_package(&cw, &console, id, v(store)?, Some(package), None)?;
    store.step_case(
        &cw,
        None,
        &console,
        id,
        v(store)?,
        Stage::Assessed,
        d("2013-02-20")?,
    )?;
    for (dim, cat, desc, cost, cur, supplier) in [
        (
            "economic",
            "vocational_training",
            "Three-month car mechanics course in Tirana",
            "1500",
            "USD",
            "Vocational training centre, Tirana (demo)",
        ),
        (
            "economic",
            "business_start_up",
            "Six cows bought for the family (in kind); milk sold at the local market",
            "6000",
            "USD",
            "Livestock market, Tropojë (demo)",
        ),
    ] {
        let item = PlanItemForm {
            dimension: dim,
            category: cat,
            description: desc,
            cost,
            currency: cur,
            supplier,
            referral: false,
        }
        .parse()
        .map_err(bad("plan item"))?;
        store.add_plan_item(&cw, &console, id, v(store)?, &item)?;
    }
    store.submit_plan(&cw, &console, id, v(store)?)?;
    let approve = tirana_manager
        .authorize::<ApproveCases>()
        .map_err(forbidden)?;
    store.decide_plan(
        &approve,
        &console,
        id,
        v(store)?,
        true,
        false,
        "Plan and business plan agreed with the returnee and the family.",
    )?;
    let file = store.case_file(
        &tirana_manager.authorize().map_err(forbidden)?,
        &console,
        id,
    )?;
    let course = file
        .items
        .first()
        .map(|i| i.id.to_string())
        .unwrap_or_default();
    let cows = file
        .items
        .get(1)
        .map(|i| i.id.to_string())
        .unwrap_or_default();
    for (item, kind, amount, currency, on, note) in [
        (
            course.as_str(),
            "cash",
            "150000",
            "ALL",
            "2013-03-01",
            "Course fee, paid to the training centre",
        ),
        (
            cows.as_str(),
            "in_kind",
            "600000",
            "ALL",
            "2013-04-15",
            "Six cows",
        ),
    ] {
        let p = PaymentForm {
            plan_item: item,
            kind,
            amount,
            currency,
            paid_on: on,
            note,
            ..Default::default()
        }
        .parse(today)
        .map_err(bad("payment"))?;
        store.give_assistance(&cw, None, &console, id, &p)?;
    }
    store.step_case(
        &cw,
        None,
        &console,
        id,
        v(store)?,
        Stage::Monitoring,
        d("2013-06-01")?,
    )?;
    for (kind, on, notes) in [
        (
            "visit",
            "2013-05-14",
            "Course completed; the returnee works on cars in the village. The cows are healthy.",
        ),
        (
            "call",
            "2013-08-12",
            "Milk sold at the local market every day; the family agrees it covers basic needs.",
        ),
        (
            "visit",
            "2014-02-10",
            "Family income covers basic needs and the returnee's further studies in Tropojë.",
        ),
    ] {
        let f = FollowUp::parse(kind, on, notes, today).map_err(bad("follow-up"))?;
        store.add_follow_up(&cw, &console, id, &f)?;
    }
    story_surveys(store, &cw, &console, id)?;
    let closure = Closure::parse(
        "support_ended",
        "2014-02-20",
        "Reintegration sustained after twelve months.",
        today,
    )
    .map_err(bad("closure"))?;
    store.close_case(&approve, &console, id, v(store)?, &closure)?;
    Ok(id)
}

/// Consent to surveys at counselling, a baseline on arrival and a follow-up a year on,
/// with answers that fit the story (no income and debts at first; the course, the cows
/// and the milk sold later).
fn story_surveys(
    store: &Store,
    cw: &homeward_domain::access::Authorized<WriteCases>,
    console: &homeward_store::Actor,
    id: i64,
) -> Result<(), StoreError> {
    use homeward_domain::survey::SurveyKind;
    use homeward_store::survey::surveys::NewSurvey;
    let d = |s: &str| {
        s.parse::<homeward_domain::date::Ymd>()
            .map_err(|e| StoreError::conflict("demo", e))
    };
    let Some((instrument_id, _)) = store.current_instrument()? else {
        return Ok(());
    };
    store.record_consent(cw, console, id, Purpose::Surveys, None, d("2013-02-20")?)?;
    let answers = |pairs: &[(&str, &str)]| {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    };
    for (kind, on, given) in [
        (
            SurveyKind::Baseline,
            "2013-02-20",
            answers(&[
                ("income_sources", "none"),
                ("income_enough", "not_at_all"),
                ("food_security", "sometimes"),
                ("debt", "repaying"),
                ("economic_satisfaction", "dissatisfied"),
                ("work_or_training", "no"),
                ("housing", "temporary"),
                ("health_care", "with_difficulty"),
                ("schooling", "no_children"),
                ("documents", "some"),
                ("safe_water", "yes"),
                ("social_network", "few"),
                ("belonging", "somewhat"),
                ("discrimination", "sometimes"),
                ("distress", "some_days"),
                ("safety", "mostly"),
                ("wish_to_migrate", "wish"),
            ]),
        ),
        (
            SurveyKind::FollowUp,
            "2014-02-10",
            answers(&[
                ("income_sources", "two_or_more"),
                ("income_enough", "fully"),
                ("food_security", "never"),
                ("debt", "none"),
                ("economic_satisfaction", "satisfied"),
                ("work_or_training", "work"),
                ("housing", "adequate"),
                ("health_care", "yes"),
                ("schooling", "no_children"),
                ("documents", "all"),
                ("safe_water", "yes"),
                ("social_network", "several"),
                ("belonging", "yes"),
                ("discrimination", "never"),
                ("distress", "not_at_all"),
                ("safety", "yes"),
                ("wish_to_migrate", "no"),
            ]),
        ),
    ] {
        store.add_survey(
            cw,
            console,
            id,
            &NewSurvey {
                kind,
                taken_on: d(on)?,
                instrument_id,
                answers: given,
                source: "form",
            },
        )?;
    }
    Ok(())
}
