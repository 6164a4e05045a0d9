-- The dashboards' facts as a server last held them, with where in the change log they were
-- read up to: a server starting reads this and the changes since, not every case.
CREATE TABLE dashboard_snapshot (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    instrument_id BIGINT,
    mark BIGINT NOT NULL,
    cases BIGINT NOT NULL,
    data BLOB NOT NULL,
    taken_at TEXT NOT NULL
);
