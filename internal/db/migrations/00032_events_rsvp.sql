-- RSVP waitlists: how many waitlist tickets have left the waitlist (their
-- party was promoted, cancelled, or changed to maybe or no). A new ticket
-- T is then at place T - waitlist_left in line, known without counting the
-- waitlist, which keeps an RSVP to a popular occurrence as cheap as any.

-- +goose Up
ALTER TABLE event_occurrences ADD COLUMN waitlist_left INTEGER NOT NULL DEFAULT 0;

-- +goose Down
ALTER TABLE event_occurrences DROP COLUMN waitlist_left;
