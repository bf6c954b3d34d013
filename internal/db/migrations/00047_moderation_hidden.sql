-- A profile hidden by a moderator is kept apart from the member's own
-- choice to be hidden from the directory, so that lifting the one never
-- undoes the other.

-- +goose Up
ALTER TABLE profiles ADD COLUMN moderation_hidden BOOLEAN NOT NULL DEFAULT FALSE;

-- +goose Down
ALTER TABLE profiles DROP COLUMN moderation_hidden;
