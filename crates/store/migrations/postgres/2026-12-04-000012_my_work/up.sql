-- My work: a person's open cases newest first, the cases of an office that wait for a
-- caseworker, and the plans that wait for a decision, found without reading the whole
-- caseload or office.
CREATE INDEX cases_unassigned ON cases (owning_office_id) WHERE assigned_user_id IS NULL AND status <> 'closed';
CREATE INDEX cases_plan_submitted ON cases (owning_office_id) WHERE status = 'plan_submitted';
CREATE INDEX cases_assigned_open ON cases (assigned_user_id, id) WHERE status <> 'closed';
