-- One row per member whose crisis flags have told staff: when they were
-- last told. A flag claims the notification with one conditional upsert
-- (see internal/peers/crisis/flag.go), so that of two flags written at
-- the same moment only one tells the coach (at most one per 30 minutes).
-- Filled from the flags that notified before this table existed.

-- +goose Up
CREATE TABLE crisis_notify_claims (
    user_id     TEXT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    notified_at TIMESTAMPTZ NOT NULL
);
INSERT INTO crisis_notify_claims (user_id, notified_at)
    SELECT user_id, MAX(created_at) FROM crisis_flags WHERE notified = TRUE GROUP BY user_id;

-- +goose Down
DROP TABLE crisis_notify_claims;
