DROP TABLE erasure_requests;
DELETE FROM role_permissions WHERE permission IN ('retention.manage', 'case.access_log');
DROP TRIGGER audit_events_no_update;
CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
DROP TRIGGER audit_pending_no_update;
CREATE TRIGGER audit_pending_no_update BEFORE UPDATE ON audit_pending
BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
ALTER TABLE audit_head DROP COLUMN digests_from;
DROP TABLE retention_runs;
DROP INDEX cases_closed_on;
ALTER TABLE cases DROP COLUMN anonymised_on;
ALTER TABLE cases DROP COLUMN held_at;
ALTER TABLE cases DROP COLUMN held_by;
ALTER TABLE cases DROP COLUMN held_reason;
ALTER TABLE cases DROP COLUMN retention_reason;
ALTER TABLE cases DROP COLUMN retention_years;
ALTER TABLE offices DROP COLUMN retention_years;
