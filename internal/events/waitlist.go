package events

import (
	"context"
	"fmt"
	"time"
	"unicode/utf8"

	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/notify"
)

// The waitlist. A waitlisted RSVP's stored waitlist_position is a ticket
// handed out in order from event_occurrences.waitlist_next; the position a
// person sees is their rank among the tickets still waiting, so it moves up
// as people ahead are promoted or leave, and tickets are never renumbered.
// event_occurrences.waitlist_left counts the tickets that left the
// waitlist, so a new ticket's rank is known without counting the line.
//
// Seats go to the first waitlisted party that fits: promotion walks the
// waitlist in order, skips parties larger than the seats left and keeps
// going while seats remain. So after every change no waitlisted party fits
// in the seats left.

// waitlisted is one party on the waitlist.
type waitlisted struct {
	id, userID       string
	adults, children int
}

// promote gives the free seats of the occurrence o of e to the first
// waitlisted parties that fit, in order, skipping those that do not, and
// notifies each promoted person. It must run inside tx after the change
// that freed seats (or raised e.Capacity) was written: it locks the
// occurrence's row and reads the confirmed count and the capacity afresh,
// so the caller's o may be stale. It returns how many RSVPs were promoted.
//
// events-core calls it when an event's capacity grows. On PostgreSQL call
// it before audit.Record in the same transaction (the occurrence lock comes
// before the audit chain's lock everywhere, so they never deadlock).
func promote(ctx context.Context, tx *db.Tx, e *Event, o *Occurrence) (int, error) {
	ok, err := lockOccurrence(ctx, tx, e.ID, o.ID)
	if err != nil || !ok {
		return 0, err
	}
	var confirmed int
	var capacity *int64
	var cancelled bool
	err = tx.QueryRow(ctx, `SELECT o.confirmed_people, o.cancelled, e.capacity FROM event_occurrences o
		JOIN events e ON e.id = o.event_id WHERE o.event_id = ? AND o.occurrence = ?`, e.ID, o.ID).
		Scan(&confirmed, &cancelled, &capacity)
	if err != nil {
		return 0, db.Err(err)
	}
	if cancelled {
		return 0, nil
	}
	free := -1 // no limit
	if capacity != nil {
		if free = int(*capacity) - confirmed; free <= 0 {
			return 0, nil
		}
	}
	rows, err := tx.Query(ctx, `SELECT id, user_id, adults, children FROM event_rsvps
		WHERE event_id = ? AND occurrence = ? AND state = 'waitlisted' ORDER BY waitlist_position, id`, e.ID, o.ID)
	if err != nil {
		return 0, fmt.Errorf("events: promote: %w", err)
	}
	var up []waitlisted
	for rows.Next() {
		var w waitlisted
		if err := rows.Scan(&w.id, &w.userID, &w.adults, &w.children); err != nil {
			rows.Close()
			return 0, err
		}
		if free < 0 || w.adults+w.children <= free {
			up = append(up, w)
			if free >= 0 {
				free -= w.adults + w.children
			}
		}
		if free == 0 {
			break
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	if len(up) == 0 {
		return 0, nil
	}
	t := now().UTC().Truncate(time.Microsecond)
	seats := 0
	for _, w := range up {
		if _, err := tx.Exec(ctx, `UPDATE event_rsvps SET state = 'confirmed', waitlist_position = NULL, updated_at = ?
			WHERE id = ?`, t, w.id); err != nil {
			return 0, fmt.Errorf("events: promote: %w", err)
		}
		seats += w.adults + w.children
	}
	if _, err := tx.Exec(ctx, `UPDATE event_occurrences SET confirmed_people = confirmed_people + ?,
		waitlist_left = waitlist_left + ? WHERE event_id = ? AND occurrence = ?`, seats, len(up), e.ID, o.ID); err != nil {
		return 0, fmt.Errorf("events: promote: count: %w", err)
	}
	data := promotedNotice(ctx, tx, e, o)
	for _, w := range up {
		if _, err := notify.Send(ctx, tx, w.userID, notify.KindEventReminder, data); err != nil {
			return 0, fmt.Errorf("events: promote: notify: %w", err)
		}
	}
	return len(up), nil
}

// promotedNotice is what a promoted person is told: the event's title and
// time, and a link to the occurrence.
func promotedNotice(ctx context.Context, q db.Querier, e *Event, o *Occurrence) notify.Data {
	title := e.Title
	if utf8.RuneCountInString(title) > 180 {
		title = string([]rune(title)[:179]) + "…"
	}
	start := o.Start
	if start.IsZero() {
		if full, err := loadOccurrence(ctx, q, e.ID, o.ID); err == nil {
			start = full.Start
		}
	}
	body := "A place opened up and your RSVP is now confirmed."
	if !start.IsZero() {
		loc, err := programLocation(ctx, q, e.ProgramID)
		if err != nil {
			loc = time.UTC
		}
		body = "A place opened up for " + start.In(loc).Format("Monday 2 January at 3:04 PM") +
			" and your RSVP is now confirmed. If you can no longer come, please cancel so the next person can go."
	}
	return notify.Data{Title: "You're in: " + title, Body: body, Link: "/events/" + e.ID + "/" + o.ID}
}

// waitlistRank is the place in line (1 = next) of the waitlist ticket pos.
func waitlistRank(ctx context.Context, q db.Querier, eventID, occ string, pos int) (int, error) {
	var ahead int
	err := q.QueryRow(ctx, `SELECT COUNT(*) FROM event_rsvps WHERE event_id = ? AND occurrence = ?
		AND state = 'waitlisted' AND waitlist_position < ?`, eventID, occ, pos).Scan(&ahead)
	if err != nil {
		return 0, db.Err(err)
	}
	return ahead + 1, nil
}
