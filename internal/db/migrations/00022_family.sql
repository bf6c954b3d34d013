-- Family links under 42 CFR Part 2: the alumnus' written consents
-- (versioned, never changed in place except revoked_at), the links between
-- an alumnus and a family member's account, and the accounting of every
-- disclosure made to family.
--
-- A consent names its recipient by email; a family link binds that email
-- to the family member's account once they accept the invitation (or when
-- staff or the demo link an existing account). The live consent of a link
-- is the newest version for (alumnus_id, recipient_email) when it is not
-- revoked and not expired.
--
-- invitations.consent_id marks a family invitation: accepting it creates
-- the family link in the same transaction. mail_outbox.consent_id and
-- notifications.consent_id tie a queued email or an in-app notification
-- that discloses Part 2 data to the consent it relies on, so that revoking
-- the consent drops what has not gone out yet.

-- +goose Up
CREATE TABLE consents (
    id              TEXT PRIMARY KEY,
    program_id      TEXT NOT NULL REFERENCES programs (id),
    alumnus_id      TEXT NOT NULL REFERENCES users (id),
    patient_name    TEXT NOT NULL,
    discloser       TEXT NOT NULL,
    recipient_name  TEXT NOT NULL,
    recipient_email TEXT NOT NULL,
    share_events    BOOLEAN NOT NULL DEFAULT FALSE,
    share_milestones BOOLEAN NOT NULL DEFAULT FALSE,
    share_checkins  BOOLEAN NOT NULL DEFAULT FALSE,
    share_coach     BOOLEAN NOT NULL DEFAULT FALSE,
    purpose         TEXT NOT NULL,
    revocation_ack  BOOLEAN NOT NULL,
    expires_on      TEXT NOT NULL DEFAULT '',
    expiry_event    TEXT NOT NULL DEFAULT '',
    signature       TEXT NOT NULL,
    signed_on       TEXT NOT NULL,
    version         INTEGER NOT NULL,
    supersedes      TEXT REFERENCES consents (id),
    created_at      TIMESTAMPTZ NOT NULL,
    revoked_at      TIMESTAMPTZ
);
CREATE UNIQUE INDEX consents_version ON consents (alumnus_id, recipient_email, version);
CREATE INDEX consents_supersedes ON consents (supersedes);

CREATE TABLE family_links (
    id         TEXT PRIMARY KEY,
    program_id TEXT NOT NULL REFERENCES programs (id),
    alumnus_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    family_id  TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    email      TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX family_links_pair ON family_links (alumnus_id, family_id);
CREATE INDEX family_links_family ON family_links (family_id);

CREATE TABLE disclosures (
    id           TEXT PRIMARY KEY,
    program_id   TEXT NOT NULL REFERENCES programs (id),
    consent_id   TEXT NOT NULL REFERENCES consents (id),
    alumnus_id   TEXT NOT NULL REFERENCES users (id),
    recipient_id TEXT NOT NULL REFERENCES users (id),
    category     TEXT NOT NULL,
    channel      TEXT NOT NULL,
    request_id   TEXT NOT NULL DEFAULT '',
    disclosed_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX disclosures_alumnus ON disclosures (alumnus_id, disclosed_at);

ALTER TABLE invitations ADD COLUMN consent_id TEXT REFERENCES consents (id);
ALTER TABLE mail_outbox ADD COLUMN consent_id TEXT;
ALTER TABLE notifications ADD COLUMN consent_id TEXT;

-- +goose Down
ALTER TABLE notifications DROP COLUMN consent_id;
ALTER TABLE mail_outbox DROP COLUMN consent_id;
ALTER TABLE invitations DROP COLUMN consent_id;
DROP TABLE disclosures;
DROP TABLE family_links;
DROP TABLE consents;
