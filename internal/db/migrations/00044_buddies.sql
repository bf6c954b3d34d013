-- The buddy program: alumni offer to be a buddy (peer mentor) or ask for
-- one; a coordinator runs the matcher (internal/peers/match), reviews the
-- draft proposals and sends them; both people accept, and a pairing starts.
--
-- buddy_offers: one row per alumnus (status active, paused or withdrawn).
-- buddy_requests: an alumnus has at most one open request (waiting for a
-- match, or proposed while a sent proposal waits for answers).
-- buddy_proposals: draft -> dropped | replaced | sent -> accepted | declined.
-- Each person's answer is kept in its own column and is shown only to them.
-- buddy_pairings: the history of pairings; the live pair is also in the
-- symmetric buddies table (00020), which drives 'buddy' visibility.
-- Lists (times, reasons) are JSON arrays of strings in TEXT columns.

-- +goose Up
CREATE TABLE buddy_settings (
    program_id TEXT PRIMARY KEY REFERENCES programs (id),
    min_months INTEGER NOT NULL DEFAULT 12 CHECK (min_months >= 0),
    updated_at TIMESTAMPTZ NOT NULL,
    updated_by TEXT NOT NULL DEFAULT ''
);

CREATE TABLE buddy_offers (
    id            TEXT PRIMARY KEY,
    program_id    TEXT NOT NULL REFERENCES programs (id),
    user_id       TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    capacity      INTEGER NOT NULL CHECK (capacity BETWEEN 1 AND 3),
    contact_times TEXT NOT NULL DEFAULT '[]',
    availability  TEXT NOT NULL DEFAULT '',
    about         TEXT NOT NULL DEFAULT '',
    meeting       TEXT NOT NULL DEFAULT 'either' CHECK (meeting IN ('in_person', 'online', 'either')),
    gender        TEXT NOT NULL DEFAULT '',
    life_stage    TEXT NOT NULL DEFAULT '',
    status        TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'paused', 'withdrawn')),
    created_at    TIMESTAMPTZ NOT NULL,
    updated_at    TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX buddy_offers_user ON buddy_offers (user_id);
CREATE INDEX buddy_offers_program ON buddy_offers (program_id, status);

CREATE TABLE buddy_requests (
    id               TEXT PRIMARY KEY,
    program_id       TEXT NOT NULL REFERENCES programs (id),
    user_id          TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    hopes            TEXT NOT NULL DEFAULT '',
    want_gender      TEXT NOT NULL DEFAULT '',
    want_language    BOOLEAN NOT NULL DEFAULT FALSE,
    pathway          TEXT NOT NULL DEFAULT '',
    meeting          TEXT NOT NULL DEFAULT 'either' CHECK (meeting IN ('in_person', 'online', 'either')),
    life_stage       TEXT NOT NULL DEFAULT '',
    open_to_previous BOOLEAN NOT NULL DEFAULT FALSE,
    status           TEXT NOT NULL DEFAULT 'waiting' CHECK (status IN ('waiting', 'proposed', 'matched', 'withdrawn')),
    created_at       TIMESTAMPTZ NOT NULL,
    updated_at       TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX buddy_requests_open ON buddy_requests (user_id) WHERE status IN ('waiting', 'proposed');
CREATE INDEX buddy_requests_program ON buddy_requests (program_id, status);

CREATE TABLE buddy_runs (
    id         TEXT PRIMARY KEY,
    program_id TEXT NOT NULL REFERENCES programs (id),
    run_by     TEXT NOT NULL DEFAULT '',
    requests   INTEGER NOT NULL DEFAULT 0,
    offers     INTEGER NOT NULL DEFAULT 0,
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX buddy_runs_program ON buddy_runs (program_id, created_at);

CREATE TABLE buddy_proposals (
    id              TEXT PRIMARY KEY,
    program_id      TEXT NOT NULL REFERENCES programs (id),
    run_id          TEXT NOT NULL REFERENCES buddy_runs (id),
    request_id      TEXT NOT NULL REFERENCES buddy_requests (id) ON DELETE CASCADE,
    offer_id        TEXT NOT NULL REFERENCES buddy_offers (id) ON DELETE CASCADE,
    requester_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    buddy_id        TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    score           INTEGER NOT NULL DEFAULT 0,
    reasons         TEXT NOT NULL DEFAULT '[]',
    status          TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'dropped', 'replaced', 'sent', 'accepted', 'declined', 'withdrawn')),
    requester_answer TEXT NOT NULL DEFAULT '' CHECK (requester_answer IN ('', 'accepted', 'declined')),
    buddy_answer    TEXT NOT NULL DEFAULT '' CHECK (buddy_answer IN ('', 'accepted', 'declined')),
    created_at      TIMESTAMPTZ NOT NULL,
    sent_at         TIMESTAMPTZ,
    decided_at      TIMESTAMPTZ
);
CREATE INDEX buddy_proposals_program ON buddy_proposals (program_id, status);
CREATE INDEX buddy_proposals_requester ON buddy_proposals (requester_id, status);
CREATE INDEX buddy_proposals_buddy ON buddy_proposals (buddy_id, status);

CREATE TABLE buddy_pairings (
    id              TEXT PRIMARY KEY,
    program_id      TEXT NOT NULL REFERENCES programs (id),
    proposal_id     TEXT NOT NULL DEFAULT '',
    requester_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    buddy_id        TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    offer_id        TEXT NOT NULL DEFAULT '',
    conversation_id TEXT NOT NULL DEFAULT '',
    started_at      TIMESTAMPTZ NOT NULL,
    ended_at        TIMESTAMPTZ,
    ended_by        TEXT NOT NULL DEFAULT ''
);
CREATE INDEX buddy_pairings_requester ON buddy_pairings (requester_id, started_at);
CREATE INDEX buddy_pairings_buddy ON buddy_pairings (buddy_id, started_at);
CREATE INDEX buddy_pairings_program ON buddy_pairings (program_id, ended_at);

-- +goose Down
DROP TABLE buddy_pairings;
DROP TABLE buddy_proposals;
DROP TABLE buddy_runs;
DROP TABLE buddy_requests;
DROP TABLE buddy_offers;
DROP TABLE buddy_settings;
