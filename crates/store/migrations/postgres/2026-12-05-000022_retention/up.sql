-- Retention: each office keeps its closed cases a term of years, a case may have its own
-- term (with the reason) or be held (with the reason); a case past its term is anonymised
-- once, by whichever server claims the day's run first.
ALTER TABLE offices ADD COLUMN retention_years INTEGER NOT NULL DEFAULT 5;
ALTER TABLE cases ADD COLUMN retention_years INTEGER;
ALTER TABLE cases ADD COLUMN retention_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE cases ADD COLUMN held_reason TEXT;
ALTER TABLE cases ADD COLUMN held_by BIGINT REFERENCES users (id);
ALTER TABLE cases ADD COLUMN held_at TEXT;
ALTER TABLE cases ADD COLUMN anonymised_on TEXT;
CREATE INDEX cases_closed_on ON cases (closed_on) WHERE anonymised_on IS NULL;

CREATE TABLE retention_runs (
    day TEXT PRIMARY KEY,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    anonymised BIGINT NOT NULL DEFAULT 0,
    by_whom TEXT NOT NULL
);

-- Entries sealed from here on hash the digests of their before and after, so those can be
-- replaced by the digests when a case is anonymised and the chain still verifies.
ALTER TABLE audit_head ADD COLUMN digests_from BIGINT NOT NULL DEFAULT 1;
UPDATE audit_head SET digests_from = seq + 1;

-- The trail (sealed or pending) stays append-only, except that what an entry's before and after said
-- may be replaced by its digest (nothing else about the entry may change).
DROP TRIGGER audit_events_no_change ON audit_events;
CREATE FUNCTION audit_events_only_redacted() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE'
       -- every other column unchanged (this serves the sealed and the pending trail)
       AND to_jsonb(NEW) - 'before' - 'after' = to_jsonb(OLD) - 'before' - 'after'
       AND (NEW.before = OLD.before OR NEW.before LIKE 'redacted sha256:%')
       AND (NEW.after = OLD.after OR NEW.after LIKE 'redacted sha256:%') THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'the audit trail is append-only';
END
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_events_no_change BEFORE UPDATE OR DELETE ON audit_events
FOR EACH ROW EXECUTE FUNCTION audit_events_only_redacted();
DROP TRIGGER audit_pending_no_update ON audit_pending;
CREATE TRIGGER audit_pending_no_update BEFORE UPDATE ON audit_pending
FOR EACH ROW EXECUTE FUNCTION audit_events_only_redacted();

-- The two permissions this version adds, given to the roles that hold them by default.
INSERT INTO role_permissions (role, permission, scope)
SELECT code, 'retention.manage', 'all' FROM roles WHERE code = 'administrator';
INSERT INTO role_permissions (role, permission, scope)
SELECT code, 'case.access_log', 'office' FROM roles WHERE code = 'office_manager';

-- Erasure on request: recorded with its legal basis, decided by a manager of the office,
-- carried out at once when approved.
CREATE TABLE erasure_requests (
    id BIGSERIAL PRIMARY KEY,
    case_id BIGINT NOT NULL REFERENCES cases (id),
    basis TEXT NOT NULL,
    -- the returnee was given their record before it went, as they asked
    record_given BOOLEAN NOT NULL,
    requested_on TEXT NOT NULL,
    requested_by BIGINT NOT NULL REFERENCES users (id),
    -- requested, refused or done
    status TEXT NOT NULL,
    decided_by BIGINT REFERENCES users (id),
    decided_at TEXT,
    decision_note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX erasure_requests_case ON erasure_requests (case_id);
