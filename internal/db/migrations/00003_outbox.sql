-- Delivery bookkeeping for the mail outbox: when a message may next be
-- tried (a claim pushes it into the future, so a crashed sender's claim
-- expires and the message is retried), and when it was last tried.
-- A message is due when its status is queued or failed and next_attempt_at
-- has passed; a message that is sent or has given up has none.

-- +goose Up
ALTER TABLE mail_outbox ADD COLUMN next_attempt_at TIMESTAMPTZ;
ALTER TABLE mail_outbox ADD COLUMN last_attempt_at TIMESTAMPTZ;
UPDATE mail_outbox SET next_attempt_at = created_at WHERE status = 'queued';
CREATE INDEX mail_outbox_due ON mail_outbox (next_attempt_at);

-- +goose Down
DROP INDEX mail_outbox_due;
ALTER TABLE mail_outbox DROP COLUMN last_attempt_at;
ALTER TABLE mail_outbox DROP COLUMN next_attempt_at;
