//! The three published IDF project records, fact for fact, as the first records of the
//! demo data set and as fixtures. Nothing here is invented; fields the pages did not
//! publish stay empty.

use homeward_domain::project::{Outcome, Output, Project, ProjectDraft, ResultsFramework};

fn outcomes(texts: &[&str]) -> Vec<Outcome> {
    texts
        .iter()
        .map(|t| Outcome {
            text: (*t).to_owned(),
            ..Default::default()
        })
        .collect()
}

fn outputs(texts: &[&str]) -> Vec<Output> {
    texts
        .iter()
        .map(|t| Output {
            text: (*t).to_owned(),
            indicators: vec![],
        })
        .collect()
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

pub fn samoa() -> ProjectDraft {
    ProjectDraft {
        prima_id: "AU10P0004".into(),
        title: "Capacity building for reintegration of non-IOM returnees in Samoa".into(),
        project_type: "Community and Economic Development".into(),
        idf_region: "Asia and Oceania".into(),
        budget_usd: "200000.00".into(),
        year: "2018".into(),
        member_states: "WS".into(),
        levels: "structural;community".into(),
        summary: one_line(
            "Most forcibly returned Samoans struggle to reintegrate: many have had little contact with
            their families and some lack basic knowledge of Samoa and its culture, which puts pressure
            on families, communities and society.",
        ),
        objective: one_line(
            "Contribute to the Government of Samoa's efforts to sustainably reintegrate non-IOM returnees
            in their communities of origin.",
        ),
        results: ResultsFramework {
            outcomes: outcomes(&[
                "The Government of Samoa provides effective reintegration assistance that facilitates the economic self-sufficiency, social stability and psychosocial wellbeing of non-IOM returnees in their communities of origin, consistent with IOM and international best practice.",
                "Communities of origin create an enabling and receptive environment that empowers non-IOM returnees.",
            ]),
            outputs: outputs(&[
                "Capacity of SRCT staff built",
                "Broader reintegration strategy developed",
                "Work with non-IOM returnees to change community perception and prepare pathways to employment",
            ]),
            activities: vec![],
        },
        ..Default::default()
    }
}

pub fn albania() -> ProjectDraft {
    ProjectDraft {
        projects_id: "TC.0495".into(),
        title: "Return Migration to Albania: Ensuring a Sustainable Return While Optimizing Migration Benefits".into(),
        project_type: "TCMMCB".into(),
        idf_region: "Europe".into(),
        budget_usd: "100000.00".into(),
        year: "2012".into(),
        start: "2012".into(),
        end: "2014".into(),
        status: "completed".into(),
        coverage: "national".into(),
        member_states: "AL".into(),
        levels: "structural".into(),
        objective: one_line(
            "Strengthen the Government of Albania's efforts to ensure migrants' sustainable return and to
            use migrants' experiences for the benefit of the country.",
        ),
        results: ResultsFramework {
            activities: [
                "In-depth assessment in Albania and Greece of the impact of the world financial crisis on Albanian migrants in Greece and their propensity to return",
                "Collect migrants' perceptions of successful reintegration, their reintegration needs and the local services required",
                "Programmatic recommendations on assessing returnees' needs and tailoring reintegration support, validated in a national workshop",
                "Translate findings into the National Action Plan on Migration (2013-2018) and the mid-term review of the Action Plan on Reintegration (2010-2015)",
            ]
            .map(str::to_owned)
            .to_vec(),
            ..Default::default()
        },
        ..Default::default()
    }
}

pub fn armenia_georgia() -> ProjectDraft {
    ProjectDraft {
        projects_id: "CD.0085".into(),
        prima_id: "GE10P0527".into(),
        title: "Enhancing the Potential of Migration for Socio-Economic Development in Armenia and Georgia".into(),
        project_type: "Community Development".into(),
        idf_region: "Europe".into(),
        budget_usd: "400000.00".into(),
        year: "2022".into(),
        start: "2023".into(),
        end: "2024".into(),
        status: "active".into(),
        coverage: "regional".into(),
        member_states: "AM;GE".into(),
        levels: "individual;community;structural".into(),
        summary: one_line(
            "Poor socio-economic conditions in the South Caucasus, worsened by COVID-19, push many to migrate
            from rural to urban areas or abroad; many who return face isolation and scarce economic means.",
        ),
        objective: one_line(
            "Harness the potential of returned migrants for social stability and economic well-being of
            local communities in the South Caucasus, building on lessons learned in Georgia and expanding
            to Armenia, following IOM's Integrated Approach to Reintegration (individual, community and
            structural levels).",
        ),
        results: ResultsFramework {
            outcomes: outcomes(&[
                "Returned migrants use improved opportunities for sustainable reintegration and participation in local development (access to information; initiatives supporting employability and social inclusion).",
                "Dialogue between the two countries, exchange of good practice, and a whole-of-government approach to reintegration policy at national and regional level.",
            ]),
            ..Default::default()
        },
        ..Default::default()
    }
}

/// The three published projects, validated.
pub fn seed_projects() -> Vec<Project> {
    [samoa(), albania(), armenia_georgia()]
        .iter()
        .filter_map(|d| d.validate().ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_seed_record_is_valid() {
        for d in [samoa(), albania(), armenia_georgia()] {
            d.validate()
                .unwrap_or_else(|e| panic!("{}: {e:?}", d.title));
        }
        assert_eq!(seed_projects().len(), 3);
    }
}
