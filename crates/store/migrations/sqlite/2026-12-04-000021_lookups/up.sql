-- Each line of the caseload shows its case's next open task: one index entry per case to
-- look at, instead of every task the case ever had.
CREATE INDEX tasks_open_case ON tasks (case_id, due_on) WHERE done_on IS NULL;

-- Servers hold in memory the small tables every signed-in page looks things up in
-- (offices, packages, users' names, roles and their permissions). Any change to them
-- moves this version, in the same transaction; a server that reads another version than
-- the one it holds reads them again.
CREATE TABLE lookups_version (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    version BIGINT NOT NULL
);
INSERT INTO lookups_version (id, version) VALUES (1, 0);


CREATE TRIGGER offices_lookups_insert AFTER INSERT ON offices
BEGIN UPDATE lookups_version SET version = version + 1 WHERE id = 1; END;

CREATE TRIGGER offices_lookups_delete AFTER DELETE ON offices
BEGIN UPDATE lookups_version SET version = version + 1 WHERE id = 1; END;

CREATE TRIGGER offices_lookups_update AFTER UPDATE OF name ON offices
BEGIN UPDATE lookups_version SET version = version + 1 WHERE id = 1; END;

CREATE TRIGGER packages_lookups_insert AFTER INSERT ON packages
BEGIN UPDATE lookups_version SET version = version + 1 WHERE id = 1; END;

CREATE TRIGGER packages_lookups_delete AFTER DELETE ON packages
BEGIN UPDATE lookups_version SET version = version + 1 WHERE id = 1; END;

CREATE TRIGGER packages_lookups_update AFTER UPDATE OF name, active ON packages
BEGIN UPDATE lookups_version SET version = version + 1 WHERE id = 1; END;

CREATE TRIGGER users_lookups_insert AFTER INSERT ON users
BEGIN UPDATE lookups_version SET version = version + 1 WHERE id = 1; END;

CREATE TRIGGER users_lookups_delete AFTER DELETE ON users
BEGIN UPDATE lookups_version SET version = version + 1 WHERE id = 1; END;

CREATE TRIGGER users_lookups_update AFTER UPDATE OF name ON users
BEGIN UPDATE lookups_version SET version = version + 1 WHERE id = 1; END;

CREATE TRIGGER roles_lookups_insert AFTER INSERT ON roles
BEGIN UPDATE lookups_version SET version = version + 1 WHERE id = 1; END;

CREATE TRIGGER roles_lookups_delete AFTER DELETE ON roles
BEGIN UPDATE lookups_version SET version = version + 1 WHERE id = 1; END;

CREATE TRIGGER roles_lookups_update AFTER UPDATE ON roles
BEGIN UPDATE lookups_version SET version = version + 1 WHERE id = 1; END;

CREATE TRIGGER role_permissions_lookups_insert AFTER INSERT ON role_permissions
BEGIN UPDATE lookups_version SET version = version + 1 WHERE id = 1; END;

CREATE TRIGGER role_permissions_lookups_delete AFTER DELETE ON role_permissions
BEGIN UPDATE lookups_version SET version = version + 1 WHERE id = 1; END;

CREATE TRIGGER role_permissions_lookups_update AFTER UPDATE ON role_permissions
BEGIN UPDATE lookups_version SET version = version + 1 WHERE id = 1; END;
