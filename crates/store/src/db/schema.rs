//! Diesel's view of the tables the migrations create. Written by hand: both backends share
//! it, so only types both accept appear here (PostgreSQL's search column is left out).

diesel::table! {
    idf_regions (id) {
        id -> BigInt,
        name -> Text,
    }
}

diesel::table! {
    project_types (id) {
        id -> BigInt,
        name -> Text,
    }
}

diesel::table! {
    projects (id) {
        id -> BigInt,
        projects_id -> Nullable<Text>,
        prima_id -> Nullable<Text>,
        iati_identifier -> Nullable<Text>,
        title -> Text,
        project_type_id -> Nullable<BigInt>,
        idf_region_id -> Nullable<BigInt>,
        budget_minor -> Nullable<BigInt>,
        budget_currency -> Nullable<Text>,
        funding_year -> Nullable<Integer>,
        start_date -> Nullable<Text>,
        end_date -> Nullable<Text>,
        status -> Nullable<Text>,
        coverage -> Nullable<Text>,
        level_individual -> Bool,
        level_community -> Bool,
        level_structural -> Bool,
        summary -> Text,
        objective -> Text,
        implementing_office -> Nullable<Text>,
        partners -> Text,
        created_at -> Text,
        updated_at -> Text,
    }
}

diesel::table! {
    project_countries (project_id, country_code) {
        project_id -> BigInt,
        country_code -> Text,
        position -> Integer,
    }
}

diesel::table! {
    project_results (id) {
        id -> BigInt,
        project_id -> BigInt,
        kind -> Text,
        outcome_no -> Integer,
        output_no -> Integer,
        item_no -> Integer,
        text -> Text,
        unit -> Nullable<Text>,
        baseline -> Nullable<Double>,
        target -> Nullable<Double>,
        achieved -> Nullable<Double>,
    }
}

diesel::allow_tables_to_appear_in_same_query!(
    idf_regions,
    project_types,
    projects,
    project_countries,
    project_results,
);
