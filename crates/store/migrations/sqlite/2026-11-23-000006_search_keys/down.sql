DROP INDEX cases_assigned;
CREATE INDEX cases_assigned ON cases (assigned_user_id);
DROP INDEX cases_owner;
CREATE INDEX cases_owner ON cases (owning_office_id);
DROP TABLE returnee_vulnerabilities;
DROP INDEX returnees_birth_date;
ALTER TABLE returnees DROP COLUMN place_key;
ALTER TABLE returnees DROP COLUMN area_key;
