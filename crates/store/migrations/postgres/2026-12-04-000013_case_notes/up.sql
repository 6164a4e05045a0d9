-- Notes on a case: counselling, visits, calls. A sensitive one is shown only to who may
-- read the case's sensitive fields; `corrects` names the note a later one puts right.
CREATE TABLE case_notes (
    id BIGSERIAL PRIMARY KEY,
    case_id BIGINT NOT NULL REFERENCES cases (id),
    kind TEXT NOT NULL,
    text TEXT NOT NULL,
    sensitive BOOLEAN NOT NULL DEFAULT FALSE,
    corrects BIGINT REFERENCES case_notes (id),
    -- its author changed its words after writing it
    edited BOOLEAN NOT NULL DEFAULT FALSE,
    created_by BIGINT NOT NULL REFERENCES users (id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX case_notes_case ON case_notes (case_id, id);
