-- A person's searches of the caseload, saved under a name: the filters as the list's
-- address holds them (q, view, stage, package, vulnerability, place, overdue).
CREATE TABLE saved_searches (
    id INTEGER PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id),
    name TEXT NOT NULL,
    query TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE UNIQUE INDEX saved_searches_name ON saved_searches (user_id, name);
