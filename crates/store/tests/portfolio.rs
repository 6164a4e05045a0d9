//! The portfolio repository and catalogue search, on SQLite and PostgreSQL.

use homeward_domain::catalogue::{CatalogueQuery, Facet};
use homeward_domain::project::{
    Indicator, Outcome, Output, Project, ProjectDraft, ProjectStatus, ResultsFramework,
};
use homeward_store::both_backends;
use homeward_store::catalogue::RefList;
use homeward_store::{Store, StoreError};

fn draft(
    pid: &str,
    prima: &str,
    title: &str,
    region: &str,
    year: &str,
    countries: &str,
) -> ProjectDraft {
    ProjectDraft {
        projects_id: pid.into(),
        prima_id: prima.into(),
        title: title.into(),
        idf_region: region.into(),
        project_type: "Community Development".into(),
        year: year.into(),
        member_states: countries.into(),
        budget_usd: "100000".into(),
        status: "active".into(),
        coverage: "national".into(),
        ..Default::default()
    }
}

fn with_results(mut d: ProjectDraft) -> ProjectDraft {
    d.results = ResultsFramework {
        outcomes: vec![Outcome {
            text: "Returnees are economically self-sufficient".into(),
            indicators: vec![Indicator {
                text: "Share of returnees with income".into(),
                unit: Some("%".into()),
                baseline: Some(10.0),
                target: Some(60.0),
                achieved: Some(42.5),
            }],
            outputs: vec![Output {
                text: "Business grants given".into(),
                indicators: vec![Indicator {
                    text: "Grants".into(),
                    target: Some(50.0),
                    ..Default::default()
                }],
            }],
        }],
        outputs: vec![Output {
            text: "Capacity of SRCT staff built".into(),
            indicators: vec![],
        }],
        activities: vec!["National workshop".into()],
    };
    d
}

fn p(d: ProjectDraft) -> Project {
    d.validate().expect("valid fixture")
}

fn fixtures(store: &Store) {
    let all = vec![
        p(draft(
            "TC.0495",
            "",
            "Return Migration to Albania",
            "Europe",
            "2012",
            "AL",
        )),
        p(draft(
            "CD.0085",
            "GE10P0527",
            "Migration and development in Armenia and Georgia",
            "Europe",
            "2022",
            "AM;GE",
        )),
        p(ProjectDraft {
            summary: "Most forcibly returned Samoans struggle to reintegrate.".into(),
            status: "".into(),
            ..draft(
                "",
                "AU10P0004",
                "Capacity building for reintegration of non-IOM returnees in Samoa",
                "Asia and Oceania",
                "2018",
                "WS",
            )
        }),
        p(ProjectDraft {
            objective: "Reintegration of returnees in Tonga".into(),
            status: "completed".into(),
            ..draft(
                "CE.0001",
                "TO10P0001",
                "Livelihoods in Tonga",
                "Asia and Oceania",
                "2018",
                "TO",
            )
        }),
    ];
    store.save_projects(&all).expect("fixtures saved");
}

fn query(pairs: &[(&str, &str)]) -> CatalogueQuery {
    CatalogueQuery::from_pairs(pairs.iter().copied()).expect("valid query")
}

fn facet(r: &homeward_store::catalogue::search::SearchResult, f: Facet) -> Vec<(&str, i64)> {
    r.facets
        .iter()
        .find(|(k, _)| *k == f)
        .map(|(_, v)| v.iter().map(|x| (x.value.as_str(), x.count)).collect())
        .unwrap_or_default()
}

both_backends! {
    fn saves_and_loads_a_whole_project(db) {
        let project = p(with_results(draft("CD.0085", "GE10P0527", "Armenia and Georgia", "Europe", "2022", "AM;GE")));
        let saved = db.store.save_project(&project).unwrap();
        assert!(matches!(saved, homeward_store::catalogue::projects::Saved::Created(_)));
        let by_projects_id = db.store.project("CD.0085").unwrap().unwrap();
        assert_eq!(by_projects_id.project, project);
        let by_prima = db.store.project("ge10p0527").unwrap().unwrap();
        assert_eq!(by_prima.id, by_projects_id.id);
        assert!(db.store.project("XX.0000").unwrap().is_none());
    }

    fn saving_again_updates_instead_of_duplicating(db) {
        let mut d = draft("TC.0495", "", "Old title", "Europe", "2012", "AL");
        db.store.save_project(&p(d.clone())).unwrap();
        d.title = "New title".into();
        d.member_states = "AL;GR".into();
        let again = db.store.save_project(&p(d)).unwrap();
        assert!(matches!(again, homeward_store::catalogue::projects::Saved::Updated(_)));
        assert_eq!(db.store.project_count().unwrap(), 1);
        let stored = db.store.project("TC.0495").unwrap().unwrap();
        assert_eq!(stored.project.title, "New title");
        assert_eq!(stored.project.member_states.len(), 2);
        let found = db.store.search(&query(&[("q", "new")])).unwrap();
        assert_eq!(found.total, 1, "the search index follows the update");
        assert_eq!(db.store.search(&query(&[("q", "old")])).unwrap().total, 0);
    }

    fn identifiers_of_two_projects_cannot_be_joined(db) {
        db.store.save_project(&p(draft("TC.0495", "", "A", "Europe", "2012", "AL"))).unwrap();
        db.store.save_project(&p(draft("", "GE10P0527", "B", "Europe", "2012", "GE"))).unwrap();
        let err = db.store.save_project(&p(draft("TC.0495", "GE10P0527", "C", "Europe", "2012", "AL"))).unwrap_err();
        assert!(matches!(err, StoreError::Conflict { .. }), "{err}");
    }

    fn a_failed_batch_keeps_nothing(db) {
        db.store.save_project(&p(draft("TC.0495", "", "A", "Europe", "2012", "AL"))).unwrap();
        db.store.save_project(&p(draft("", "GE10P0527", "B", "Europe", "2012", "GE"))).unwrap();
        let batch = vec![
            p(draft("CD.0001", "", "New one", "Europe", "2020", "AL")),
            p(draft("TC.0495", "GE10P0527", "Joins two", "Europe", "2012", "AL")),
        ];
        let (at, _) = db.store.save_projects(&batch).unwrap_err();
        assert_eq!(at, 1);
        assert_eq!(db.store.project_count().unwrap(), 2);
        assert!(db.store.project("CD.0001").unwrap().is_none());
    }

    fn full_text_search_ranks_and_covers_all_fields(db) {
        fixtures(&db.store);
        let r = db.store.search(&query(&[("q", "Samoa")])).unwrap();
        assert_eq!(r.total, 1);
        assert_eq!(r.hits[0].public_id, "AU10P0004");
        // Summary text, stemmed: "reintegrate" finds "reintegration" and back.
        let r = db.store.search(&query(&[("q", "reintegrate")])).unwrap();
        assert_eq!(r.total, 2);
        // Title matches rank above objective matches.
        assert_eq!(r.hits[0].public_id, "AU10P0004");
        // Several words must all match.
        assert_eq!(db.store.search(&query(&[("q", "Tonga livelihoods")])).unwrap().total, 1);
        assert_eq!(db.store.search(&query(&[("q", "Tonga Samoa")])).unwrap().total, 0);
        // Operators are not syntax.
        assert_eq!(db.store.search(&query(&[("q", "\"Samoa\" OR * NEAR")])).unwrap().total, 0);
        assert_eq!(db.store.search(&query(&[("q", "the Samoa")])).unwrap().total, 1);
        assert_eq!(db.store.search(&query(&[("q", "(Samoa")])).unwrap().total, 1);
    }

    fn filters_combine_and_count_per_value(db) {
        fixtures(&db.store);
        let r = db.store.search(&query(&[("region", "Europe")])).unwrap();
        assert_eq!(r.total, 2);
        // The region facet still offers the other region, with its own count.
        assert_eq!(facet(&r, Facet::Region), vec![("Asia and Oceania", 2), ("Europe", 2)]);
        let r = db.store.search(&query(&[("region", "Asia and Oceania"), ("year", "2018"), ("status", "completed")])).unwrap();
        assert_eq!(r.total, 1);
        assert_eq!(r.hits[0].public_id, "CE.0001");
        let r = db.store.search(&query(&[("country", "GE")])).unwrap();
        assert_eq!(r.total, 1);
        assert_eq!(r.hits[0].member_states.len(), 2);
        let countries = facet(&r, Facet::Country);
        assert!(countries.contains(&("WS", 1)) && countries.contains(&("GE", 1)), "{countries:?}");
        let all = db.store.search(&query(&[])).unwrap();
        let years = facet(&all, Facet::Year);
        assert_eq!(years, vec![("2022", 1), ("2018", 2), ("2012", 1)]);
        assert_eq!(db.store.search(&query(&[("region", "Nowhere")])).unwrap().total, 0);
    }

    fn sorts_and_pages(db) {
        fixtures(&db.store);
        let titles = |q: CatalogueQuery| -> Vec<String> {
            db.store.search(&q).unwrap().hits.into_iter().map(|h| h.public_id).collect()
        };
        assert_eq!(titles(query(&[("sort", "oldest")]))[0], "TC.0495");
        assert_eq!(titles(query(&[("sort", "newest")]))[0], "CD.0085");
        assert_eq!(titles(query(&[("sort", "title")]))[0], "AU10P0004");
        let page2 = db.store.search(&query(&[("sort", "title"), ("per_page", "3"), ("page", "2")])).unwrap();
        assert_eq!(page2.total, 4);
        assert_eq!(page2.hits.len(), 1);
        let ids = db.store.search_ids(&query(&[("region", "Europe"), ("sort", "oldest")])).unwrap();
        assert_eq!(ids.len(), 2);
        let loaded = db.store.projects_by_ids(&ids).unwrap();
        assert_eq!(loaded[0].project.public_id(), "TC.0495");
        assert_eq!(loaded[1].project.status, Some(ProjectStatus::Active));
    }

    fn reference_lists_are_editable(db) {
        let regions = db.store.list_entries(RefList::IdfRegions).unwrap();
        let names: Vec<&str> = regions.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(names, vec!["Asia and Oceania", "Europe"]);
        let types = db.store.list_entries(RefList::ProjectTypes).unwrap();
        assert_eq!(types.len(), 3);
        let id = db.store.add_list_entry(RefList::IdfRegions, "Africa").unwrap();
        assert_eq!(db.store.add_list_entry(RefList::IdfRegions, "africa").unwrap(), id);
        db.store.save_project(&p(draft("CD.0001", "", "X", "Africa", "2020", "NG"))).unwrap();
        db.store.rename_list_entry(RefList::IdfRegions, id, "Sub-Saharan Africa").unwrap();
        let stored = db.store.project("CD.0001").unwrap().unwrap();
        assert_eq!(stored.project.idf_region.as_deref(), Some("Sub-Saharan Africa"));
        let europe = regions.iter().find(|e| e.name == "Europe").unwrap().id;
        assert!(matches!(
            db.store.rename_list_entry(RefList::IdfRegions, europe, "sub-saharan africa"),
            Err(StoreError::Conflict { .. })
        ));
        assert!(db.store.add_list_entry(RefList::ProjectTypes, "  ").is_err());
    }

    fn a_second_app_server_sees_changes_at_once(db) {
        fixtures(&db.store);
        let other = Store::open(&db.url).unwrap();
        assert_eq!(other.search(&query(&[("region", "Europe")])).unwrap().total, 2);
        db.store.save_project(&p(draft("CD.0099", "", "New in Europe", "Europe", "2024", "MD"))).unwrap();
        let r = other.search(&query(&[("region", "Europe")])).unwrap();
        assert_eq!(r.total, 3, "the facet index follows the database");
        assert!(facet(&r, Facet::Country).contains(&("MD", 1)));
        let europe = db.store.list_entries(RefList::IdfRegions).unwrap().into_iter().find(|e| e.name == "Europe").unwrap();
        db.store.rename_list_entry(RefList::IdfRegions, europe.id, "Europe and Central Asia").unwrap();
        assert_eq!(other.search(&query(&[("region", "Europe and Central Asia")])).unwrap().total, 3);
    }

    fn migrations_are_idempotent_and_ping_works(db) {
        assert_eq!(db.store.migrate().unwrap(), 0);
        db.store.ping().unwrap();
    }
}
