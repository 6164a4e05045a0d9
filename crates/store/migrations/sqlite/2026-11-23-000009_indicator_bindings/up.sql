-- Project indicators bound to a measure of the project's cases, by the indicator's place
-- in the results framework (which survives a re-import of the project).
CREATE TABLE indicator_bindings (
    project_id BIGINT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    outcome_no INTEGER NOT NULL,
    output_no INTEGER NOT NULL,
    item_no INTEGER NOT NULL,
    measure TEXT NOT NULL,
    bound_at TEXT NOT NULL,
    PRIMARY KEY (project_id, outcome_no, output_no, item_no)
);
CREATE INDEX cases_project ON cases (project_id);
