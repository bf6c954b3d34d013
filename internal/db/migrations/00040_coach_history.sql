-- Coach assignment history: every primary coach a member has had, with
-- when the assignment started and ended (NULL while current) and who made it.

-- +goose Up
CREATE TABLE coach_assignment_history (
    member_id   TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    coach_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    program_id  TEXT NOT NULL REFERENCES programs (id),
    started_at  TIMESTAMPTZ NOT NULL,
    ended_at    TIMESTAMPTZ,
    assigned_by TEXT NOT NULL DEFAULT ''
);
CREATE INDEX coach_assignment_history_member ON coach_assignment_history (member_id, started_at);

-- +goose Down
DROP TABLE coach_assignment_history;
