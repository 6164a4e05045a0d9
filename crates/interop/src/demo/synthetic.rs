//! Synthetic portfolio projects at any scale, realistic in spread (regions, types, years,
//! budgets, countries, statuses) and in wording, for demos and benchmarks. Deterministic:
//! the same count gives the same projects.

use homeward_domain::project::{
    Indicator, Outcome, Output, Project, ProjectDraft, ResultsFramework,
};
use rand::rngs::StdRng;
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};

/// Countries of return by IDF region, weighted towards the ones with most returns.
const REGIONS: &[(&str, &[&str])] = &[
    (
        "Europe",
        &[
            "AL", "GE", "AM", "MD", "UA", "BA", "RS", "MK", "ME", "AZ", "BY", "TR",
        ],
    ),
    (
        "Asia and Oceania",
        &[
            "WS", "TO", "FJ", "PG", "AF", "PK", "BD", "LK", "NP", "VN", "PH", "MN", "KG", "TJ",
            "UZ",
        ],
    ),
    (
        "Africa",
        &[
            "NG", "GH", "SN", "GN", "ML", "NE", "ET", "SO", "CM", "CI", "GM", "SL", "ER", "SD",
            "ZW",
        ],
    ),
    (
        "Middle East and North Africa",
        &["MA", "TN", "EG", "IQ", "LB", "JO", "YE", "LY", "DZ", "SY"],
    ),
    (
        "Latin America and the Caribbean",
        &[
            "HT", "GT", "HN", "SV", "EC", "CO", "VE", "DO", "JM", "BO", "PE",
        ],
    ),
];

/// Project types with the letters their Projects IDs start with.
const TYPES: &[(&str, &str)] = &[
    ("Community Development", "CD"),
    ("Community and Economic Development", "CE"),
    ("TCMMCB", "TC"),
    ("Labour Mobility and Human Development", "LM"),
    ("Migration Health", "MH"),
    ("Immigration and Border Management", "IB"),
    ("Counter-Trafficking", "CT"),
    ("Migration Policy Research", "PR"),
];

const THEMES: &[&str] = &[
    "Sustainable Reintegration of Returning Migrants",
    "Strengthening Government Capacity for Return and Reintegration",
    "Community Stabilization in Areas of High Return",
    "Economic Empowerment of Returnees and Host Communities",
    "Psychosocial Support for Returned Migrants",
    "Reintegration of Victims of Trafficking",
    "Skills Development and Job Placement for Returnees",
    "Referral Mechanisms for Vulnerable Returnees",
    "Evidence-Based Reintegration Policy",
    "Diaspora Engagement for Local Development",
    "Safe Return and Reintegration of Unaccompanied Migrant Children",
    "Labour Market Integration of Returning Workers",
];

const NEEDS: &[&str] = &[
    "limited access to employment and vocational training",
    "weak coordination between national and local authorities",
    "stigma faced by returnees in their communities of origin",
    "a lack of data on the needs of returned migrants",
    "scarce psychosocial services outside the capital",
    "debts incurred for migration that returnees cannot repay",
    "high youth unemployment in rural areas of return",
];

const AIMS: &[&str] = &[
    "contribute to the sustainable reintegration of returning migrants",
    "strengthen national capacities to manage return and reintegration",
    "improve the economic self-sufficiency of returnees and their families",
    "foster social cohesion between returnees and receiving communities",
    "support the government in developing a national reintegration strategy",
];

const OUTCOMES: &[&str] = &[
    "Returnees access tailored reintegration assistance that supports their economic self-sufficiency.",
    "National authorities coordinate reintegration services through an operational referral mechanism.",
    "Communities of return offer an enabling environment for the social inclusion of returnees.",
    "Government institutions adopt evidence-based policies on return and reintegration.",
    "Returnees and community members benefit from improved local livelihoods.",
];

const OUTPUTS: &[(&str, &str)] = &[
    (
        "Staff of partner institutions trained on reintegration case management",
        "staff trained",
    ),
    (
        "Returnees supported with business start-up grants",
        "returnees supported",
    ),
    (
        "Community projects implemented in areas of high return",
        "community projects",
    ),
    (
        "Reintegration needs assessment conducted and published",
        "assessments",
    ),
    (
        "Referral pathways mapped and agreed with service providers",
        "referral agreements",
    ),
    (
        "Returnees enrolled in vocational courses",
        "returnees enrolled",
    ),
];

fn synthetic_one(rng: &mut StdRng, i: usize) -> ProjectDraft {
    let (region, countries) = REGIONS[weighted(rng, &[30, 25, 25, 12, 8])];
    let (ptype, prefix) = TYPES[weighted(rng, &[22, 18, 20, 10, 8, 8, 8, 6])];
    let year: i32 = rng.random_range(2011..=2026);
    let n_countries = match rng.random_range(0..100) {
        0..=74 => 1,
        75..=96 => rng.random_range(2..=4),
        _ => rng.random_range(5..=8),
    };
    let mut chosen: Vec<&str> = countries
        .choose_multiple(rng, n_countries)
        .copied()
        .collect();
    chosen.sort();
    let coverage = match n_countries {
        1 => "national",
        2..=4 => "regional",
        _ => "global",
    };
    let start = year + rng.random_range(0..=1);
    let end = start + rng.random_range(1..=3);
    let status = if start > 2026 {
        "pipeline"
    } else if end < 2026 {
        if rng.random_range(0..40) == 0 {
            "cancelled"
        } else {
            "completed"
        }
    } else if rng.random_range(0..30) == 0 {
        "suspended"
    } else {
        "active"
    };
    // A third publish full dates, the rest only years, as the IDF pages do.
    let (start_s, end_s) = if rng.random_range(0..3) == 0 {
        let m = rng.random_range(1..=12);
        (
            format!("{start}-{m:02}-01"),
            format!("{end}-{m:02}-{:02}", 28),
        )
    } else {
        (start.to_string(), end.to_string())
    };
    let country_names: Vec<&str> = chosen
        .iter()
        .filter_map(|c| c.parse::<homeward_domain::CountryCode>().ok())
        .map(|c| c.name())
        .collect();
    let place = match country_names.as_slice() {
        [one] => (*one).to_owned(),
        [rest @ .., last] if rest.len() < 3 => format!("{} and {last}", rest.join(", ")),
        _ => region.to_owned(),
    };
    let theme = THEMES.choose(rng).copied().unwrap_or(THEMES[0]);
    let need = NEEDS.choose(rng).copied().unwrap_or(NEEDS[0]);
    let aim = AIMS.choose(rng).copied().unwrap_or(AIMS[0]);
    let budget = rng.random_range(10..=100) * 5_000;
    let levels = ["individual", "community", "structural"];
    let level_count = rng.random_range(1..=3);
    let mut outcomes = Vec::new();
    let n_outcomes = rng.random_range(1..=3);
    for o in OUTCOMES.choose_multiple(rng, n_outcomes) {
        let n_outputs = rng.random_range(1..=2);
        let outputs = OUTPUTS
            .choose_multiple(rng, n_outputs)
            .map(|(text, unit)| {
                let target = f64::from(rng.random_range(2..=40) * 5);
                let achieved = match status {
                    "completed" => {
                        Some((target * rng.random_range(60..=120) as f64 / 100.0).round())
                    }
                    "active" | "suspended" => {
                        Some((target * rng.random_range(0..=70) as f64 / 100.0).round())
                    }
                    _ => None,
                };
                Output {
                    text: (*text).to_owned(),
                    indicators: vec![Indicator {
                        text: format!("Number of {unit}"),
                        unit: Some((*unit).to_owned()),
                        baseline: Some(0.0),
                        target: Some(target),
                        achieved,
                    }],
                }
            })
            .collect();
        outcomes.push(Outcome {
            text: (*o).to_owned(),
            outputs,
            indicators: vec![],
        });
    }
    // Letters from the type; numbers run per 9,999 so any count stays unique.
    let block = i / 9_999;
    let letters = if block == 0 {
        prefix.to_owned()
    } else {
        let a = (b'A' + (block / 26 % 26) as u8) as char;
        let b = (b'A' + (block % 26) as u8) as char;
        format!("{a}{b}")
    };
    let number = i % 9_999 + 1;
    let first = chosen.first().copied().unwrap_or("XX");
    ProjectDraft {
        projects_id: format!("{letters}.{number:04}"),
        prima_id: format!("{first}{:02}P{:04}", 10 + block % 90, number),
        title: format!("{theme} in {place}"),
        project_type: ptype.to_owned(),
        idf_region: region.to_owned(),
        budget_usd: format!("{budget}.00"),
        year: year.to_string(),
        start: start_s,
        end: end_s,
        status: status.to_owned(),
        coverage: coverage.to_owned(),
        member_states: chosen.join(";"),
        levels: levels[..level_count].join(";"),
        summary: format!(
            "Returnees in {place} face {need}. The project works with national and local \
             partners so that return leads to lasting reintegration."
        ),
        objective: format!("To {aim} in {place}."),
        results: ResultsFramework {
            outcomes,
            ..Default::default()
        },
        implementing_office: format!("IOM {}", country_names.first().copied().unwrap_or(region)),
        partners: String::new(),
        iati_identifier: String::new(),
    }
}

fn weighted(rng: &mut StdRng, weights: &[u32]) -> usize {
    let total: u32 = weights.iter().sum();
    let mut pick = rng.random_range(0..total);
    for (i, w) in weights.iter().enumerate() {
        if pick < *w {
            return i;
        }
        pick -= w;
    }
    0
}

/// `count` synthetic projects whose identifiers never collide with the published ones.
pub fn synthetic_projects(count: usize) -> impl Iterator<Item = Project> {
    let mut rng = StdRng::seed_from_u64(0x484f_4d45);
    let reserved = ["TC.0495", "CD.0085", "GE10P0527", "AU10P0004"];
    (0..)
        .map(move |i| synthetic_one(&mut rng, i))
        .filter(move |d| {
            !reserved.contains(&d.projects_id.as_str()) && !reserved.contains(&d.prima_id.as_str())
        })
        .filter_map(|d| d.validate().ok())
        .take(count)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn projects_are_valid_unique_and_repeatable() {
        let a: Vec<Project> = synthetic_projects(2_000).collect();
        let b: Vec<Project> = synthetic_projects(2_000).collect();
        assert_eq!(a.len(), 2_000);
        assert_eq!(a, b);
        let ids: HashSet<String> = a.iter().map(|p| p.public_id()).collect();
        assert_eq!(ids.len(), a.len());
        let primas: HashSet<String> = a
            .iter()
            .filter_map(|p| p.prima_id.as_ref().map(|i| i.to_string()))
            .collect();
        assert_eq!(primas.len(), a.len());
        let regions: HashSet<&str> = a.iter().filter_map(|p| p.idf_region.as_deref()).collect();
        assert_eq!(regions.len(), REGIONS.len());
    }

    #[test]
    fn identifiers_stay_unique_past_ten_thousand() {
        let ids: HashSet<String> = synthetic_projects(25_000).map(|p| p.public_id()).collect();
        assert_eq!(ids.len(), 25_000);
    }
}
