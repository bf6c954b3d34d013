-- Milestone celebrations: whom a member wants told on the day (their coach,
-- their buddy), and which milestones have been celebrated, so that each is
-- celebrated exactly once however often the job runs and on however many
-- instances.

-- +goose Up
ALTER TABLE recovery_settings ADD COLUMN celebrate_coach BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE recovery_settings ADD COLUMN celebrate_buddy BOOLEAN NOT NULL DEFAULT FALSE;

CREATE TABLE milestone_celebrations (
    user_id        TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    milestone_date TEXT NOT NULL,
    label          TEXT NOT NULL,
    created_at     TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (user_id, milestone_date)
);

-- +goose Down
DROP TABLE milestone_celebrations;
ALTER TABLE recovery_settings DROP COLUMN celebrate_buddy;
ALTER TABLE recovery_settings DROP COLUMN celebrate_coach;
