-- Community and structural reintegration: community projects under a funding project, with
-- the returnees (by case) and community members (counted by sex and age group) who take
-- part; shared asset pools with their tools and loans; capacity-building activities with
-- their participants; and, for both levels, outputs and the money spent, charged to the
-- funding project in USD at the day's rate.
CREATE TABLE community_projects (
    id INTEGER PRIMARY KEY,
    project_id BIGINT NOT NULL REFERENCES projects (id),
    office_id BIGINT NOT NULL REFERENCES offices (id),
    name TEXT NOT NULL,
    country TEXT NOT NULL,
    area TEXT NOT NULL DEFAULT '',
    place TEXT NOT NULL DEFAULT '',
    partner TEXT NOT NULL DEFAULT '',
    start_on TEXT,
    end_on TEXT,
    -- planned, active, completed, suspended, cancelled
    status TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    version BIGINT NOT NULL DEFAULT 1,
    created_by BIGINT REFERENCES users (id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX community_projects_project ON community_projects (project_id);
CREATE INDEX community_projects_country ON community_projects (country);

CREATE TABLE community_participants (
    community_project_id BIGINT NOT NULL REFERENCES community_projects (id),
    case_id BIGINT NOT NULL REFERENCES cases (id),
    joined_on TEXT NOT NULL,
    PRIMARY KEY (community_project_id, case_id)
);
CREATE INDEX community_participants_case ON community_participants (case_id);

CREATE TABLE community_members (
    community_project_id BIGINT NOT NULL REFERENCES community_projects (id),
    sex TEXT NOT NULL,
    age_group TEXT NOT NULL,
    n BIGINT NOT NULL CHECK (n >= 0),
    PRIMARY KEY (community_project_id, sex, age_group)
);

CREATE TABLE capacity_activities (
    id INTEGER PRIMARY KEY,
    project_id BIGINT NOT NULL REFERENCES projects (id),
    office_id BIGINT NOT NULL REFERENCES offices (id),
    -- training, workshop, assessment, policy_support
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    institution TEXT NOT NULL,
    country TEXT NOT NULL,
    start_on TEXT,
    end_on TEXT,
    status TEXT NOT NULL,
    female BIGINT NOT NULL DEFAULT 0,
    male BIGINT NOT NULL DEFAULT 0,
    other BIGINT NOT NULL DEFAULT 0,
    description TEXT NOT NULL DEFAULT '',
    version BIGINT NOT NULL DEFAULT 1,
    created_by BIGINT REFERENCES users (id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX capacity_activities_project ON capacity_activities (project_id);
CREATE INDEX capacity_activities_country ON capacity_activities (country);

CREATE TABLE capacity_participants (
    id INTEGER PRIMARY KEY,
    activity_id BIGINT NOT NULL REFERENCES capacity_activities (id),
    name TEXT NOT NULL DEFAULT '',
    sex TEXT NOT NULL,
    pre_score BIGINT CHECK (pre_score BETWEEN 0 AND 100),
    post_score BIGINT CHECK (post_score BETWEEN 0 AND 100),
    created_at TEXT NOT NULL
);
CREATE INDEX capacity_participants_activity ON capacity_participants (activity_id);

-- level: community or structural; activity_id: a community project or a capacity activity.
CREATE TABLE activity_outputs (
    id INTEGER PRIMARY KEY,
    level TEXT NOT NULL,
    activity_id BIGINT NOT NULL,
    text TEXT NOT NULL,
    achieved_on TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX activity_outputs_activity ON activity_outputs (level, activity_id);

CREATE TABLE activity_expenses (
    id INTEGER PRIMARY KEY,
    level TEXT NOT NULL,
    activity_id BIGINT NOT NULL,
    project_id BIGINT NOT NULL REFERENCES projects (id),
    spent_on TEXT NOT NULL,
    description TEXT NOT NULL,
    amount_minor BIGINT NOT NULL,
    currency TEXT NOT NULL,
    usd_rate TEXT NOT NULL,
    usd_minor BIGINT NOT NULL,
    created_by BIGINT REFERENCES users (id),
    created_at TEXT NOT NULL
);
CREATE INDEX activity_expenses_activity ON activity_expenses (level, activity_id);
CREATE INDEX activity_expenses_project ON activity_expenses (project_id);

-- A pool of tools lent or rented for a nominal fee, run by an office (the centre's).
CREATE TABLE asset_pools (
    id INTEGER PRIMARY KEY,
    community_project_id BIGINT NOT NULL REFERENCES community_projects (id),
    office_id BIGINT NOT NULL REFERENCES offices (id),
    name TEXT NOT NULL,
    -- Fees and values are in this currency.
    currency TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX asset_pools_project ON asset_pools (community_project_id);

CREATE TABLE pool_tools (
    id INTEGER PRIMARY KEY,
    pool_id BIGINT NOT NULL REFERENCES asset_pools (id),
    name TEXT NOT NULL,
    category TEXT NOT NULL,
    quantity BIGINT NOT NULL CHECK (quantity >= 1),
    -- good, fair, poor, broken, lost
    condition TEXT NOT NULL,
    value_minor BIGINT NOT NULL DEFAULT 0,
    fee_minor BIGINT NOT NULL DEFAULT 0,
    notes TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX pool_tools_pool ON pool_tools (pool_id);

CREATE TABLE tool_loans (
    id INTEGER PRIMARY KEY,
    tool_id BIGINT NOT NULL REFERENCES pool_tools (id),
    pool_id BIGINT NOT NULL REFERENCES asset_pools (id),
    borrower TEXT NOT NULL,
    phone TEXT NOT NULL DEFAULT '',
    lent_on TEXT NOT NULL,
    due_on TEXT NOT NULL,
    returned_on TEXT,
    condition_out TEXT NOT NULL,
    condition_back TEXT,
    -- Collected on return, in the pool's currency.
    fee_minor BIGINT,
    note TEXT NOT NULL DEFAULT '',
    lent_by BIGINT REFERENCES users (id),
    returned_by BIGINT REFERENCES users (id),
    created_at TEXT NOT NULL,
    CHECK (due_on >= lent_on),
    CHECK (returned_on IS NULL OR returned_on >= lent_on)
);
CREATE INDEX tool_loans_tool ON tool_loans (tool_id, lent_on);
CREATE INDEX tool_loans_pool ON tool_loans (pool_id, lent_on);
CREATE INDEX tool_loans_open ON tool_loans (pool_id, due_on) WHERE returned_on IS NULL;

INSERT INTO role_permissions (role, permission, scope)
SELECT code, 'community.manage', 'office' FROM roles WHERE code = 'office_manager';
INSERT INTO role_permissions (role, permission, scope)
SELECT code, 'assets.lend', 'office' FROM roles WHERE code = 'office_manager';
INSERT INTO role_permissions (role, permission, scope)
SELECT code, 'community.manage', 'all' FROM roles WHERE code = 'programme_manager';
INSERT INTO role_permissions (role, permission, scope)
SELECT code, 'assets.lend', 'all' FROM roles WHERE code = 'programme_manager';
