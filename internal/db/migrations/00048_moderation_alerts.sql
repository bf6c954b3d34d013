-- Moderation alerts and message-key rotations.
--
-- moderation_alerts holds, per staff member, the last notification that a
-- new report is waiting (safety.notifyStaff): no new one is sent while it
-- is unread, or, for someone with in-app notifications off
-- (notification_id empty), for an hour after it.
--
-- conversation_key_rotations records each rotation of a program's message
-- key asked for on the admin page: who asked, when the background job ran,
-- how many messages it re-encrypted and, if it failed, a short error
-- without message contents.

-- +goose Up
CREATE TABLE moderation_alerts (
    user_id         TEXT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    notified_at     TIMESTAMPTZ NOT NULL,
    notification_id TEXT NOT NULL DEFAULT ''
);

CREATE TABLE conversation_key_rotations (
    id           TEXT PRIMARY KEY,
    program_id   TEXT NOT NULL REFERENCES programs (id),
    requested_by TEXT NOT NULL DEFAULT '',
    requested_at TIMESTAMPTZ NOT NULL,
    started_at   TIMESTAMPTZ,
    finished_at  TIMESTAMPTZ,
    status       TEXT NOT NULL CHECK (status IN ('queued', 'running', 'done', 'failed')),
    messages     INTEGER NOT NULL DEFAULT 0,
    error        TEXT NOT NULL DEFAULT ''
);
CREATE INDEX conversation_key_rotations_program ON conversation_key_rotations (program_id, requested_at);

-- +goose Down
DROP TABLE conversation_key_rotations;
DROP TABLE moderation_alerts;
