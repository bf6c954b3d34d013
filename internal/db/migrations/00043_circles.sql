-- Circles: groups of a program around an interest, a cohort (the month
-- members finished treatment) or family. A circle has members (with a
-- state: 'member' or 'requested' for by-request circles), moderators
-- (chosen alumni; the program's staff always moderate), posts, comments
-- and reactions.
--
-- Counts are kept with their rows (circles.member_count, the comment and
-- reaction counts of circle_posts), changed in the transaction of each
-- join, leave, comment and reaction, so that a page of posts reads them
-- without counting.
--
-- Posts and comments are stored as typed; hidden is set by a moderator
-- (or by the moderation queue) and shows "Removed by a moderator.".
-- deleted_at marks what its author or a moderator deleted; the row stays
-- so that reports about it can still be read by staff.

-- +goose Up
CREATE TABLE circles (
    id          TEXT PRIMARY KEY,
    program_id  TEXT NOT NULL REFERENCES programs (id),
    kind        TEXT NOT NULL CHECK (kind IN ('interest', 'cohort', 'family')),
    name        TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    -- interest is the profile interest the circle is about ('' for none),
    -- used to suggest the circle to members who list it.
    interest    TEXT NOT NULL DEFAULT '',
    join_policy TEXT NOT NULL CHECK (join_policy IN ('open', 'request')),
    archived    BOOLEAN NOT NULL DEFAULT FALSE,
    member_count INTEGER NOT NULL DEFAULT 0,
    created_by  TEXT NOT NULL DEFAULT '',
    created_at  TIMESTAMPTZ NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX circles_program ON circles (program_id, archived, name);

CREATE TABLE circle_members (
    circle_id  TEXT NOT NULL REFERENCES circles (id) ON DELETE CASCADE,
    user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    program_id TEXT NOT NULL REFERENCES programs (id),
    state      TEXT NOT NULL CHECK (state IN ('member', 'requested')),
    moderator  BOOLEAN NOT NULL DEFAULT FALSE,
    joined_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (circle_id, user_id)
);
CREATE INDEX circle_members_user ON circle_members (user_id, state);

CREATE TABLE circle_posts (
    id          TEXT PRIMARY KEY,
    circle_id   TEXT NOT NULL REFERENCES circles (id) ON DELETE CASCADE,
    program_id  TEXT NOT NULL REFERENCES programs (id),
    author_id   TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    body        TEXT NOT NULL,
    pinned      BOOLEAN NOT NULL DEFAULT FALSE,
    hidden      BOOLEAN NOT NULL DEFAULT FALSE,
    deleted_at  TIMESTAMPTZ,
    created_at  TIMESTAMPTZ NOT NULL,
    edited_at   TIMESTAMPTZ,
    comment_count   INTEGER NOT NULL DEFAULT 0,
    heart_count     INTEGER NOT NULL DEFAULT 0,
    thanks_count    INTEGER NOT NULL DEFAULT 0,
    strength_count  INTEGER NOT NULL DEFAULT 0,
    celebrate_count INTEGER NOT NULL DEFAULT 0
);
-- The post list: pinned first, then newest first, with a cursor.
CREATE INDEX circle_posts_list ON circle_posts (circle_id, pinned, created_at, id);

CREATE TABLE circle_comments (
    id          TEXT PRIMARY KEY,
    post_id     TEXT NOT NULL REFERENCES circle_posts (id) ON DELETE CASCADE,
    circle_id   TEXT NOT NULL REFERENCES circles (id) ON DELETE CASCADE,
    program_id  TEXT NOT NULL REFERENCES programs (id),
    author_id   TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    body        TEXT NOT NULL,
    hidden      BOOLEAN NOT NULL DEFAULT FALSE,
    deleted_at  TIMESTAMPTZ,
    created_at  TIMESTAMPTZ NOT NULL,
    edited_at   TIMESTAMPTZ
);
CREATE INDEX circle_comments_post ON circle_comments (post_id, created_at);

CREATE TABLE circle_reactions (
    post_id    TEXT NOT NULL REFERENCES circle_posts (id) ON DELETE CASCADE,
    user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind       TEXT NOT NULL CHECK (kind IN ('heart', 'thanks', 'strength', 'celebrate')),
    created_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (post_id, user_id, kind)
);

-- +goose Down
DROP TABLE circle_reactions;
DROP TABLE circle_comments;
DROP TABLE circle_posts;
DROP TABLE circle_members;
DROP TABLE circles;
