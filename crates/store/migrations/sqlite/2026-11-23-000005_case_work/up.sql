-- Case management: the returnee's details, household, consents and name keys for
-- misspelt searches; packages per project; the case's stage, dates, plan, assistance,
-- referrals, follow-up, tasks and timeline; a version for concurrent edits.

ALTER TABLE returnees ADD COLUMN birth_date_estimated BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE returnees ADD COLUMN languages TEXT NOT NULL DEFAULT '';
ALTER TABLE returnees ADD COLUMN phone TEXT NOT NULL DEFAULT '';
ALTER TABLE returnees ADD COLUMN email TEXT NOT NULL DEFAULT '';
ALTER TABLE returnees ADD COLUMN return_country TEXT NOT NULL DEFAULT '';
ALTER TABLE returnees ADD COLUMN return_area TEXT NOT NULL DEFAULT '';
ALTER TABLE returnees ADD COLUMN return_place TEXT NOT NULL DEFAULT '';
-- Which version of the name-key rules the row was indexed with; 0 = not yet.
ALTER TABLE returnees ADD COLUMN keys_version INTEGER NOT NULL DEFAULT 0;
UPDATE returnees SET return_country = nationality;
CREATE INDEX returnees_keys_version ON returnees (keys_version);

CREATE TABLE name_keys (
    key TEXT NOT NULL,
    returnee_id BIGINT NOT NULL REFERENCES returnees (id),
    PRIMARY KEY (key, returnee_id)
) WITHOUT ROWID;
CREATE INDEX name_keys_returnee ON name_keys (returnee_id);

CREATE TABLE household_members (
    id INTEGER PRIMARY KEY,
    returnee_id BIGINT NOT NULL REFERENCES returnees (id),
    name TEXT NOT NULL,
    relation TEXT NOT NULL,
    sex TEXT NOT NULL,
    birth_year INTEGER,
    created_at TEXT NOT NULL
);
CREATE INDEX household_members_returnee ON household_members (returnee_id);

CREATE TABLE consents (
    id INTEGER PRIMARY KEY,
    returnee_id BIGINT NOT NULL REFERENCES returnees (id),
    purpose TEXT NOT NULL,
    partner_office_id BIGINT REFERENCES offices (id),
    given_on TEXT NOT NULL,
    taken_by BIGINT NOT NULL REFERENCES users (id),
    withdrawn_on TEXT,
    withdrawn_by BIGINT REFERENCES users (id),
    created_at TEXT NOT NULL
);
CREATE INDEX consents_returnee ON consents (returnee_id);

CREATE TABLE packages (
    id INTEGER PRIMARY KEY,
    project_id BIGINT REFERENCES projects (id),
    name TEXT NOT NULL UNIQUE,
    cap_usd_minor BIGINT NOT NULL,
    components TEXT NOT NULL,
    host_country TEXT NOT NULL DEFAULT '',
    origin_country TEXT NOT NULL DEFAULT '',
    beneficiaries TEXT NOT NULL DEFAULT '',
    active BOOLEAN NOT NULL DEFAULT TRUE,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

-- `status` now holds the stage (registered ... closed).
UPDATE cases SET status = 'registered' WHERE status = 'open';
ALTER TABLE cases ADD COLUMN package_id BIGINT REFERENCES packages (id);
ALTER TABLE cases ADD COLUMN project_id BIGINT REFERENCES projects (id);
ALTER TABLE cases ADD COLUMN version BIGINT NOT NULL DEFAULT 1;
ALTER TABLE cases ADD COLUMN counselled_on TEXT;
ALTER TABLE cases ADD COLUMN departed_on TEXT;
ALTER TABLE cases ADD COLUMN arrived_on TEXT;
ALTER TABLE cases ADD COLUMN plan_agreed_on TEXT;
ALTER TABLE cases ADD COLUMN closed_on TEXT;
ALTER TABLE cases ADD COLUMN closure_reason TEXT;
ALTER TABLE cases ADD COLUMN closure_note TEXT NOT NULL DEFAULT '';
-- draft, requested, approved, rejected
ALTER TABLE cases ADD COLUMN plan_state TEXT NOT NULL DEFAULT 'draft';
ALTER TABLE cases ADD COLUMN plan_comment TEXT NOT NULL DEFAULT '';
ALTER TABLE cases ADD COLUMN plan_exception BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE cases ADD COLUMN plan_decided_by BIGINT REFERENCES users (id);
ALTER TABLE cases ADD COLUMN plan_decided_at TEXT;
CREATE INDEX cases_owner_status ON cases (owning_office_id, status, id);
CREATE INDEX cases_assigned_status ON cases (assigned_user_id, status, id);
CREATE INDEX cases_package ON cases (package_id, id);
CREATE INDEX cases_returnee ON cases (returnee_id);

CREATE TABLE plan_items (
    id INTEGER PRIMARY KEY,
    case_id BIGINT NOT NULL REFERENCES cases (id),
    dimension TEXT NOT NULL,
    category TEXT NOT NULL,
    description TEXT NOT NULL,
    cost_minor BIGINT NOT NULL,
    currency TEXT NOT NULL,
    usd_rate TEXT NOT NULL,
    cost_usd_minor BIGINT NOT NULL,
    supplier TEXT NOT NULL DEFAULT '',
    referral BOOLEAN NOT NULL DEFAULT FALSE,
    created_at TEXT NOT NULL
);
CREATE INDEX plan_items_case ON plan_items (case_id);

CREATE TABLE disbursements (
    id INTEGER PRIMARY KEY,
    case_id BIGINT NOT NULL REFERENCES cases (id),
    plan_item_id BIGINT NOT NULL REFERENCES plan_items (id),
    project_id BIGINT REFERENCES projects (id),
    kind TEXT NOT NULL,
    amount_minor BIGINT NOT NULL,
    currency TEXT NOT NULL,
    paid_on TEXT NOT NULL,
    usd_rate TEXT NOT NULL,
    usd_minor BIGINT NOT NULL,
    excess_approved_by BIGINT REFERENCES users (id),
    note TEXT NOT NULL DEFAULT '',
    created_by BIGINT NOT NULL REFERENCES users (id),
    created_at TEXT NOT NULL
);
CREATE INDEX disbursements_case ON disbursements (case_id);
CREATE INDEX disbursements_project ON disbursements (project_id);

CREATE TABLE receipts (
    id INTEGER PRIMARY KEY,
    disbursement_id BIGINT NOT NULL REFERENCES disbursements (id),
    file_name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size_bytes BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    content BLOB NOT NULL,
    created_by BIGINT NOT NULL REFERENCES users (id),
    created_at TEXT NOT NULL
);
CREATE INDEX receipts_disbursement ON receipts (disbursement_id);

CREATE TABLE referrals (
    id INTEGER PRIMARY KEY,
    case_id BIGINT NOT NULL REFERENCES cases (id),
    office_id BIGINT NOT NULL REFERENCES offices (id),
    service TEXT NOT NULL,
    -- sent, accepted, declined, completed
    status TEXT NOT NULL,
    outcome TEXT NOT NULL DEFAULT '',
    created_by BIGINT NOT NULL REFERENCES users (id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX referrals_case ON referrals (case_id);
CREATE INDEX referrals_office ON referrals (office_id, status);

CREATE TABLE follow_ups (
    id INTEGER PRIMARY KEY,
    case_id BIGINT NOT NULL REFERENCES cases (id),
    -- visit or call
    kind TEXT NOT NULL,
    on_date TEXT NOT NULL,
    notes TEXT NOT NULL,
    created_by BIGINT NOT NULL REFERENCES users (id),
    created_at TEXT NOT NULL
);
CREATE INDEX follow_ups_case ON follow_ups (case_id);

CREATE TABLE task_rules (
    key TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    anchor TEXT NOT NULL,
    offset_days INTEGER NOT NULL DEFAULT 0,
    offset_months INTEGER NOT NULL DEFAULT 0,
    active BOOLEAN NOT NULL DEFAULT TRUE
);
INSERT INTO task_rules (key, title, anchor, offset_days, offset_months) VALUES
    ('plan', 'Agree the reintegration plan', 'arrival', 30, 0),
    ('follow_up_3m', 'Follow-up at 3 months', 'arrival', 0, 3),
    ('follow_up_6m', 'Follow-up at 6 months', 'arrival', 0, 6),
    ('follow_up_12m', 'Follow-up at 12 months', 'arrival', 0, 12);

CREATE TABLE tasks (
    id INTEGER PRIMARY KEY,
    case_id BIGINT NOT NULL REFERENCES cases (id),
    rule_key TEXT,
    title TEXT NOT NULL,
    due_on TEXT NOT NULL,
    done_on TEXT,
    done_by BIGINT REFERENCES users (id),
    created_at TEXT NOT NULL
);
CREATE INDEX tasks_case ON tasks (case_id);
CREATE INDEX tasks_open_due ON tasks (due_on, case_id) WHERE done_on IS NULL;

CREATE TABLE case_events (
    id INTEGER PRIMARY KEY,
    case_id BIGINT NOT NULL REFERENCES cases (id),
    version BIGINT NOT NULL,
    at TEXT NOT NULL,
    user_id BIGINT REFERENCES users (id),
    kind TEXT NOT NULL,
    detail TEXT NOT NULL
);
CREATE INDEX case_events_case ON case_events (case_id, id);

INSERT INTO role_permissions (role, permission, scope)
SELECT code, 'case.approve', 'office' FROM roles WHERE code = 'office_manager';
INSERT INTO role_permissions (role, permission, scope)
SELECT code, 'referral.respond', 'shared' FROM roles WHERE code = 'partner';
INSERT INTO role_permissions (role, permission, scope)
SELECT code, 'package.manage', 'all' FROM roles WHERE code IN ('administrator', 'programme_manager');
