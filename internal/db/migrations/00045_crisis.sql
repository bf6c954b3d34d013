-- Crisis language: one row each time something a member wrote held crisis
-- language (see internal/peers/crisis), and each time a member asked their
-- coach to reach out now from the support page. Never the words: only who,
-- what kind of content (message, post, note, ...) and its id, and when.
-- notified says whether this flag told the coach; at most one flag per
-- member in 30 minutes does.

-- +goose Up
CREATE TABLE crisis_flags (
    id          TEXT PRIMARY KEY,
    program_id  TEXT NOT NULL REFERENCES programs (id),
    user_id     TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    source_kind TEXT NOT NULL,
    source_id   TEXT NOT NULL DEFAULT '',
    notified    BOOLEAN NOT NULL DEFAULT FALSE,
    created_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX crisis_flags_user ON crisis_flags (user_id, created_at);
CREATE INDEX crisis_flags_program ON crisis_flags (program_id, created_at);

CREATE TABLE crisis_reach_outs (
    id         TEXT PRIMARY KEY,
    program_id TEXT NOT NULL REFERENCES programs (id),
    user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX crisis_reach_outs_user ON crisis_reach_outs (user_id, created_at);

-- +goose Down
DROP TABLE crisis_reach_outs;
DROP TABLE crisis_flags;
