-- Indexes for the staff list of upcoming milestones and the directory's
-- free-text search.
--
-- SQLite: the directory's searchable text of each member (names, email,
-- city, interests, languages, pathways) in an FTS5 table with the trigram
-- tokenizer, which answers LIKE '%text%' from its index. Triggers keep it
-- in step with users and profiles, whoever writes them. The FTS rowid is
-- member_search_rows.id, not users' implicit rowid, which VACUUM may
-- renumber.

-- +goose Up
-- The current periods by the month and day of their start, so that the
-- anniversaries in a window are index ranges (see Schedule.startFilter).
CREATE INDEX recovery_periods_anniversary
    ON recovery_periods (program_id, end_date, substr(start_date, 6, 5), start_date, user_id);
-- The members who share their milestones with the whole program, read
-- without touching the profiles themselves.
CREATE INDEX profiles_milestone_vis ON profiles (program_id, vis_milestones, user_id);


CREATE TABLE member_search_rows (
    id      INTEGER PRIMARY KEY,
    user_id TEXT NOT NULL UNIQUE
);
CREATE VIRTUAL TABLE member_search USING fts5 (body, tokenize = 'trigram');
-- +goose StatementBegin
CREATE TRIGGER member_search_user_insert AFTER INSERT ON users
BEGIN
    DELETE FROM member_search WHERE rowid = (SELECT id FROM member_search_rows WHERE user_id = NEW.id);
    INSERT OR IGNORE INTO member_search_rows (user_id) VALUES (NEW.id);
    INSERT INTO member_search (rowid, body)
        SELECT r.id, u.first_name || ' ' || u.last_name || ' ' || u.email || char(10) ||
               COALESCE(p.city, '') || char(10) || COALESCE(p.interests, '') || char(10) ||
               COALESCE(p.languages, '') || char(10) || COALESCE(p.pathways, '')
        FROM member_search_rows r JOIN users u ON u.id = r.user_id LEFT JOIN profiles p ON p.user_id = u.id
        WHERE r.user_id = NEW.id;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER member_search_user_update AFTER UPDATE OF first_name, last_name, email ON users
BEGIN
    DELETE FROM member_search WHERE rowid = (SELECT id FROM member_search_rows WHERE user_id = NEW.id);
    INSERT OR IGNORE INTO member_search_rows (user_id) VALUES (NEW.id);
    INSERT INTO member_search (rowid, body)
        SELECT r.id, u.first_name || ' ' || u.last_name || ' ' || u.email || char(10) ||
               COALESCE(p.city, '') || char(10) || COALESCE(p.interests, '') || char(10) ||
               COALESCE(p.languages, '') || char(10) || COALESCE(p.pathways, '')
        FROM member_search_rows r JOIN users u ON u.id = r.user_id LEFT JOIN profiles p ON p.user_id = u.id
        WHERE r.user_id = NEW.id;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER member_search_user_delete AFTER DELETE ON users
BEGIN
    DELETE FROM member_search WHERE rowid = (SELECT id FROM member_search_rows WHERE user_id = OLD.id);
    DELETE FROM member_search_rows WHERE user_id = OLD.id;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER member_search_profile_insert AFTER INSERT ON profiles
BEGIN
    DELETE FROM member_search WHERE rowid = (SELECT id FROM member_search_rows WHERE user_id = NEW.user_id);
    INSERT OR IGNORE INTO member_search_rows (user_id) VALUES (NEW.user_id);
    INSERT INTO member_search (rowid, body)
        SELECT r.id, u.first_name || ' ' || u.last_name || ' ' || u.email || char(10) ||
               COALESCE(p.city, '') || char(10) || COALESCE(p.interests, '') || char(10) ||
               COALESCE(p.languages, '') || char(10) || COALESCE(p.pathways, '')
        FROM member_search_rows r JOIN users u ON u.id = r.user_id LEFT JOIN profiles p ON p.user_id = u.id
        WHERE r.user_id = NEW.user_id;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER member_search_profile_update AFTER UPDATE OF city, interests, languages, pathways ON profiles
BEGIN
    DELETE FROM member_search WHERE rowid = (SELECT id FROM member_search_rows WHERE user_id = NEW.user_id);
    INSERT OR IGNORE INTO member_search_rows (user_id) VALUES (NEW.user_id);
    INSERT INTO member_search (rowid, body)
        SELECT r.id, u.first_name || ' ' || u.last_name || ' ' || u.email || char(10) ||
               COALESCE(p.city, '') || char(10) || COALESCE(p.interests, '') || char(10) ||
               COALESCE(p.languages, '') || char(10) || COALESCE(p.pathways, '')
        FROM member_search_rows r JOIN users u ON u.id = r.user_id LEFT JOIN profiles p ON p.user_id = u.id
        WHERE r.user_id = NEW.user_id;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER member_search_profile_delete AFTER DELETE ON profiles
BEGIN
    DELETE FROM member_search WHERE rowid = (SELECT id FROM member_search_rows WHERE user_id = OLD.user_id);
    INSERT OR IGNORE INTO member_search_rows (user_id) VALUES (OLD.user_id);
    INSERT INTO member_search (rowid, body)
        SELECT r.id, u.first_name || ' ' || u.last_name || ' ' || u.email || char(10) ||
               COALESCE(p.city, '') || char(10) || COALESCE(p.interests, '') || char(10) ||
               COALESCE(p.languages, '') || char(10) || COALESCE(p.pathways, '')
        FROM member_search_rows r JOIN users u ON u.id = r.user_id LEFT JOIN profiles p ON p.user_id = u.id
        WHERE r.user_id = OLD.user_id;
END;
-- +goose StatementEnd

-- Everyone already there.
INSERT INTO member_search_rows (user_id) SELECT id FROM users;
INSERT INTO member_search (rowid, body)
    SELECT r.id, u.first_name || ' ' || u.last_name || ' ' || u.email || char(10) ||
           COALESCE(p.city, '') || char(10) || COALESCE(p.interests, '') || char(10) ||
           COALESCE(p.languages, '') || char(10) || COALESCE(p.pathways, '')
    FROM member_search_rows r JOIN users u ON u.id = r.user_id LEFT JOIN profiles p ON p.user_id = u.id;

-- +goose Down
DROP TRIGGER member_search_profile_delete;
DROP TRIGGER member_search_profile_update;
DROP TRIGGER member_search_profile_insert;
DROP TRIGGER member_search_user_delete;
DROP TRIGGER member_search_user_update;
DROP TRIGGER member_search_user_insert;
DROP TABLE member_search;
DROP TABLE member_search_rows;
DROP INDEX profiles_milestone_vis;
DROP INDEX recovery_periods_anniversary;
