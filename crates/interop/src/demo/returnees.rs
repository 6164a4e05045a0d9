//! Synthetic returnees and cases at any scale (`homeward demo --returnees N`), spread the
//! way return work is: more returns in recent years and fewer in 2020, most returnees from a
//! few countries, each case as far along its way as its dates allow (old cases closed,
//! recent ones still registered or in monitoring), some who never left or could not be
//! reached, vulnerabilities, packages that fit them, plans within the package's cap and
//! most of them paid, follow-ups mostly done on time and some overdue. Deterministic: the same count gives the same people.

use super::population::{HOSTS, ORIGINS, Origin};
use homeward_domain::CountryCode;
use homeward_domain::access::{Principal, Role};
use homeward_domain::account::Email;
use homeward_domain::case::{Sex, Vulnerability};
use homeward_domain::date::Ymd;
use homeward_domain::reintegration::forms::{Kind, PackageForm};
use homeward_domain::reintegration::plan::{Category, Package};
use homeward_domain::reintegration::stage::{ClosureReason, Stage};
use homeward_domain::reintegration::tasks::add_months;
use homeward_store::access::users::NewUser;
use homeward_store::bulk::plans::BulkItem;
use homeward_store::bulk::{BulkCase, BulkEvent, BulkTask};
use homeward_store::{Actor, Store, StoreError};
use rand::distr::Distribution;
use rand::distr::weighted::WeightedIndex;
use rand::rngs::StdRng;
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};

/// Cases written per transaction.
const BATCH: usize = 5_000;

/// About this many cases per caseworker in an office (most of them closed).
const CASES_PER_CASEWORKER: usize = 2_500;

/// Returns per year of registration, 2016 onwards (2020: borders closed).
const YEARS: &[(i32, u32)] = &[
    (2016, 9),
    (2017, 10),
    (2018, 9),
    (2019, 10),
    (2020, 4),
    (2021, 7),
    (2022, 10),
    (2023, 12),
    (2024, 13),
    (2025, 14),
    (2026, 13),
];

/// The synthetic packages: name, cap in USD, components.
const PACKAGES: &[(&str, &str, &[&str])] = &[
    (
        "Standard reintegration (synthetic)",
        "2000",
        &["business_start_up", "vocational_training", "housing"],
    ),
    (
        "Vulnerable groups (synthetic)",
        "5000",
        &[
            "medical",
            "psychosocial",
            "housing",
            "business_start_up",
            "vocational_training",
        ],
    ),
    (
        "Unaccompanied minors (synthetic)",
        "6000",
        &[
            "education",
            "vocational_training",
            "psychosocial",
            "housing",
        ],
    ),
];

/// What loading synthetic returnees did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReturneesLoaded {
    pub cases: usize,
    pub caseworkers: usize,
    pub offices: usize,
}

/// The offices, staff and packages cases are spread over.
struct Setting {
    hosts: Vec<Place>,
    origins: Vec<Place>,
    host_pick: WeightedIndex<u32>,
    origin_pick: WeightedIndex<u32>,
    standard: i64,
    vulnerable: i64,
    minors: i64,
    /// The published story's package, for vulnerable returnees from Norway to Albania.
    vg_norway: i64,
    vg_project: Option<i64>,
    /// The current survey instrument, which generated surveys answer.
    instrument: Option<homeward_domain::survey::Instrument>,
}

struct Place {
    country: &'static str,
    office: i64,
    office_name: &'static str,
    caseworkers: Vec<i64>,
}

/// Zipf-like weights: the first names in a list are the most common.
fn common_first(n: usize) -> WeightedIndex<f64> {
    let w: Vec<f64> = (0..n).map(|i| 1.0 / ((i + 2) as f64).powf(0.9)).collect();
    // Lists are never empty and the weights positive.
    WeightedIndex::new(w).unwrap_or_else(|_| unreachable!("positive weights"))
}

fn bad(what: &'static str) -> impl Fn(String) -> StoreError {
    move |e| StoreError::conflict(what, e)
}

fn office_id(store: &Store, name: &str, country: &str) -> Result<i64, StoreError> {
    super::offices::office(store, name, country, "iom_mission")
}

fn staff(
    store: &Store,
    office: i64,
    office_name: &str,
    n: usize,
    password: &str,
) -> Result<Vec<i64>, StoreError> {
    let place: String = homeward_domain::names::words(office_name)
        .into_iter()
        .filter(|w| w != "iom")
        .collect::<Vec<_>>()
        .join("-");
    let mut ids = vec![];
    if let Some(u) = store.user_by_email(&super::offices::email(Role::Caseworker, &place))? {
        ids.push(u.id);
    }
    for k in ids.len()..n {
        let e = format!("caseworker-{}.{place}@homeward.example", k + 1);
        let email = Email::parse(&e).map_err(|x| StoreError::conflict("email", x.reason))?;
        let id = match store.user_by_email(&e)? {
            Some(u) => u.id,
            None => store.upsert_demo_user(
                &NewUser {
                    email,
                    name: format!("Caseworker {} ({office_name}, synthetic)", k + 1),
                    office_id: office,
                    role: Role::Caseworker,
                },
                password,
            )?,
        };
        ids.push(id);
    }
    Ok(ids)
}

fn package(
    store: &Store,
    manager: &Principal,
    name: &str,
    cap: &str,
    components: &[&str],
) -> Result<i64, StoreError> {
    if let Some(p) = store.packages()?.into_iter().find(|p| p.name == name) {
        return Ok(p.id);
    }
    let draft = PackageForm {
        name,
        cap_usd: cap,
        components: components.to_vec(),
        beneficiaries: "the returnee",
        active: true,
        ..Default::default()
    }
    .parse()
    .map_err(|e| StoreError::conflict("package", format!("{e:?}")))?;
    let auth = manager
        .authorize()
        .map_err(|d| StoreError::Forbidden(d.to_string()))?;
    store.save_package(&auth, &Actor::console(), None, &draft)
}

impl Setting {
    /// The cap (USD minor units) and the components of one of the packages.
    fn package_offer(&self, id: i64) -> (i64, Vec<Category>) {
        let synthetic = |i: usize| {
            let (_, cap, components) = PACKAGES[i];
            let cap = cap.parse::<i64>().unwrap_or(0) * 100;
            (
                cap,
                components.iter().filter_map(|c| c.parse().ok()).collect(),
            )
        };
        if id == self.standard {
            synthetic(0)
        } else if id == self.vulnerable {
            synthetic(1)
        } else if id == self.minors {
            synthetic(2)
        } else {
            let vg = Package::vulnerable_groups();
            (vg.cap.minor, vg.components)
        }
    }

    fn package_name(&self, id: i64) -> &'static str {
        if id == self.standard {
            PACKAGES[0].0
        } else if id == self.vulnerable {
            PACKAGES[1].0
        } else if id == self.minors {
            PACKAGES[2].0
        } else {
            super::VG_PACKAGE
        }
    }

    fn prepare(store: &Store, n: usize, password: &str) -> Result<Setting, StoreError> {
        let manager = super::offices::principal(
            store,
            &super::offices::email(Role::ProgrammeManager, "oslo"),
        )?;
        let total_host: u32 = HOSTS.iter().map(|h| h.weight).sum();
        let total_origin: u32 = ORIGINS.iter().map(|o| o.weight).sum();
        let workers = |weight: u32, total: u32| {
            (n * weight as usize / total as usize / CASES_PER_CASEWORKER).clamp(1, 60)
        };
        let mut hosts = vec![];
        for h in HOSTS {
            let office = office_id(store, h.office, h.country)?;
            let caseworkers = staff(
                store,
                office,
                h.office,
                workers(h.weight, total_host) / 4 + 1,
                password,
            )?;
            hosts.push(Place {
                country: h.country,
                office,
                office_name: h.office,
                caseworkers,
            });
        }
        let mut origins = vec![];
        for o in ORIGINS {
            let office = office_id(store, o.office, o.country)?;
            let caseworkers = staff(
                store,
                office,
                o.office,
                workers(o.weight, total_origin),
                password,
            )?;
            origins.push(Place {
                country: o.country,
                office,
                office_name: o.office,
                caseworkers,
            });
        }
        let ids: Vec<i64> = PACKAGES
            .iter()
            .map(|(name, cap, comp)| package(store, &manager, name, cap, comp))
            .collect::<Result<_, _>>()?;
        let vg_norway = super::story::vg_package(store, &manager)?;
        let vg_project = store
            .packages()?
            .into_iter()
            .find(|p| p.id == vg_norway)
            .and_then(|p| p.project_id);
        Ok(Setting {
            host_pick: WeightedIndex::new(HOSTS.iter().map(|h| h.weight))
                .map_err(|e| bad("hosts")(e.to_string()))?,
            origin_pick: WeightedIndex::new(ORIGINS.iter().map(|o| o.weight))
                .map_err(|e| bad("origins")(e.to_string()))?,
            hosts,
            origins,
            standard: ids[0],
            vulnerable: ids[1],
            minors: ids[2],
            vg_norway,
            vg_project,
            instrument: store.current_instrument()?.map(|(_, i)| i),
        })
    }
}

/// Adds `n` synthetic returnees with their cases to a database that holds the demo
/// people (see [`super::load_people`]); new caseworker accounts get `password`.
pub fn load_returnees(
    store: &Store,
    n: usize,
    password: &str,
) -> Result<ReturneesLoaded, StoreError> {
    let setting = Setting::prepare(store, n, password)?;
    let today = homeward_store::today();
    let mut cases = Generator::new(&setting, today);
    let mut done = 0;
    while done < n {
        let size = BATCH.min(n - done);
        let batch: Vec<BulkCase> = (0..size).map(|_| cases.case()).collect();
        store.add_cases_in_bulk(&Actor::console(), &batch)?;
        done += size;
    }
    store.refresh_statistics()?;
    Ok(ReturneesLoaded {
        cases: n,
        caseworkers: setting
            .hosts
            .iter()
            .chain(&setting.origins)
            .map(|p| p.caseworkers.len())
            .sum(),
        offices: setting.hosts.len() + setting.origins.len(),
    })
}

struct NameLists {
    male: WeightedIndex<f64>,
    female: WeightedIndex<f64>,
    family: WeightedIndex<f64>,
}

struct Generator<'a> {
    s: &'a Setting,
    rng: StdRng,
    today: Ymd,
    years: WeightedIndex<u32>,
    names: Vec<NameLists>,
}

/// A day `lo..=hi` days after `d`.
fn after(rng: &mut StdRng, d: Ymd, lo: i64, hi: i64) -> Ymd {
    Ymd::from_days(d.to_days() + rng.random_range(lo..=hi))
}

/// Fewer data-entry slips than people: dropped accents, a doubled or single letter.
fn as_entered(rng: &mut StdRng, name: &str) -> String {
    match rng.random_range(0..100) {
        0..=5 => deunicode_lite(name),
        6..=7 => {
            let chars: Vec<char> = name.chars().collect();
            let i = rng.random_range(1..chars.len().max(2));
            let mut out: String = chars.iter().take(i).collect();
            if let Some(c) = chars.get(i) {
                out.push(*c);
            }
            out.extend(chars.iter().skip(i));
            out
        }
        _ => name.to_owned(),
    }
}

/// The name with its accents dropped, as typed on a keyboard without them.
fn deunicode_lite(name: &str) -> String {
    name.chars()
        .map(|c| match c {
            'ë' => 'e',
            'ç' => 'c',
            'Ç' => 'C',
            'ț' => 't',
            'Ț' => 'T',
            'ș' => 's',
            'î' | 'â' => 'i',
            'ă' => 'a',
            c => c,
        })
        .collect()
}

impl<'a> Generator<'a> {
    fn new(s: &'a Setting, today: Ymd) -> Self {
        let names = ORIGINS
            .iter()
            .map(|o| NameLists {
                male: common_first(o.male.len()),
                female: common_first(o.female.len()),
                family: common_first(o.family.len()),
            })
            .collect();
        Generator {
            s,
            rng: StdRng::seed_from_u64(0x00C0_FFEE_2026),
            today,
            years: WeightedIndex::new(YEARS.iter().map(|(_, w)| *w))
                .unwrap_or_else(|_| unreachable!("positive weights")),
            names,
        }
    }

    fn registered_on(&mut self) -> Ymd {
        let year = YEARS[self.years.sample(&mut self.rng)].0;
        let start = Ymd {
            year,
            month: 1,
            day: 1,
        }
        .to_days();
        let end = Ymd {
            year,
            month: 12,
            day: 31,
        }
        .to_days()
        .min(self.today.to_days());
        Ymd::from_days(self.rng.random_range(start..=end.max(start)))
    }

    fn vulnerabilities(&mut self, age: i32) -> Vec<Vulnerability> {
        let mut v = vec![];
        if age < 18 {
            v.push(Vulnerability::UnaccompaniedChild);
        } else if age < 21 && self.rng.random_bool(0.2) {
            v.push(Vulnerability::AgedOutMinor);
        }
        if age >= 60 {
            v.push(Vulnerability::OlderPerson);
        }
        let r = self.rng.random_range(0..100);
        match r {
            0..=4 => v.push(Vulnerability::HealthNeeds),
            5..=6 => v.push(Vulnerability::Trafficking),
            7..=9 => v.push(Vulnerability::SingleParent),
            10 => v.push(Vulnerability::Disability),
            11 => v.push(Vulnerability::Pregnant),
            _ => {}
        }
        v
    }

    fn case(&mut self) -> BulkCase {
        let oi = self.s.origin_pick.sample(&mut self.rng);
        let o: &Origin = &ORIGINS[oi];
        let origin = &self.s.origins[oi];
        let host = &self.s.hosts[self.s.host_pick.sample(&mut self.rng)];
        let sex = match self.rng.random_range(0..100) {
            0..=61 => Sex::Male,
            62..=98 => Sex::Female,
            _ => Sex::Unknown,
        };
        let lists = &self.names[oi];
        let given = match sex {
            Sex::Female => o.female[lists.female.sample(&mut self.rng)],
            _ => o.male[lists.male.sample(&mut self.rng)],
        };
        let family = o.family[lists.family.sample(&mut self.rng)];
        let registered_on = self.registered_on();
        let age = match self.rng.random_range(0..100) {
            0..=5 => self.rng.random_range(13..18),
            6..=8 => self.rng.random_range(60..75),
            _ => self.rng.random_range(18..60),
        };
        let birth = Ymd::from_days(
            registered_on.to_days() - age as i64 * 365 - self.rng.random_range(0..365),
        );
        let vulnerabilities = self.vulnerabilities(age);
        let (area, towns) = o.places[self.rng.random_range(0..o.places.len())];
        let town = towns[self.rng.random_range(0..towns.len())];
        let package = if age < 18 {
            self.s.minors
        } else if !vulnerabilities.is_empty() {
            if o.country == "AL" && host.country == "NO" {
                self.s.vg_norway
            } else {
                self.s.vulnerable
            }
        } else {
            self.s.standard
        };
        let mut k = BulkCase {
            given_name: as_entered(&mut self.rng, given),
            family_name: as_entered(&mut self.rng, family),
            sex,
            birth_date: Some(birth),
            nationality: o
                .country
                .parse::<CountryCode>()
                .unwrap_or_else(|_| unreachable!("known country")),
            vulnerabilities,
            languages: o.languages.to_owned(),
            return_area: area.to_owned(),
            return_place: town.to_owned(),
            host_office: host.office,
            origin_office: origin.office,
            owning_office: host.office,
            assigned_user: host.caseworkers.choose(&mut self.rng).copied(),
            stage: Stage::Registered,
            package: None,
            project: None,
            registered_on,
            counselled_on: None,
            departed_on: None,
            arrived_on: None,
            plan_agreed_on: None,
            plan_state: "draft",
            closed: None,
            tasks: vec![],
            events: vec![BulkEvent {
                on: registered_on,
                kind: "registered",
                detail: String::new(),
            }],
            surveys: vec![],
            plan: vec![],
        };
        self.advance(&mut k, origin, package);
        if let (Some(i), Some(arrived)) = (&self.s.instrument, k.arrived_on) {
            let until = k.closed.map_or(self.today, |(d, _)| d.min(self.today));
            k.surveys = super::surveys::surveys_for(
                &mut self.rng,
                i,
                arrived,
                k.plan_agreed_on.is_some(),
                until,
            );
        }
        k
    }

    /// Moves the case along its way as far as today allows.
    fn advance(&mut self, k: &mut BulkCase, origin: &Place, package: i64) {
        let today = self.today;
        let fate = self.rng.random_range(0..100);
        let mut at = k.registered_on;
        let step = |k: &mut BulkCase, to: Stage, on: Ymd| -> bool {
            if on > today {
                return false;
            }
            k.events.push(BulkEvent {
                on,
                kind: "stage",
                detail: format!("{} → {} ({on})", k.stage.code(), to.code()),
            });
            k.stage = to;
            true
        };
        let counselled = after(&mut self.rng, at, 2, 21);
        if !step(k, Stage::Counselled, counselled) {
            return;
        }
        k.counselled_on = Some(counselled);
        at = counselled;
        if fate < 7 {
            // Decided not to return.
            let on = after(&mut self.rng, at, 20, 90);
            self.close(k, on, ClosureReason::OptedOut);
            return;
        }
        let departed = after(&mut self.rng, at, 10, 60);
        if !step(k, Stage::Departed, departed) {
            return;
        }
        k.departed_on = Some(departed);
        k.owning_office = origin.office;
        k.assigned_user = origin.caseworkers.choose(&mut self.rng).copied();
        k.events.push(BulkEvent {
            on: departed,
            kind: "handover",
            detail: origin.office_name.to_owned(),
        });
        let arrived = after(&mut self.rng, departed, 0, 1);
        if !step(k, Stage::Arrived, arrived) {
            return;
        }
        k.arrived_on = Some(arrived);
        self.tasks(k, arrived);
        if fate < 11 {
            let on = after(&mut self.rng, arrived, 40, 200);
            self.close(k, on, ClosureReason::Unreachable);
            return;
        }
        let assessed = after(&mut self.rng, arrived, 4, 20);
        if !step(k, Stage::Assessed, assessed) {
            return;
        }
        k.package = Some(package);
        if package == self.s.vg_norway {
            k.project = self.s.vg_project;
        }
        k.events.push(BulkEvent {
            on: assessed,
            kind: "package",
            detail: self.s.package_name(package).to_owned(),
        });
        let submitted = after(&mut self.rng, assessed, 5, 25);
        if !step(k, Stage::PlanSubmitted, submitted) {
            return;
        }
        k.plan_state = "requested";
        self.plan(k, package, submitted);
        let approved = after(&mut self.rng, submitted, 2, 14);
        if !step(k, Stage::PlanApproved, approved) {
            return;
        }
        k.plan_state = "approved";
        k.plan_agreed_on = Some(approved);
        self.finish_plan_task(k, approved);
        let paid = after(&mut self.rng, approved, 5, 30);
        if !step(k, Stage::AssistanceUnderWay, paid) {
            return;
        }
        self.pay(k, paid);
        let monitoring = after(&mut self.rng, paid, 45, 120);
        if !step(k, Stage::Monitoring, monitoring) {
            return;
        }
        let end = after(&mut self.rng, add_months(arrived, 12), 5, 60);
        if end <= today {
            self.close(k, end, ClosureReason::SupportEnded);
        }
    }

    /// One to three items from the package's components, together within its cap.
    fn plan(&mut self, k: &mut BulkCase, package: i64, on: Ymd) {
        let (cap, components) = self.s.package_offer(package);
        let n = self.rng.random_range(1..=components.len().min(3));
        let chosen: Vec<Category> = components
            .choose_multiple(&mut self.rng, n)
            .copied()
            .collect();
        let mut left = cap * self.rng.random_range(55..=100) / 100;
        for (i, category) in chosen.iter().enumerate() {
            let cost = if i + 1 == chosen.len() {
                left
            } else {
                left * self.rng.random_range(30..=70) / 100
            };
            left -= cost;
            // Whole dollars, as estimates are given.
            let cost = cost / 100 * 100;
            k.plan.push(BulkItem {
                category: *category,
                description: format!("{} (synthetic)", category.label()),
                cost_usd_minor: cost,
                planned_on: on,
                paid: None,
            });
        }
    }

    /// Each item paid within three weeks of `from` (those due by today), in kind for a
    /// business start-up, in cash otherwise, most of what was planned.
    fn pay(&mut self, k: &mut BulkCase, from: Ymd) {
        for item in &mut k.plan {
            let on = after(&mut self.rng, from, 0, 21);
            if on > self.today {
                continue;
            }
            let kind = if item.category == Category::BusinessStartUp {
                Kind::InKind
            } else {
                Kind::Cash
            };
            let share = self.rng.random_range(85..=100);
            item.paid = Some((on, kind, item.cost_usd_minor * share / 100));
        }
    }

    /// The rule tasks from arrival: the plan within 30 days, follow-ups at 3, 6 and 12
    /// months; those due by today mostly done, a few late.
    fn tasks(&mut self, k: &mut BulkCase, arrived: Ymd) {
        k.tasks.push(BulkTask {
            rule_key: "plan",
            title: "Agree the reintegration plan",
            due_on: Ymd::from_days(arrived.to_days() + 30),
            done_on: None,
        });
        for (key, title, months) in [
            ("follow_up_3m", "Follow-up at 3 months", 3),
            ("follow_up_6m", "Follow-up at 6 months", 6),
            ("follow_up_12m", "Follow-up at 12 months", 12),
        ] {
            let due = add_months(arrived, months);
            let done = after(&mut self.rng, due, -10, 25);
            let on_time = self.rng.random_range(0..100) < 90;
            k.tasks.push(BulkTask {
                rule_key: key,
                title,
                due_on: due,
                done_on: (on_time && done <= self.today).then_some(done),
            });
        }
    }

    fn finish_plan_task(&mut self, k: &mut BulkCase, on: Ymd) {
        if let Some(t) = k.tasks.iter_mut().find(|t| t.rule_key == "plan") {
            t.done_on = Some(on);
        }
    }

    /// Closes the case: tasks not done by then are dropped or marked done with the
    /// closure, as a manager closing a case would leave them.
    fn close(&mut self, k: &mut BulkCase, on: Ymd, reason: ClosureReason) {
        if on > self.today {
            return;
        }
        k.tasks.retain(|t| t.due_on <= on);
        for t in &mut k.tasks {
            if t.done_on.is_none_or(|d| d > on) {
                t.done_on = Some(on);
            }
        }
        k.events.push(BulkEvent {
            on,
            kind: "closed",
            detail: reason.code().to_owned(),
        });
        k.stage = Stage::Closed;
        k.closed = Some((on, reason));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entered_names_keep_their_letters_or_lose_only_accents() {
        let mut rng = StdRng::seed_from_u64(1);
        for _ in 0..200 {
            let n = as_entered(&mut rng, "Përmeti");
            assert!(
                ["Përmeti", "Permeti"].contains(&n.as_str()) || n.chars().count() == 8,
                "{n}"
            );
        }
    }
}
