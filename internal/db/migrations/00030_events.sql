-- Events: one-off and recurring gatherings, their occurrences (kept as
-- rows up to a horizon, so that listing is an index scan and capacity,
-- RSVPs and attendance belong to an occurrence), RSVPs with waitlists,
-- attendance, milestone-dinner honorees, reminders sent, each program's
-- event settings and each member's private calendar feed.
--
-- Local times are TEXT in the program's time zone: 'YYYY-MM-DDTHH:MM' for
-- a start, 'YYYY-MM-DD' for an occurrence id (its original local date).

-- +goose Up
CREATE TABLE events (
    id                 TEXT PRIMARY KEY,
    program_id         TEXT NOT NULL REFERENCES programs (id),
    -- series_id is shared by the parts of a series split by a "this and
    -- following" change; it is the id of the first part.
    series_id          TEXT NOT NULL,
    kind               TEXT NOT NULL CHECK (kind IN ('weekly_meeting', 'family_dinner', 'milestone_dinner', 'activity', 'workshop')),
    title              TEXT NOT NULL,
    description        TEXT NOT NULL DEFAULT '',
    location_name      TEXT NOT NULL DEFAULT '',
    address            TEXT NOT NULL DEFAULT '',
    online_url         TEXT NOT NULL DEFAULT '',
    starts_local       TEXT NOT NULL,
    duration_minutes   INTEGER NOT NULL CHECK (duration_minutes > 0),
    rrule              TEXT NOT NULL DEFAULT '',
    -- first_date and last_date bound the local dates of its occurrences;
    -- last_date is NULL for a series without end.
    first_date         TEXT NOT NULL,
    last_date          TEXT,
    -- Occurrences exist as rows up to materialized_until (a local date).
    materialized_until TEXT NOT NULL,
    capacity           INTEGER CHECK (capacity IS NULL OR capacity > 0),
    audience           TEXT NOT NULL CHECK (audience IN ('alumni', 'alumni_family', 'staff', 'public')),
    host_id            TEXT REFERENCES users (id) ON DELETE SET NULL,
    accessibility      TEXT NOT NULL DEFAULT '',
    circle_id          TEXT,
    rsvp_close_minutes INTEGER NOT NULL DEFAULT 0 CHECK (rsvp_close_minutes >= 0),
    -- A milestone dinner honours the milestones from window_start to
    -- window_end (local dates); NULL for other kinds (then the occurrence's
    -- calendar month is used).
    window_start       TEXT,
    window_end         TEXT,
    sequence           INTEGER NOT NULL DEFAULT 0,
    cancelled_at       TIMESTAMPTZ,
    created_at         TIMESTAMPTZ NOT NULL,
    updated_at         TIMESTAMPTZ NOT NULL,
    created_by         TEXT NOT NULL DEFAULT ''
);
CREATE INDEX events_program ON events (program_id, first_date);
CREATE INDEX events_series ON events (series_id);

-- One row per occurrence up to the event's horizon. occurrence is the
-- original local date, which stays the id when one occurrence is moved.
CREATE TABLE event_occurrences (
    event_id         TEXT NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    occurrence       TEXT NOT NULL,
    program_id       TEXT NOT NULL REFERENCES programs (id),
    starts_at        TIMESTAMPTZ NOT NULL,
    ends_at          TIMESTAMPTZ NOT NULL,
    cancelled        BOOLEAN NOT NULL DEFAULT FALSE,
    -- moved: this occurrence's time or place differs from the series'.
    moved            BOOLEAN NOT NULL DEFAULT FALSE,
    location_name    TEXT,
    address          TEXT,
    note             TEXT NOT NULL DEFAULT '',
    -- People (members and their guests) confirmed, kept in the same
    -- transaction as every RSVP change; the row is the capacity lock.
    confirmed_people INTEGER NOT NULL DEFAULT 0,
    -- The next waitlist position to hand out.
    waitlist_next    INTEGER NOT NULL DEFAULT 1,
    sequence         INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (event_id, occurrence)
);
CREATE INDEX event_occurrences_program_start ON event_occurrences (program_id, starts_at);

-- A member's answer for one occurrence. state: confirmed (has seats),
-- waitlisted (in order of waitlist_position), tentative (maybe), declined.
-- adults counts the member; people = adults + children.
CREATE TABLE event_rsvps (
    id                TEXT PRIMARY KEY,
    event_id          TEXT NOT NULL,
    occurrence        TEXT NOT NULL,
    program_id        TEXT NOT NULL REFERENCES programs (id),
    user_id           TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    status            TEXT NOT NULL CHECK (status IN ('yes', 'maybe', 'no')),
    state             TEXT NOT NULL CHECK (state IN ('confirmed', 'waitlisted', 'tentative', 'declined')),
    adults            INTEGER NOT NULL DEFAULT 1 CHECK (adults >= 0),
    children          INTEGER NOT NULL DEFAULT 0 CHECK (children >= 0),
    dietary           TEXT NOT NULL DEFAULT '',
    waitlist_position INTEGER,
    -- show_me: the member agreed to appear on the attendee list that other
    -- members see (staff always see it).
    show_me           BOOLEAN NOT NULL DEFAULT FALSE,
    created_at        TIMESTAMPTZ NOT NULL,
    updated_at        TIMESTAMPTZ NOT NULL,
    FOREIGN KEY (event_id, occurrence) REFERENCES event_occurrences (event_id, occurrence) ON DELETE CASCADE,
    UNIQUE (event_id, occurrence, user_id)
);
CREATE INDEX event_rsvps_user ON event_rsvps (user_id, state);
CREATE INDEX event_rsvps_waitlist ON event_rsvps (event_id, occurrence, state, waitlist_position);

-- Who came. user_id is NULL for a walk-in known only by name.
CREATE TABLE event_attendance (
    id            TEXT PRIMARY KEY,
    event_id      TEXT NOT NULL,
    occurrence    TEXT NOT NULL,
    program_id    TEXT NOT NULL REFERENCES programs (id),
    user_id       TEXT REFERENCES users (id) ON DELETE CASCADE,
    walk_in_name  TEXT NOT NULL DEFAULT '',
    method        TEXT NOT NULL CHECK (method IN ('staff', 'code', 'walk_in')),
    checked_in_at TIMESTAMPTZ NOT NULL,
    checked_in_by TEXT NOT NULL DEFAULT '',
    FOREIGN KEY (event_id, occurrence) REFERENCES event_occurrences (event_id, occurrence) ON DELETE CASCADE
);
CREATE UNIQUE INDEX event_attendance_member ON event_attendance (event_id, occurrence, user_id) WHERE user_id IS NOT NULL;
CREATE INDEX event_attendance_user ON event_attendance (user_id, checked_in_at);

-- Milestone-dinner honorees. state: added (computed or added by staff),
-- removed (taken off by staff; stays off when the list is recomputed).
CREATE TABLE event_honorees (
    event_id        TEXT NOT NULL,
    occurrence      TEXT NOT NULL,
    program_id      TEXT NOT NULL REFERENCES programs (id),
    user_id         TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    milestone_label TEXT NOT NULL,
    milestone_date  TEXT NOT NULL,
    state           TEXT NOT NULL CHECK (state IN ('added', 'removed')),
    changed_by      TEXT NOT NULL DEFAULT '',
    changed_at      TIMESTAMPTZ NOT NULL,
    invited_at      TIMESTAMPTZ,
    FOREIGN KEY (event_id, occurrence) REFERENCES event_occurrences (event_id, occurrence) ON DELETE CASCADE,
    PRIMARY KEY (event_id, occurrence, user_id)
);

-- A member's answer to "may we honour this milestone at a milestone
-- dinner?", asked once per milestone.
CREATE TABLE honour_answers (
    user_id         TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    milestone_date  TEXT NOT NULL,
    milestone_label TEXT NOT NULL,
    answer          TEXT NOT NULL CHECK (answer IN ('asked', 'yes', 'no')),
    updated_at      TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (user_id, milestone_date)
);

-- Reminders already sent, so that each goes once.
CREATE TABLE event_reminders_sent (
    event_id       TEXT NOT NULL,
    occurrence     TEXT NOT NULL,
    user_id        TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    offset_minutes INTEGER NOT NULL,
    sent_at        TIMESTAMPTZ NOT NULL,
    FOREIGN KEY (event_id, occurrence) REFERENCES event_occurrences (event_id, occurrence) ON DELETE CASCADE,
    PRIMARY KEY (event_id, occurrence, user_id, offset_minutes)
);

-- A program's event settings; a program without a row uses the defaults
-- (reminders 24 hours and 2 hours before, RSVP open until the start).
CREATE TABLE event_settings (
    program_id         TEXT PRIMARY KEY REFERENCES programs (id),
    reminder_offsets   TEXT NOT NULL DEFAULT '1440,120',
    rsvp_close_minutes INTEGER NOT NULL DEFAULT 0,
    updated_at         TIMESTAMPTZ NOT NULL
);

-- A member's private calendar subscription: the URL holds a random token,
-- stored here as its SHA-256.
CREATE TABLE calendar_feeds (
    user_id    TEXT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    program_id TEXT NOT NULL REFERENCES programs (id),
    token_hash BYTEA NOT NULL UNIQUE,
    created_at TIMESTAMPTZ NOT NULL
);

-- +goose Down
DROP TABLE calendar_feeds;
DROP TABLE event_settings;
DROP TABLE event_reminders_sent;
DROP TABLE honour_answers;
DROP TABLE event_honorees;
DROP TABLE event_attendance;
DROP TABLE event_rsvps;
DROP TABLE event_occurrences;
DROP TABLE events;
