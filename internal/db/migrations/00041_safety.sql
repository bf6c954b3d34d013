-- Safety: blocks between people, reports to staff, and account suspensions.
--
-- A block is one-way in storage (blocker_id blocked blocked_id) and
-- two-way in effect: neither sees, finds, messages or is matched with the
-- other. The blocked person is never told.
--
-- A report names content by kind ('person', 'message', 'post', 'comment')
-- and the content's id; author_id is whom it is about. reporter_id is
-- shown to staff only, never to the author. One reporter has at most one
-- open report on the same content.
--
-- A suspension is active while lifted_at is NULL and ends_at is NULL (no end)
-- or still ahead. Rows are kept when lifted, as the account's history.

-- +goose Up
CREATE TABLE blocks (
    blocker_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    blocked_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    program_id TEXT NOT NULL REFERENCES programs (id),
    created_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (blocker_id, blocked_id)
);
CREATE INDEX blocks_blocked ON blocks (blocked_id);

CREATE TABLE reports (
    id          TEXT PRIMARY KEY,
    program_id  TEXT NOT NULL REFERENCES programs (id),
    kind        TEXT NOT NULL,
    content_id  TEXT NOT NULL,
    author_id   TEXT NOT NULL DEFAULT '',
    reporter_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    reason      TEXT NOT NULL CHECK (reason IN ('harassment', 'spam', 'unsafe', 'privacy', 'other')),
    note        TEXT NOT NULL DEFAULT '',
    status      TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'actioned', 'dismissed')),
    created_at  TIMESTAMPTZ NOT NULL,
    closed_at   TIMESTAMPTZ,
    closed_by   TEXT NOT NULL DEFAULT ''
);
CREATE INDEX reports_queue ON reports (program_id, status, created_at);
CREATE INDEX reports_content ON reports (kind, content_id);
CREATE UNIQUE INDEX reports_open_once ON reports (reporter_id, kind, content_id) WHERE status = 'open';

CREATE TABLE suspensions (
    id           TEXT PRIMARY KEY,
    user_id      TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    program_id   TEXT NOT NULL REFERENCES programs (id),
    reason       TEXT NOT NULL DEFAULT '',
    ends_at      TIMESTAMPTZ,
    report_id    TEXT NOT NULL DEFAULT '',
    suspended_by TEXT NOT NULL DEFAULT '',
    created_at   TIMESTAMPTZ NOT NULL,
    lifted_at    TIMESTAMPTZ,
    lifted_by    TEXT NOT NULL DEFAULT ''
);
CREATE INDEX suspensions_user ON suspensions (user_id, lifted_at);

-- +goose Down
DROP TABLE suspensions;
DROP TABLE reports;
DROP TABLE blocks;
