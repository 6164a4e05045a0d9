-- Notifications: what happened on a case that a person must act on or know. Shown in the
-- application until read; emailed when the person chose so for the kind (`email` holds
-- the choice when it was made: off, now or daily; `emailed_at` when it went out).
-- `subject_id` names what a repeated check notices once (the task of task_overdue).
CREATE TABLE notifications (
    id INTEGER PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id),
    case_id BIGINT NOT NULL REFERENCES cases (id),
    kind TEXT NOT NULL,
    detail TEXT NOT NULL DEFAULT '',
    subject_id BIGINT,
    by_user_id BIGINT REFERENCES users (id),
    created_at TEXT NOT NULL,
    read_at TEXT,
    email TEXT NOT NULL DEFAULT 'off',
    emailed_at TEXT
);
CREATE INDEX notifications_user ON notifications (user_id, id);
CREATE INDEX notifications_unread ON notifications (user_id, case_id) WHERE read_at IS NULL;
CREATE INDEX notifications_to_mail ON notifications (email, created_at) WHERE emailed_at IS NULL AND email <> 'off';
CREATE UNIQUE INDEX notifications_once ON notifications (user_id, kind, subject_id) WHERE subject_id IS NOT NULL;

-- How each person hears of each kind by email; a kind without a row is off.
CREATE TABLE notification_choices (
    user_id BIGINT NOT NULL REFERENCES users (id),
    kind TEXT NOT NULL,
    email TEXT NOT NULL,
    PRIMARY KEY (user_id, kind)
);
