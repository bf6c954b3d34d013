-- Personal access tokens for the JSON API. The raw token ("cairn_" and 32
-- base64url characters) is shown once; only its SHA-256 is stored, so a
-- copy of the database cannot be used to call the API. A revoked token is
-- kept (revoked_at set) so that the account page and the audit log still
-- name it.

-- +goose Up
CREATE TABLE api_tokens (
    id           TEXT PRIMARY KEY,
    user_id      TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    program_id   TEXT NOT NULL REFERENCES programs (id),
    name         TEXT NOT NULL,
    token_hash   TEXT NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL,
    last_used_at TIMESTAMPTZ,
    revoked_at   TIMESTAMPTZ
);
CREATE UNIQUE INDEX api_tokens_hash ON api_tokens (token_hash);
CREATE INDEX api_tokens_user ON api_tokens (user_id, created_at);

-- +goose Down
DROP TABLE api_tokens;
