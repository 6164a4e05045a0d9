-- Each line of the caseload shows its case's next open task. It is kept on the case by
-- triggers, so a page of cases reads it with the case instead of looking into the tasks
-- once per line; the index finds a case's open tasks without reading the done ones.
CREATE INDEX tasks_open_case ON tasks (case_id, due_on) WHERE done_on IS NULL;
ALTER TABLE cases ADD COLUMN next_due TEXT;
UPDATE cases c SET next_due = t.due
    FROM (SELECT case_id, MIN(due_on) AS due FROM tasks WHERE done_on IS NULL GROUP BY case_id) t
    WHERE t.case_id = c.id;

-- The cases whose tasks a statement added or removed (`changed_rows`), or changed
-- (`old_rows` and `new_rows`: a task may move to another case).
CREATE FUNCTION tasks_next_due() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        UPDATE cases c SET next_due = d.due
            FROM (SELECT x.id, (SELECT MIN(t.due_on) FROM tasks t
                                WHERE t.case_id = x.id AND t.done_on IS NULL) AS due
                  FROM (SELECT case_id AS id FROM old_rows
                        UNION SELECT case_id FROM new_rows) x) d
            WHERE c.id = d.id AND c.next_due IS DISTINCT FROM d.due;
    ELSE
        UPDATE cases c SET next_due = d.due
            FROM (SELECT x.id, (SELECT MIN(t.due_on) FROM tasks t
                                WHERE t.case_id = x.id AND t.done_on IS NULL) AS due
                  FROM (SELECT DISTINCT case_id AS id FROM changed_rows) x) d
            WHERE c.id = d.id AND c.next_due IS DISTINCT FROM d.due;
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER tasks_next_due_insert AFTER INSERT ON tasks
    REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION tasks_next_due();
CREATE TRIGGER tasks_next_due_delete AFTER DELETE ON tasks
    REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION tasks_next_due();
CREATE TRIGGER tasks_next_due_update AFTER UPDATE ON tasks
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION tasks_next_due();

-- Servers hold in memory the small tables every signed-in page looks things up in
-- (offices, packages, users' names, roles and their permissions). Any change to them
-- moves this version, in the same transaction; a server that reads another version than
-- the one it holds reads them again.
CREATE TABLE lookups_version (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    version BIGINT NOT NULL
);
INSERT INTO lookups_version (id, version) VALUES (1, 0);

CREATE FUNCTION lookups_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE lookups_version SET version = version + 1 WHERE id = 1;
    RETURN NULL;
END $$;

CREATE TRIGGER offices_lookups AFTER INSERT OR DELETE OR UPDATE OF name ON offices
    FOR EACH STATEMENT EXECUTE FUNCTION lookups_changed();
CREATE TRIGGER packages_lookups AFTER INSERT OR DELETE OR UPDATE OF name, active ON packages
    FOR EACH STATEMENT EXECUTE FUNCTION lookups_changed();
CREATE TRIGGER users_lookups AFTER INSERT OR DELETE OR UPDATE OF name ON users
    FOR EACH STATEMENT EXECUTE FUNCTION lookups_changed();
CREATE TRIGGER roles_lookups AFTER INSERT OR DELETE OR UPDATE ON roles
    FOR EACH STATEMENT EXECUTE FUNCTION lookups_changed();
CREATE TRIGGER role_permissions_lookups AFTER INSERT OR DELETE OR UPDATE ON role_permissions
    FOR EACH STATEMENT EXECUTE FUNCTION lookups_changed();
