-- Notifications: the in-app list, each person's preferences per kind and
-- channel, their quiet hours, time zone and SMS number; and two outbox
-- columns so that text messages share the mail outbox and email can carry
-- extra headers (List-Unsubscribe).
--
-- A missing preference row means the default (see notify.Default): in-app
-- and email on, SMS off.

-- +goose Up
CREATE TABLE notifications (
    id         TEXT PRIMARY KEY,
    program_id TEXT NOT NULL REFERENCES programs (id),
    user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind       TEXT NOT NULL,
    title      TEXT NOT NULL,
    body       TEXT NOT NULL DEFAULT '',
    link       TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMPTZ NOT NULL,
    read_at    TIMESTAMPTZ
);
CREATE INDEX notifications_user ON notifications (user_id, created_at);
CREATE INDEX notifications_unread ON notifications (user_id, read_at);

CREATE TABLE notification_prefs (
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind    TEXT NOT NULL,
    channel TEXT NOT NULL CHECK (channel IN ('inapp', 'email', 'sms')),
    enabled BOOLEAN NOT NULL,
    PRIMARY KEY (user_id, kind, channel)
);

CREATE TABLE notification_settings (
    user_id     TEXT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    quiet_start TEXT NOT NULL DEFAULT '',
    quiet_end   TEXT NOT NULL DEFAULT '',
    time_zone   TEXT NOT NULL DEFAULT '',
    sms_phone   TEXT NOT NULL DEFAULT ''
);

ALTER TABLE mail_outbox ADD COLUMN channel TEXT NOT NULL DEFAULT 'email';
ALTER TABLE mail_outbox ADD COLUMN headers TEXT NOT NULL DEFAULT '';
CREATE INDEX mail_outbox_channel_due ON mail_outbox (channel, next_attempt_at);

-- +goose Down
DROP INDEX mail_outbox_channel_due;
ALTER TABLE mail_outbox DROP COLUMN headers;
ALTER TABLE mail_outbox DROP COLUMN channel;
DROP TABLE notification_settings;
DROP TABLE notification_prefs;
DROP TABLE notifications;
