-- Recovery periods, each member's recovery settings, and each program's
-- milestone schedule.
--
-- Dates are civil dates stored as TEXT 'YYYY-MM-DD', so that text order is
-- date order on both engines.

-- +goose Up
-- A member's recovery periods. The current one has no end_date; a reset
-- after a lapse closes it (end_date = the new start - 1 day) and opens a
-- new one, so the history is kept. note is private to the member.
CREATE TABLE recovery_periods (
    id          TEXT PRIMARY KEY,
    program_id  TEXT NOT NULL REFERENCES programs (id),
    user_id     TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    start_date  TEXT NOT NULL,
    end_date    TEXT,
    note        TEXT NOT NULL DEFAULT '',
    created_at  TIMESTAMPTZ NOT NULL,
    created_by  TEXT NOT NULL DEFAULT ''
);
CREATE INDEX recovery_periods_user ON recovery_periods (user_id, start_date);
CREATE UNIQUE INDEX recovery_periods_current ON recovery_periods (user_id) WHERE end_date IS NULL;
-- Holds every column the upcoming-milestones list reads first.
CREATE INDEX recovery_periods_program_current ON recovery_periods (program_id, end_date, start_date, user_id);

-- What a member chose about their recovery date.
CREATE TABLE recovery_settings (
    user_id                 TEXT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    program_id              TEXT NOT NULL REFERENCES programs (id),
    coach_may_edit_recovery BOOLEAN NOT NULL DEFAULT FALSE,
    show_total              BOOLEAN NOT NULL DEFAULT FALSE,
    updated_at              TIMESTAMPTZ NOT NULL
);

-- A program's own milestone schedule; a program with no rows uses the
-- default. After the last position a milestone falls on every anniversary.
CREATE TABLE milestone_schedules (
    program_id TEXT NOT NULL REFERENCES programs (id),
    position   INTEGER NOT NULL,
    label      TEXT NOT NULL,
    unit       TEXT NOT NULL CHECK (unit IN ('hours', 'days', 'months', 'years')),
    amount     INTEGER NOT NULL CHECK (amount > 0),
    PRIMARY KEY (program_id, position)
);

-- +goose Down
DROP TABLE milestone_schedules;
DROP TABLE recovery_settings;
DROP TABLE recovery_periods;
