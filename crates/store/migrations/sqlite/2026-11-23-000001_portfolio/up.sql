-- The project portfolio: editable reference lists, projects, their countries and their
-- results framework, and the full-text index the public catalogue searches.

CREATE TABLE idf_regions (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE
);

CREATE TABLE project_types (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE
);

-- Seeded with the values the published IDF records use; administrators extend them.
INSERT INTO idf_regions (name) VALUES ('Asia and Oceania'), ('Europe');

INSERT INTO project_types (name) VALUES
    ('Community and Economic Development'), ('Community Development'), ('TCMMCB');

CREATE TABLE projects (
    id INTEGER PRIMARY KEY,
    projects_id TEXT UNIQUE,
    prima_id TEXT UNIQUE,
    -- Activities imported from other IATI publishers have only this identifier.
    iati_identifier TEXT UNIQUE,
    title TEXT NOT NULL,
    project_type_id BIGINT REFERENCES project_types (id),
    idf_region_id BIGINT REFERENCES idf_regions (id),
    budget_minor BIGINT,
    budget_currency TEXT,
    funding_year INTEGER,
    start_date TEXT,
    end_date TEXT,
    status TEXT,
    coverage TEXT,
    level_individual BOOLEAN NOT NULL DEFAULT FALSE,
    level_community BOOLEAN NOT NULL DEFAULT FALSE,
    level_structural BOOLEAN NOT NULL DEFAULT FALSE,
    summary TEXT NOT NULL DEFAULT '',
    objective TEXT NOT NULL DEFAULT '',
    implementing_office TEXT,
    partners TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    CHECK (projects_id IS NOT NULL OR prima_id IS NOT NULL OR iati_identifier IS NOT NULL)
);

CREATE INDEX projects_region ON projects (idf_region_id, funding_year);
CREATE INDEX projects_type ON projects (project_type_id, funding_year);
CREATE INDEX projects_status ON projects (status, funding_year);
CREATE INDEX projects_year ON projects (funding_year);
CREATE INDEX projects_coverage ON projects (coverage, funding_year);
CREATE INDEX projects_budget ON projects (budget_minor);
CREATE INDEX projects_title ON projects (title);

CREATE TABLE project_countries (
    project_id BIGINT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    country_code TEXT NOT NULL,
    position INTEGER NOT NULL,
    PRIMARY KEY (project_id, country_code)
);
CREATE INDEX project_countries_country ON project_countries (country_code, project_id);

-- One row per outcome, output, indicator or activity; numbered within the project so the
-- tree can be rebuilt without parent keys: an output with outcome_no 0 serves no stated
-- outcome, an indicator has item_no > 0.
CREATE TABLE project_results (
    id INTEGER PRIMARY KEY,
    project_id BIGINT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('outcome', 'output', 'indicator', 'activity')),
    outcome_no INTEGER NOT NULL,
    output_no INTEGER NOT NULL,
    item_no INTEGER NOT NULL,
    text TEXT NOT NULL,
    unit TEXT,
    baseline DOUBLE PRECISION,
    target DOUBLE PRECISION,
    achieved DOUBLE PRECISION,
    UNIQUE (project_id, kind, outcome_no, output_no, item_no)
);

CREATE VIRTUAL TABLE project_search USING fts5 (
    title, summary, objective, outcomes,
    tokenize = 'porter unicode61 remove_diacritics 2'
);
