-- Search keys for caseload filters at a million returnees: the area and place of return
-- folded to lower-case ASCII, matched by prefix and checked per case newest
-- first; one row per vulnerability. Filled by the application (keys_version 2) at the
-- next start.
ALTER TABLE returnees ADD COLUMN area_key TEXT NOT NULL DEFAULT '';
ALTER TABLE returnees ADD COLUMN place_key TEXT NOT NULL DEFAULT '';

CREATE TABLE returnee_vulnerabilities (
    code TEXT NOT NULL,
    returnee_id BIGINT NOT NULL REFERENCES returnees (id),
    PRIMARY KEY (code, returnee_id)
) WITHOUT ROWID;
CREATE INDEX returnee_vulnerabilities_returnee ON returnee_vulnerabilities (returnee_id);

-- Duplicates on registration look for the same birth date first.
CREATE INDEX returnees_birth_date ON returnees (birth_date);

-- "My cases" and "my office's", newest first, read in order from an index: with only the
-- owner or assignee indexed, a planner expecting matches everywhere walks the whole table
-- backwards for someone who has none.
DROP INDEX cases_owner;
CREATE INDEX cases_owner ON cases (owning_office_id, id);
DROP INDEX cases_assigned;
CREATE INDEX cases_assigned ON cases (assigned_user_id, id);
