-- Foundation: programs, accounts, sessions, invitations, resets, throttling,
-- the audit chain and the mail outbox.
--
-- One file for both engines: internal/db rewrites TIMESTAMPTZ to TIMESTAMP
-- and BYTEA to BLOB for SQLite. Instants are stored in UTC.

-- +goose Up
CREATE TABLE programs (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    timezone    TEXT NOT NULL,
    phone       TEXT NOT NULL DEFAULT '',
    address     TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL DEFAULT '',
    created_at  TIMESTAMPTZ NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL
);

CREATE TABLE users (
    id                  TEXT PRIMARY KEY,
    program_id          TEXT NOT NULL REFERENCES programs (id),
    email               TEXT NOT NULL,
    first_name          TEXT NOT NULL DEFAULT '',
    last_name           TEXT NOT NULL DEFAULT '',
    role                TEXT NOT NULL CHECK (role IN ('alumnus', 'family', 'coach', 'coordinator', 'admin')),
    password_hash       TEXT NOT NULL DEFAULT '',
    totp_secret         TEXT NOT NULL DEFAULT '',
    totp_enabled_at     TIMESTAMPTZ,
    totp_last_step      BIGINT NOT NULL DEFAULT 0,
    disabled_at         TIMESTAMPTZ,
    created_at          TIMESTAMPTZ NOT NULL,
    updated_at          TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX users_email ON users (email);
CREATE INDEX users_program ON users (program_id, role);

CREATE TABLE recovery_codes (
    user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    code_hash  TEXT NOT NULL,
    used_at    TIMESTAMPTZ,
    created_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (user_id, code_hash)
);

-- Server-side sessions. The cookie holds a random 128-bit token; only its
-- SHA-256 is stored, so a copy of the database cannot be used to sign in.
CREATE TABLE sessions (
    token_hash     TEXT PRIMARY KEY,
    id             TEXT NOT NULL,
    user_id        TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    program_id     TEXT NOT NULL REFERENCES programs (id),
    stage          TEXT NOT NULL DEFAULT 'full',
    user_agent     TEXT NOT NULL DEFAULT '',
    created_at     TIMESTAMPTZ NOT NULL,
    last_seen_at   TIMESTAMPTZ NOT NULL,
    idle_expires_at TIMESTAMPTZ NOT NULL,
    expires_at     TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX sessions_id ON sessions (id);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expiry ON sessions (expires_at);

CREATE TABLE invitations (
    id           TEXT PRIMARY KEY,
    program_id   TEXT NOT NULL REFERENCES programs (id),
    email        TEXT NOT NULL,
    role         TEXT NOT NULL CHECK (role IN ('alumnus', 'family', 'coach', 'coordinator', 'admin')),
    token_hash   TEXT NOT NULL,
    invited_by   TEXT REFERENCES users (id),
    created_at   TIMESTAMPTZ NOT NULL,
    expires_at   TIMESTAMPTZ NOT NULL,
    accepted_at  TIMESTAMPTZ,
    revoked_at   TIMESTAMPTZ,
    user_id      TEXT REFERENCES users (id)
);
CREATE UNIQUE INDEX invitations_token ON invitations (token_hash);
CREATE INDEX invitations_program ON invitations (program_id, created_at);

CREATE TABLE password_resets (
    token_hash  TEXT PRIMARY KEY,
    user_id     TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at  TIMESTAMPTZ NOT NULL,
    expires_at  TIMESTAMPTZ NOT NULL,
    used_at     TIMESTAMPTZ
);
CREATE INDEX password_resets_user ON password_resets (user_id);

-- Sign-in throttling, shared by every instance. key is an HMAC of the
-- account email or the client address, never the value itself.
CREATE TABLE signin_throttle (
    key           TEXT PRIMARY KEY,
    failures      INTEGER NOT NULL DEFAULT 0,
    last_failure  TIMESTAMPTZ NOT NULL,
    blocked_until TIMESTAMPTZ NOT NULL
);

-- The append-only, hash-chained audit log. seq orders the chain; hash is
-- SHA-256(previous hash || canonical entry). The application only inserts.
CREATE TABLE audit_log (
    seq          BIGINT PRIMARY KEY,
    id           TEXT NOT NULL,
    at           TIMESTAMPTZ NOT NULL,
    program_id   TEXT NOT NULL DEFAULT '',
    actor_id     TEXT NOT NULL DEFAULT '',
    actor_role   TEXT NOT NULL DEFAULT '',
    action       TEXT NOT NULL,
    subject_type TEXT NOT NULL DEFAULT '',
    subject_id   TEXT NOT NULL DEFAULT '',
    request_id   TEXT NOT NULL DEFAULT '',
    detail       TEXT NOT NULL DEFAULT '',
    prev_hash    TEXT NOT NULL,
    hash         TEXT NOT NULL
);
CREATE UNIQUE INDEX audit_log_id ON audit_log (id);
CREATE INDEX audit_log_program ON audit_log (program_id, seq);
CREATE INDEX audit_log_actor ON audit_log (actor_id, seq);

-- The chain's head, so that deleting the newest entries is caught too.
CREATE TABLE audit_head (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    seq  BIGINT NOT NULL,
    hash TEXT NOT NULL
);

-- Outgoing mail. Every message is recorded before it is sent; without an
-- SMTP server it stays queued and admins read it at /admin/outbox.
CREATE TABLE mail_outbox (
    id          TEXT PRIMARY KEY,
    program_id  TEXT NOT NULL DEFAULT '',
    to_address  TEXT NOT NULL,
    subject     TEXT NOT NULL,
    body_text   TEXT NOT NULL,
    body_html   TEXT NOT NULL DEFAULT '',
    status      TEXT NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'sent', 'failed')),
    error       TEXT NOT NULL DEFAULT '',
    attempts    INTEGER NOT NULL DEFAULT 0,
    created_at  TIMESTAMPTZ NOT NULL,
    sent_at     TIMESTAMPTZ
);
CREATE INDEX mail_outbox_status ON mail_outbox (status, created_at);

-- +goose Down
DROP TABLE mail_outbox;
DROP TABLE audit_head;
DROP TABLE audit_log;
DROP TABLE signin_throttle;
DROP TABLE password_resets;
DROP TABLE invitations;
DROP TABLE sessions;
DROP TABLE recovery_codes;
DROP TABLE users;
DROP TABLE programs;
