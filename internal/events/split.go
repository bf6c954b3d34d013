package events

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/audit"
	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/members"
)

// UpdateFrom changes "this and following" occurrences of a series, from
// occurrence fromOcc on (coordinators and admins). The old part ends the
// day before fromOcc (its rule gets an UNTIL); a new part with the new
// fields and the same SeriesID starts on or after fromOcc and is returned.
// Each upcoming date of the old part that the new rule still has moves to
// the new part with its RSVPs, attendance and honorees; the others are
// removed, and the people who answered yes or maybe are told, as are those
// whose occurrence changed time or place. When fromOcc is the first
// occurrence (or the event is not a series) this is Update. fromOcc must
// not have started; the new start must not be before fromOcc's date.
func UpdateFrom(ctx context.Context, d *db.DB, actor access.Actor, id, fromOcc string, in Input) (*Event, error) {
	result := id
	err := d.Tx(ctx, func(tx *db.Tx) error {
		e, loc, err := manageEvent(ctx, tx, actor, id)
		if err != nil {
			return err
		}
		if e.Cancelled() {
			return validationError("event", "is cancelled and cannot be changed")
		}
		o, err := occurrenceForChange(ctx, tx, e, fromOcc)
		if err != nil {
			return err
		}
		if !now().Before(o.Start) {
			return validationError("occurrence", "has already started; choose a later occurrence")
		}
		var earlier int
		if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM event_occurrences WHERE event_id = ? AND occurrence < ?`,
			e.ID, fromOcc).Scan(&earlier); err != nil {
			return fmt.Errorf("events: update from: %w", err)
		}
		if !e.Recurring() || earlier == 0 {
			return updateSeries(ctx, tx, actor, e, loc, &in)
		}
		newID, err := splitSeries(ctx, tx, actor, e, loc, o.Date(), &in)
		result = newID
		return err
	})
	if err != nil {
		return nil, err
	}
	return loadEvent(ctx, d, result)
}

// splitSeries is UpdateFrom's split of e at from, inside tx with e locked.
func splitSeries(ctx context.Context, tx *db.Tx, actor access.Actor, e *Event, loc *time.Location, from members.Date, in *Input) (string, error) {
	c, _, err := prepare(ctx, tx, e.ProgramID, in)
	if err != nil {
		return "", err
	}
	if c.firstDate.Before(from) {
		return "", validationError("start", fmt.Sprintf("must be on or after %s, the first occurrence to change", from))
	}
	if err := lockOccurrences(ctx, tx, e.ID, `occurrence >= ?`, from); err != nil {
		return "", err
	}
	following, err := occRows(ctx, tx, e.ID, `occurrence >= ?`, from)
	if err != nil {
		return "", err
	}
	if err := checkCapacity(c.capacity, following); err != nil {
		return "", err
	}
	newID := newEventID()
	if err := insertEvent(ctx, tx, newID, e.SeriesID, access.Actor{UserID: actor.UserID, ProgramID: e.ProgramID}, c, 0); err != nil {
		return "", err
	}
	ne := c.event(newID, e.ProgramID)
	p, err := planSeries(ne, loc, from, following, nil)
	if err != nil {
		return "", err
	}
	newPlace := [2]string{c.locationName, c.addr}
	var changed, removed []string
	have := map[string]bool{}
	for _, r := range following {
		lt, ok := p.starts[r.occ]
		if !ok {
			removed = append(removed, r.occ)
			continue
		}
		have[r.occ] = true
		start, end := r.start, r.end
		if !r.moved {
			start = lt.In(loc)
			end = start.Add(c.duration)
		}
		placeChanged := !r.ownPlace() && newPlace != [2]string{e.LocationName, e.Address}
		isChanged := !start.Equal(r.start) || !end.Equal(r.end) || placeChanged
		seq := r.sequence
		if isChanged {
			seq++
		}
		if err := carryOccurrence(ctx, tx, e, newID, r, start, end, seq); err != nil {
			return "", err
		}
		if isChanged && !r.cancelled {
			changed = append(changed, r.occ)
		}
	}
	gone, err := collectNotice(ctx, tx, e.ID, removed, changeRemoved)
	if err != nil {
		return "", err
	}
	if err := deleteOccurrences(ctx, tx, e.ID, removed); err != nil {
		return "", err
	}
	if _, err := insertOccurrences(ctx, tx, ne, loc, p.rest(have)); err != nil {
		return "", err
	}
	if _, err := tx.Exec(ctx, `UPDATE events SET materialized_until = ? WHERE id = ?`, p.until, newID); err != nil {
		return "", fmt.Errorf("events: update from: %w", err)
	}
	last := from.AddDays(-1)
	if _, err := tx.Exec(ctx, `UPDATE events SET rrule = ?, last_date = ?,
		materialized_until = CASE WHEN materialized_until > ? THEN ? ELSE materialized_until END,
		sequence = sequence + 1, updated_at = ? WHERE id = ?`,
		untilRule(e.RRule, last, loc), last, last, last, nowStamp(), e.ID); err != nil {
		return "", fmt.Errorf("events: update from: %w", err)
	}
	e2, err := loadEvent(ctx, tx, newID)
	if err != nil {
		return "", err
	}
	if _, err := gone.send(ctx, tx, e2, loc); err != nil {
		return "", err
	}
	if _, err := notifyChange(ctx, tx, e2, loc, changed, changeMoved); err != nil {
		return "", err
	}
	return newID, audit.Record(ctx, tx, actor, audit.Event{Action: "events.update_from", SubjectType: "event", SubjectID: e.ID,
		Detail: map[string]string{"occurrence": from.String(), "new_event": newID,
			"changed": strconv.Itoa(len(changed)), "removed": strconv.Itoa(len(removed))}})
}

// carryOccurrence moves occurrence row r of e to the event newID with the
// given times: a copy of the row (with its counts and waitlist), then its
// RSVPs, attendance, honorees and reminders, then the old row goes.
func carryOccurrence(ctx context.Context, tx *db.Tx, e *Event, newID string, r occRow, start, end time.Time, seq int) error {
	if _, err := tx.Exec(ctx, `INSERT INTO event_occurrences (event_id, occurrence, program_id, starts_at, ends_at, cancelled,
		moved, location_name, address, note, confirmed_people, waitlist_next, waitlist_left, sequence)
		SELECT ?, occurrence, program_id, ?, ?, cancelled, moved, location_name, address, note, confirmed_people,
			waitlist_next, waitlist_left, ?
		FROM event_occurrences WHERE event_id = ? AND occurrence = ?`,
		newID, start, end, seq, e.ID, r.occ); err != nil {
		return fmt.Errorf("events: carry occurrence: %w", err)
	}
	for _, table := range childTables {
		if _, err := tx.Exec(ctx, `UPDATE `+table+` SET event_id = ? WHERE event_id = ? AND occurrence = ?`, newID, e.ID, r.occ); err != nil {
			return fmt.Errorf("events: carry %s: %w", table, err)
		}
	}
	if _, err := tx.Exec(ctx, `DELETE FROM event_occurrences WHERE event_id = ? AND occurrence = ?`, e.ID, r.occ); err != nil {
		return fmt.Errorf("events: carry occurrence: %w", err)
	}
	return nil
}

// untilRule returns rule ending on last (a local date in loc): COUNT and
// UNTIL are replaced by a UNTIL at the end of that day, written in UTC as
// RFC 5545 asks of a rule whose start has a time zone.
func untilRule(rule string, last members.Date, loc *time.Location) string {
	var parts []string
	for _, p := range strings.Split(rule, ";") {
		if strings.HasPrefix(p, "COUNT=") || strings.HasPrefix(p, "UNTIL=") {
			continue
		}
		parts = append(parts, p)
	}
	end := last.AddDays(1).In(loc).Add(-time.Second).UTC()
	return strings.Join(append(parts, "UNTIL="+end.Format("20060102T150405Z")), ";")
}
