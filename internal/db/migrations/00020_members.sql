-- Members: profiles with per-field visibility, coach assignments, buddy
-- pairs, profile photos and the program's list of interests.
--
-- Lists (languages, interests, pathways) are JSON arrays of strings in TEXT
-- columns. Visibility columns hold one of 'me', 'coach', 'buddy', 'program'.

-- +goose Up
CREATE TABLE profiles (
    user_id        TEXT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    program_id     TEXT NOT NULL REFERENCES programs (id),
    pronouns       TEXT NOT NULL DEFAULT '',
    bio            TEXT NOT NULL DEFAULT '',
    city           TEXT NOT NULL DEFAULT '',
    languages      TEXT NOT NULL DEFAULT '[]',
    interests      TEXT NOT NULL DEFAULT '[]',
    pathways       TEXT NOT NULL DEFAULT '[]',
    contact_times  TEXT NOT NULL DEFAULT '',
    hidden         BOOLEAN NOT NULL DEFAULT FALSE,
    vis_recovery   TEXT NOT NULL DEFAULT 'coach',
    vis_milestones TEXT NOT NULL DEFAULT 'coach',
    vis_pathways   TEXT NOT NULL DEFAULT 'coach',
    vis_checkins   TEXT NOT NULL DEFAULT 'coach',
    photo_id       TEXT,
    updated_at     TIMESTAMPTZ NOT NULL
);
CREATE INDEX profiles_program ON profiles (program_id);

CREATE TABLE coach_assignments (
    member_id  TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    coach_id   TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    program_id TEXT NOT NULL REFERENCES programs (id),
    PRIMARY KEY (member_id, coach_id)
);
CREATE INDEX coach_assignments_coach ON coach_assignments (coach_id);

-- Buddy pairs are symmetric: each pair is stored in both directions.
CREATE TABLE buddies (
    member_id  TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    buddy_id   TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    program_id TEXT NOT NULL REFERENCES programs (id),
    PRIMARY KEY (member_id, buddy_id)
);

-- Photos are stored re-encoded (no metadata) and served by the app.
CREATE TABLE photos (
    id           TEXT PRIMARY KEY,
    user_id      TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    content_type TEXT NOT NULL,
    data         BYTEA NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL
);
CREATE INDEX photos_user ON photos (user_id);

-- The interests a program offers on the profile form; members may add
-- their own as well.
CREATE TABLE program_interests (
    program_id TEXT NOT NULL REFERENCES programs (id),
    name       TEXT NOT NULL,
    PRIMARY KEY (program_id, name)
);

-- +goose Down
DROP TABLE program_interests;
DROP TABLE photos;
DROP TABLE buddies;
DROP TABLE coach_assignments;
DROP TABLE profiles;
