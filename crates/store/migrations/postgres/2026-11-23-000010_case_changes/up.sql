-- Which cases changed, and by which transaction, for the dashboards' counts that each app
-- server keeps in memory: one row per case with the id of the last transaction that
-- changed it. Triggers keep it, so no write is missed whichever code makes it (a page, an
-- import, the bulk loader, an administrator's SQL). Transactions commit in another order
-- than they start, so a reader re-reads every change made by a transaction at or above
-- the oldest one still open when it last looked (its snapshot's xmin): nothing committed
-- later can have a smaller id.
CREATE TABLE case_changes (
    case_id BIGINT PRIMARY KEY,
    xid BIGINT NOT NULL
);
CREATE INDEX case_changes_xid ON case_changes (xid);

CREATE FUNCTION note_case_changes(ids BIGINT[]) RETURNS void LANGUAGE sql AS $$
    INSERT INTO case_changes (case_id, xid)
    SELECT DISTINCT id, pg_current_xact_id()::text::bigint FROM unnest(ids) AS id
    WHERE id IS NOT NULL
    ON CONFLICT (case_id) DO UPDATE SET xid = EXCLUDED.xid
$$;

-- Statement triggers with the changed rows as a table: a bulk insert of thousands of rows
-- notes its cases in one statement.
CREATE FUNCTION case_rows_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM note_case_changes(ARRAY(SELECT case_id FROM changed_rows));
    RETURN NULL;
END $$;

CREATE FUNCTION cases_rows_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM note_case_changes(ARRAY(SELECT id FROM changed_rows));
    RETURN NULL;
END $$;

CREATE FUNCTION vulnerability_rows_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM note_case_changes(ARRAY(
        SELECT c.id FROM cases c JOIN (SELECT DISTINCT returnee_id FROM changed_rows) r
        ON c.returnee_id = r.returnee_id));
    RETURN NULL;
END $$;

CREATE FUNCTION score_rows_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM note_case_changes(ARRAY(
        SELECT s.case_id FROM surveys s JOIN (SELECT DISTINCT survey_id FROM changed_rows) r
        ON s.id = r.survey_id));
    RETURN NULL;
END $$;

-- Row triggers where only some columns count.
CREATE FUNCTION case_row_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM note_case_changes(ARRAY[NEW.id]);
    RETURN NULL;
END $$;

CREATE FUNCTION returnee_row_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM note_case_changes(ARRAY(SELECT id FROM cases WHERE returnee_id = NEW.id));
    RETURN NULL;
END $$;

CREATE TRIGGER cases_changed_insert AFTER INSERT ON cases
    REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION cases_rows_changed();
CREATE TRIGGER cases_changed_delete AFTER DELETE ON cases
    REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION cases_rows_changed();
CREATE TRIGGER cases_changed_update AFTER UPDATE ON cases FOR EACH ROW
    WHEN (OLD.returnee_id IS DISTINCT FROM NEW.returnee_id
       OR OLD.owning_office_id IS DISTINCT FROM NEW.owning_office_id
       OR OLD.assigned_user_id IS DISTINCT FROM NEW.assigned_user_id
       OR OLD.status IS DISTINCT FROM NEW.status
       OR OLD.created_at IS DISTINCT FROM NEW.created_at
       OR OLD.package_id IS DISTINCT FROM NEW.package_id
       OR OLD.project_id IS DISTINCT FROM NEW.project_id
       OR OLD.arrived_on IS DISTINCT FROM NEW.arrived_on
       OR OLD.plan_agreed_on IS DISTINCT FROM NEW.plan_agreed_on)
    EXECUTE FUNCTION case_row_updated();

CREATE TRIGGER returnees_changed AFTER UPDATE ON returnees FOR EACH ROW
    WHEN (OLD.sex IS DISTINCT FROM NEW.sex
       OR OLD.birth_date IS DISTINCT FROM NEW.birth_date
       OR OLD.return_country IS DISTINCT FROM NEW.return_country)
    EXECUTE FUNCTION returnee_row_updated();
CREATE TRIGGER returnee_vulnerabilities_added AFTER INSERT ON returnee_vulnerabilities
    REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION vulnerability_rows_changed();
CREATE TRIGGER returnee_vulnerabilities_removed AFTER DELETE ON returnee_vulnerabilities
    REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION vulnerability_rows_changed();
CREATE TRIGGER case_shares_changed_insert AFTER INSERT ON case_shares
    REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION case_rows_changed();
CREATE TRIGGER case_shares_changed_delete AFTER DELETE ON case_shares
    REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION case_rows_changed();
CREATE TRIGGER plan_items_changed_insert AFTER INSERT ON plan_items
    REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION case_rows_changed();
CREATE TRIGGER plan_items_changed_update AFTER UPDATE ON plan_items
    REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION case_rows_changed();
CREATE TRIGGER plan_items_changed_delete AFTER DELETE ON plan_items
    REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION case_rows_changed();
CREATE TRIGGER disbursements_changed_insert AFTER INSERT ON disbursements
    REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION case_rows_changed();
CREATE TRIGGER disbursements_changed_update AFTER UPDATE ON disbursements
    REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION case_rows_changed();
CREATE TRIGGER disbursements_changed_delete AFTER DELETE ON disbursements
    REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION case_rows_changed();
CREATE TRIGGER surveys_changed_insert AFTER INSERT ON surveys
    REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION case_rows_changed();
CREATE TRIGGER surveys_changed_update AFTER UPDATE ON surveys
    REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION case_rows_changed();
CREATE TRIGGER surveys_changed_delete AFTER DELETE ON surveys
    REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION case_rows_changed();
CREATE TRIGGER survey_scores_changed_insert AFTER INSERT ON survey_scores
    REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION score_rows_changed();
CREATE TRIGGER survey_scores_changed_update AFTER UPDATE ON survey_scores
    REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION score_rows_changed();
CREATE TRIGGER survey_scores_changed_delete AFTER DELETE ON survey_scores
    REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION score_rows_changed();

-- Every case counts as changed once: a server that looked before this migration reloads.
INSERT INTO case_changes (case_id, xid) SELECT id, pg_current_xact_id()::text::bigint FROM cases;
