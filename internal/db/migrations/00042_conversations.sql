-- Conversations: direct (two people) and group (up to 50) messages.
--
-- Message bodies are encrypted at rest (AES-256-GCM, a random nonce per
-- message) under a data key of the program. Data keys are random and kept
-- only wrapped under a key derived from the installation's secret key;
-- each message names the key it is encrypted with, so that a key can be
-- rotated and old messages re-encrypted in batches. At most one key of a
-- program is active (the one new messages use).
--
-- direct_key is "smaller id:larger id" for a direct conversation (NULL for
-- groups), so that two people have at most one direct conversation.
-- last_message_at orders the list; sent_at increases strictly inside a
-- conversation, so that "read up to" is one instant per member.
-- notified_at is when the member was last notified about the conversation
-- (one notification per conversation per member per hour at most);
-- seen_at is when they last marked it read (someone reading it right now
-- is not notified).

-- +goose Up
CREATE TABLE conversation_keys (
    id         TEXT PRIMARY KEY,
    program_id TEXT NOT NULL REFERENCES programs (id),
    wrapped    BYTEA NOT NULL,
    active     BOOLEAN NOT NULL DEFAULT FALSE,
    created_at TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX conversation_keys_current ON conversation_keys (program_id) WHERE active;

CREATE TABLE conversations (
    id              TEXT PRIMARY KEY,
    program_id      TEXT NOT NULL REFERENCES programs (id),
    kind            TEXT NOT NULL CHECK (kind IN ('direct', 'group')),
    title           TEXT NOT NULL DEFAULT '',
    direct_key      TEXT UNIQUE,
    created_by      TEXT NOT NULL DEFAULT '',
    created_at      TIMESTAMPTZ NOT NULL,
    last_message_at TIMESTAMPTZ NOT NULL,
    last_message_id TEXT NOT NULL DEFAULT ''
);
CREATE INDEX conversations_program ON conversations (program_id, last_message_at);

CREATE TABLE conversation_members (
    conversation_id TEXT NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    user_id         TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    program_id      TEXT NOT NULL REFERENCES programs (id),
    joined_at       TIMESTAMPTZ NOT NULL,
    last_read_at    TIMESTAMPTZ,
    last_read_id    TEXT NOT NULL DEFAULT '',
    muted           BOOLEAN NOT NULL DEFAULT FALSE,
    notified_at     TIMESTAMPTZ,
    seen_at         TIMESTAMPTZ,
    PRIMARY KEY (conversation_id, user_id)
);
CREATE INDEX conversation_members_user ON conversation_members (user_id);

CREATE TABLE conversation_messages (
    id              TEXT PRIMARY KEY,
    conversation_id TEXT NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    program_id      TEXT NOT NULL REFERENCES programs (id),
    author_id       TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    key_id          TEXT NOT NULL REFERENCES conversation_keys (id),
    nonce           BYTEA NOT NULL,
    body            BYTEA NOT NULL,
    sent_at         TIMESTAMPTZ NOT NULL,
    hidden          BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE INDEX conversation_messages_conv ON conversation_messages (conversation_id, sent_at);
CREATE INDEX conversation_messages_key ON conversation_messages (program_id, key_id);

-- +goose Down
DROP TABLE conversation_messages;
DROP TABLE conversation_members;
DROP TABLE conversations;
DROP TABLE conversation_keys;
