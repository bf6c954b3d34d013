-- Indexes for the staff list of upcoming milestones and the directory's
-- free-text search.
--
-- PostgreSQL: trigram (pg_trgm) GIN indexes on the directory's searchable
-- text, which answer LIKE '%text%'; the expressions must stay those of
-- db.MemberTextSearch.

-- +goose Up
-- The current periods by the month and day of their start, so that the
-- anniversaries in a window are index ranges (see Schedule.startFilter).
CREATE INDEX recovery_periods_anniversary
    ON recovery_periods (program_id, end_date, substr(start_date, 6, 5), start_date, user_id);
-- The members who share their milestones with the whole program, read
-- without touching the profiles themselves.
CREATE INDEX profiles_milestone_vis ON profiles (program_id, vis_milestones, user_id);

CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX users_search ON users USING gin (lower(first_name || ' ' || last_name || ' ' || email) gin_trgm_ops);
CREATE INDEX profiles_search ON profiles USING gin (lower(city || ' ' || interests || ' ' || languages || ' ' || pathways) gin_trgm_ops);

-- +goose Down
DROP INDEX profiles_search;
DROP INDEX users_search;
DROP INDEX profiles_milestone_vis;
DROP INDEX recovery_periods_anniversary;
