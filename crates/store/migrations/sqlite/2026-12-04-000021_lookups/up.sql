-- Each line of the caseload shows its case's next open task. It is kept on the case by
-- triggers, so a page of cases reads it with the case instead of looking into the tasks
-- once per line; the index finds a case's open tasks without reading the done ones.
CREATE INDEX tasks_open_case ON tasks (case_id, due_on) WHERE done_on IS NULL;
ALTER TABLE cases ADD COLUMN next_due TEXT;
UPDATE cases SET next_due =
    (SELECT MIN(t.due_on) FROM tasks t WHERE t.case_id = cases.id AND t.done_on IS NULL);

CREATE TRIGGER tasks_next_due_insert AFTER INSERT ON tasks BEGIN
    UPDATE cases SET next_due = (SELECT MIN(t.due_on) FROM tasks t
        WHERE t.case_id = NEW.case_id AND t.done_on IS NULL)
    WHERE id = NEW.case_id;
END;

CREATE TRIGGER tasks_next_due_delete AFTER DELETE ON tasks BEGIN
    UPDATE cases SET next_due = (SELECT MIN(t.due_on) FROM tasks t
        WHERE t.case_id = OLD.case_id AND t.done_on IS NULL)
    WHERE id = OLD.case_id;
END;

CREATE TRIGGER tasks_next_due_update AFTER UPDATE OF case_id, due_on, done_on ON tasks BEGIN
    UPDATE cases SET next_due = (SELECT MIN(t.due_on) FROM tasks t
        WHERE t.case_id = cases.id AND t.done_on IS NULL)
    WHERE id IN (OLD.case_id, NEW.case_id);
END;

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
