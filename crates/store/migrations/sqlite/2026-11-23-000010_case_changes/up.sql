-- Which cases changed, and when, for the dashboards' counts that each app server keeps in
-- memory: one row per case with the number of its latest change. Triggers keep it, so no
-- write is missed whichever code makes it (a page, an import, the bulk loader, an
-- administrator's SQL). SQLite commits one writer at a time: a reader that has seen
-- number N has seen every change up to N.
CREATE TABLE case_changes (
    case_id INTEGER PRIMARY KEY,
    seq BIGINT NOT NULL
);
CREATE INDEX case_changes_seq ON case_changes (seq);

CREATE TRIGGER cases_changed_insert AFTER INSERT ON cases BEGIN
    INSERT INTO case_changes (case_id, seq)
    VALUES (NEW.id, (SELECT COALESCE(MAX(seq), 0) + 1 FROM case_changes))
    ON CONFLICT (case_id) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER cases_changed_update AFTER UPDATE OF returnee_id, owning_office_id,
    assigned_user_id, status, created_at, package_id, project_id, arrived_on, plan_agreed_on
    ON cases BEGIN
    INSERT INTO case_changes (case_id, seq)
    VALUES (NEW.id, (SELECT COALESCE(MAX(seq), 0) + 1 FROM case_changes))
    ON CONFLICT (case_id) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER cases_changed_delete AFTER DELETE ON cases BEGIN
    INSERT INTO case_changes (case_id, seq)
    VALUES (OLD.id, (SELECT COALESCE(MAX(seq), 0) + 1 FROM case_changes))
    ON CONFLICT (case_id) DO UPDATE SET seq = excluded.seq;
END;

-- The returnee's details counted (sex, age, country) belong to each of their cases.
CREATE TRIGGER returnees_changed AFTER UPDATE OF sex, birth_date, return_country
    ON returnees BEGIN
    INSERT INTO case_changes (case_id, seq)
    SELECT id, (SELECT COALESCE(MAX(seq), 0) + 1 FROM case_changes) FROM cases
    WHERE returnee_id = NEW.id
    ON CONFLICT (case_id) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER returnee_vulnerabilities_added AFTER INSERT ON returnee_vulnerabilities BEGIN
    INSERT INTO case_changes (case_id, seq)
    SELECT id, (SELECT COALESCE(MAX(seq), 0) + 1 FROM case_changes) FROM cases
    WHERE returnee_id = NEW.returnee_id
    ON CONFLICT (case_id) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER returnee_vulnerabilities_removed AFTER DELETE ON returnee_vulnerabilities BEGIN
    INSERT INTO case_changes (case_id, seq)
    SELECT id, (SELECT COALESCE(MAX(seq), 0) + 1 FROM case_changes) FROM cases
    WHERE returnee_id = OLD.returnee_id
    ON CONFLICT (case_id) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER case_shares_changed_insert AFTER INSERT ON case_shares BEGIN
    INSERT INTO case_changes (case_id, seq)
    VALUES (NEW.case_id, (SELECT COALESCE(MAX(seq), 0) + 1 FROM case_changes))
    ON CONFLICT (case_id) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER case_shares_changed_delete AFTER DELETE ON case_shares BEGIN
    INSERT INTO case_changes (case_id, seq)
    VALUES (OLD.case_id, (SELECT COALESCE(MAX(seq), 0) + 1 FROM case_changes))
    ON CONFLICT (case_id) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER plan_items_changed_insert AFTER INSERT ON plan_items BEGIN
    INSERT INTO case_changes (case_id, seq)
    VALUES (NEW.case_id, (SELECT COALESCE(MAX(seq), 0) + 1 FROM case_changes))
    ON CONFLICT (case_id) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER plan_items_changed_update AFTER UPDATE ON plan_items BEGIN
    INSERT INTO case_changes (case_id, seq)
    VALUES (NEW.case_id, (SELECT COALESCE(MAX(seq), 0) + 1 FROM case_changes))
    ON CONFLICT (case_id) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER plan_items_changed_delete AFTER DELETE ON plan_items BEGIN
    INSERT INTO case_changes (case_id, seq)
    VALUES (OLD.case_id, (SELECT COALESCE(MAX(seq), 0) + 1 FROM case_changes))
    ON CONFLICT (case_id) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER disbursements_changed_insert AFTER INSERT ON disbursements BEGIN
    INSERT INTO case_changes (case_id, seq)
    VALUES (NEW.case_id, (SELECT COALESCE(MAX(seq), 0) + 1 FROM case_changes))
    ON CONFLICT (case_id) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER disbursements_changed_update AFTER UPDATE ON disbursements BEGIN
    INSERT INTO case_changes (case_id, seq)
    VALUES (NEW.case_id, (SELECT COALESCE(MAX(seq), 0) + 1 FROM case_changes))
    ON CONFLICT (case_id) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER disbursements_changed_delete AFTER DELETE ON disbursements BEGIN
    INSERT INTO case_changes (case_id, seq)
    VALUES (OLD.case_id, (SELECT COALESCE(MAX(seq), 0) + 1 FROM case_changes))
    ON CONFLICT (case_id) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER surveys_changed_insert AFTER INSERT ON surveys BEGIN
    INSERT INTO case_changes (case_id, seq)
    VALUES (NEW.case_id, (SELECT COALESCE(MAX(seq), 0) + 1 FROM case_changes))
    ON CONFLICT (case_id) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER surveys_changed_update AFTER UPDATE ON surveys BEGIN
    INSERT INTO case_changes (case_id, seq)
    VALUES (NEW.case_id, (SELECT COALESCE(MAX(seq), 0) + 1 FROM case_changes))
    ON CONFLICT (case_id) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER surveys_changed_delete AFTER DELETE ON surveys BEGIN
    INSERT INTO case_changes (case_id, seq)
    VALUES (OLD.case_id, (SELECT COALESCE(MAX(seq), 0) + 1 FROM case_changes))
    ON CONFLICT (case_id) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER survey_scores_changed_insert AFTER INSERT ON survey_scores BEGIN
    INSERT INTO case_changes (case_id, seq)
    SELECT case_id, (SELECT COALESCE(MAX(seq), 0) + 1 FROM case_changes) FROM surveys
    WHERE id = NEW.survey_id
    ON CONFLICT (case_id) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER survey_scores_changed_update AFTER UPDATE ON survey_scores BEGIN
    INSERT INTO case_changes (case_id, seq)
    SELECT case_id, (SELECT COALESCE(MAX(seq), 0) + 1 FROM case_changes) FROM surveys
    WHERE id = NEW.survey_id
    ON CONFLICT (case_id) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER survey_scores_changed_delete AFTER DELETE ON survey_scores BEGIN
    INSERT INTO case_changes (case_id, seq)
    SELECT case_id, (SELECT COALESCE(MAX(seq), 0) + 1 FROM case_changes) FROM surveys
    WHERE id = OLD.survey_id
    ON CONFLICT (case_id) DO UPDATE SET seq = excluded.seq;
END;

-- Every case counts as changed once: a server that looked before this migration reloads.
INSERT INTO case_changes (case_id, seq) SELECT id, 1 FROM cases WHERE true;
