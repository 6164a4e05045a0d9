DROP TABLE erasure_requests;
DELETE FROM role_permissions WHERE permission IN ('retention.manage', 'case.access_log');
DROP TRIGGER audit_events_no_change ON audit_events;
DROP TRIGGER audit_pending_no_update ON audit_pending;
CREATE TRIGGER audit_pending_no_update BEFORE UPDATE ON audit_pending
FOR EACH ROW EXECUTE FUNCTION audit_events_append_only();
DROP FUNCTION audit_events_only_redacted();
CREATE TRIGGER audit_events_no_change BEFORE UPDATE OR DELETE ON audit_events
FOR EACH ROW EXECUTE FUNCTION audit_events_append_only();
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
