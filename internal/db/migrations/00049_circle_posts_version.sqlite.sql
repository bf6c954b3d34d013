-- A circle's posts_version is raised in the transaction of every change to
-- what its list of posts shows: a post written, edited, deleted, pinned or
-- hidden, a comment added or deleted, a reaction given or taken back (by
-- internal/peers/circles), and a change to the name of one of its posts'
-- authors (by the trigger below, so that no code that renames a person,
-- such as an account's deletion, can forget it). Each instance keeps the
-- first page of a circle's posts in memory and reads this number with the
-- circle on every request, to know whether its copy is still current.
-- (SQLite's half; the PostgreSQL file says the same in its dialect.)

-- +goose Up
ALTER TABLE circles ADD COLUMN posts_version BIGINT NOT NULL DEFAULT 0;
CREATE INDEX circle_posts_author ON circle_posts (author_id, circle_id);
-- A circle's page lists its upcoming events (circles.Upcoming).
CREATE INDEX events_circle ON events (circle_id, program_id);
-- +goose StatementBegin
CREATE TRIGGER circle_posts_author_renamed AFTER UPDATE OF first_name, last_name, email ON users
WHEN OLD.first_name IS NOT NEW.first_name OR OLD.last_name IS NOT NEW.last_name OR OLD.email IS NOT NEW.email
BEGIN
    UPDATE circles SET posts_version = posts_version + 1
    WHERE id IN (SELECT circle_id FROM circle_posts WHERE author_id = NEW.id);
END;
-- +goose StatementEnd
-- A post's row removed (an account or a circle removed with its rows).
-- +goose StatementBegin
CREATE TRIGGER circle_posts_removed AFTER DELETE ON circle_posts
BEGIN
    UPDATE circles SET posts_version = posts_version + 1 WHERE id = OLD.circle_id;
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER circle_posts_removed;
DROP TRIGGER circle_posts_author_renamed;
DROP INDEX events_circle;
DROP INDEX circle_posts_author;
ALTER TABLE circles DROP COLUMN posts_version;
