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
