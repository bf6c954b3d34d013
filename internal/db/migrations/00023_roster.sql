-- Roster import and "my data": the people a program enrolled from its
-- discharge list, the uploads waiting for a staff member's confirmation,
-- and account deletion requests.
--
-- roster_entries keeps what the roster said about each person (phone,
-- discharge and recovery dates, coach) until their account exists; email
-- is unique per program so that importing the same file twice changes
-- nothing. roster_uploads holds an uploaded CSV server-side between the
-- preview and the confirmation (never in a hidden form field).

-- +goose Up
CREATE TABLE roster_entries (
    id             TEXT PRIMARY KEY,
    program_id     TEXT NOT NULL REFERENCES programs (id),
    email          TEXT NOT NULL,
    first_name     TEXT NOT NULL,
    last_name      TEXT NOT NULL DEFAULT '',
    phone          TEXT NOT NULL DEFAULT '',
    discharge_date TEXT NOT NULL DEFAULT '',
    recovery_date  TEXT NOT NULL DEFAULT '',
    coach_id       TEXT NOT NULL DEFAULT '',
    invitation_id  TEXT NOT NULL DEFAULT '',
    imported_by    TEXT NOT NULL DEFAULT '',
    imported_at    TIMESTAMPTZ NOT NULL,
    applied_at     TIMESTAMPTZ
);
CREATE UNIQUE INDEX roster_entries_email ON roster_entries (program_id, email);
CREATE INDEX roster_entries_email_any ON roster_entries (email);

CREATE TABLE roster_uploads (
    id          TEXT PRIMARY KEY,
    program_id  TEXT NOT NULL REFERENCES programs (id),
    uploaded_by TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    csv         BYTEA NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX roster_uploads_created ON roster_uploads (created_at);

CREATE TABLE deletion_requests (
    id           TEXT PRIMARY KEY,
    program_id   TEXT NOT NULL REFERENCES programs (id),
    user_id      TEXT NOT NULL REFERENCES users (id),
    requested_at TIMESTAMPTZ NOT NULL,
    confirmed_at TIMESTAMPTZ,
    confirmed_by TEXT NOT NULL DEFAULT ''
);
CREATE INDEX deletion_requests_program ON deletion_requests (program_id, requested_at);
CREATE INDEX deletion_requests_user ON deletion_requests (user_id);

-- +goose Down
DROP TABLE deletion_requests;
DROP TABLE roster_uploads;
DROP TABLE roster_entries;
