-- A counter bumped by every change to the portfolio, so each app server knows when the
-- catalogue's in-memory facet index is stale.
CREATE TABLE catalogue_version (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    version BIGINT NOT NULL
);
INSERT INTO catalogue_version (id, version) VALUES (1, 1);
