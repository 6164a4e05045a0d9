-- Measuring reintegration: survey instruments (versioned definitions, stored as the JSON
-- of their file), surveys on cases with their raw answers, and scores per survey per
-- instrument version, so adopting a new version adds scores and keeps the old ones.
CREATE TABLE survey_instruments (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL,
    version INTEGER NOT NULL,
    title TEXT NOT NULL,
    definition TEXT NOT NULL,
    -- When it was last made the version surveys are taken with and scores shown by, and
    -- the order of adoptions: the highest is current.
    adopted_at TEXT,
    adoption BIGINT,
    created_by BIGINT REFERENCES users (id),
    created_at TEXT NOT NULL,
    UNIQUE (code, version)
);

CREATE TABLE surveys (
    id INTEGER PRIMARY KEY,
    case_id BIGINT NOT NULL REFERENCES cases (id),
    -- baseline or follow_up
    kind TEXT NOT NULL,
    taken_on TEXT NOT NULL,
    -- The version the questions were asked from.
    instrument_id BIGINT NOT NULL REFERENCES survey_instruments (id),
    -- {"indicator": "option", ...}
    answers TEXT NOT NULL,
    -- form (typed in Homeward) or import (an ODK or Kobo file)
    source TEXT NOT NULL,
    -- The case's most recent survey (by date taken), which dashboards count.
    latest BOOLEAN NOT NULL DEFAULT FALSE,
    taken_by BIGINT NOT NULL REFERENCES users (id),
    created_at TEXT NOT NULL
);
CREATE INDEX surveys_case ON surveys (case_id, taken_on);
-- One baseline per case.
CREATE UNIQUE INDEX surveys_baseline ON surveys (case_id) WHERE kind = 'baseline';

CREATE TABLE survey_scores (
    instrument_id BIGINT NOT NULL REFERENCES survey_instruments (id),
    survey_id BIGINT NOT NULL REFERENCES surveys (id),
    economic REAL,
    social REAL,
    psychosocial REAL,
    composite REAL,
    -- low, medium or high by the version's thresholds; none without a composite
    band TEXT,
    PRIMARY KEY (instrument_id, survey_id)
);
CREATE INDEX survey_scores_survey ON survey_scores (survey_id);

INSERT INTO role_permissions (role, permission, scope)
SELECT code, 'instruments.manage', 'all' FROM roles WHERE code = 'administrator';
