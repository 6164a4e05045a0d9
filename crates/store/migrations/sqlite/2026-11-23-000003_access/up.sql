-- Accounts, offices, roles, sessions, API tokens, the audit trail, and the first
-- personal data it protects: returnees and their cases.

CREATE TABLE offices (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    country TEXT NOT NULL,
    kind TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE UNIQUE INDEX offices_name ON offices (LOWER(name));

-- Roles are fixed codes; what each may do is data an administrator can change.
CREATE TABLE roles (
    code TEXT PRIMARY KEY,
    require_totp BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE TABLE role_permissions (
    role TEXT NOT NULL REFERENCES roles (code),
    permission TEXT NOT NULL,
    scope TEXT NOT NULL,
    PRIMARY KEY (role, permission)
);

CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    office_id BIGINT NOT NULL REFERENCES offices (id),
    role TEXT NOT NULL REFERENCES roles (code),
    password_hash TEXT,
    totp_secret TEXT,
    totp_enabled BOOLEAN NOT NULL DEFAULT FALSE,
    totp_last_step BIGINT,
    disabled_at TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX users_office ON users (office_id);

CREATE TABLE recovery_codes (
    user_id BIGINT NOT NULL REFERENCES users (id),
    code_hash TEXT NOT NULL,
    used_at TEXT,
    PRIMARY KEY (user_id, code_hash)
);

-- One-time links to set a password: invitations and resets. Only digests are kept.
CREATE TABLE user_links (
    token_hash TEXT PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id),
    purpose TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at TEXT
);

-- Sessions live here so any number of app servers can share them.
CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id),
    csrf TEXT NOT NULL,
    stage TEXT NOT NULL,
    created_at TEXT NOT NULL,
    last_seen_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    ip TEXT NOT NULL,
    user_agent TEXT NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE signin_failures (
    key TEXT PRIMARY KEY,
    failures INTEGER NOT NULL,
    window_start TEXT NOT NULL,
    locked_until TEXT
);

CREATE TABLE api_tokens (
    id INTEGER PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id),
    name TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    permissions TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    revoked_at TEXT,
    last_used_at TEXT
);
CREATE INDEX api_tokens_user ON api_tokens (user_id);

CREATE TABLE audit_events (
    seq BIGINT PRIMARY KEY,
    at TEXT NOT NULL,
    actor_id BIGINT,
    actor TEXT NOT NULL,
    ip TEXT NOT NULL,
    action TEXT NOT NULL,
    record_type TEXT NOT NULL,
    record_id TEXT NOT NULL,
    before TEXT NOT NULL,
    after TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE INDEX audit_events_actor ON audit_events (actor_id, seq);
CREATE INDEX audit_events_record ON audit_events (record_type, record_id, seq);
CREATE INDEX audit_events_action ON audit_events (action, seq);
CREATE INDEX audit_events_at ON audit_events (at);
CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;

-- The number and hash of the newest entry; appends lock it, verification compares it.
CREATE TABLE audit_head (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    seq BIGINT NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash)
VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

CREATE TABLE returnees (
    id INTEGER PRIMARY KEY,
    given_name TEXT NOT NULL,
    family_name TEXT NOT NULL,
    sex TEXT NOT NULL,
    birth_date TEXT,
    nationality TEXT NOT NULL,
    vulnerabilities TEXT NOT NULL,
    health_notes TEXT NOT NULL,
    created_at TEXT NOT NULL
);

CREATE TABLE cases (
    id INTEGER PRIMARY KEY,
    reference TEXT NOT NULL UNIQUE,
    returnee_id BIGINT NOT NULL REFERENCES returnees (id),
    host_office_id BIGINT NOT NULL REFERENCES offices (id),
    origin_office_id BIGINT NOT NULL REFERENCES offices (id),
    owning_office_id BIGINT NOT NULL REFERENCES offices (id),
    assigned_user_id BIGINT REFERENCES users (id),
    status TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX cases_owner ON cases (owning_office_id);
CREATE INDEX cases_assigned ON cases (assigned_user_id);

-- Offices a case was shared with: a handover leaves the sending office one, a referral
-- gives the partner one.
CREATE TABLE case_shares (
    case_id BIGINT NOT NULL REFERENCES cases (id),
    office_id BIGINT NOT NULL REFERENCES offices (id),
    kind TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (case_id, office_id)
);
CREATE INDEX case_shares_office ON case_shares (office_id);
