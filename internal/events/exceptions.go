package events

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/audit"
	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/members"
)

// Move is a new time or place for one occurrence.
type Move struct {
	// Start is the occurrence's new local start, YYYY-MM-DDTHH:MM, in the
	// program's zone; it may fall on another day than the occurrence's
	// date, which stays its id.
	Start string
	// DurationMinutes is the new length; 0 keeps the current one.
	DurationMinutes int
	// LocationName and Address are the new place; both "" means the
	// series' place.
	LocationName, Address string
	// Note is shown with the occurrence and in the notice, such as why it
	// moved.
	Note string
}

// manageEvent loads the event for a change by actor (coordinators and
// admins of its program), inside tx with the event's row locked.
func manageEvent(ctx context.Context, tx *db.Tx, actor access.Actor, id string) (*Event, *time.Location, error) {
	e, err := loadEvent(ctx, tx, id)
	if err != nil {
		return nil, nil, err
	}
	if err := access.ManageEvents(actor, e.ProgramID); err != nil {
		return nil, nil, err
	}
	if e, err = lockEvent(ctx, tx, id); err != nil {
		return nil, nil, err
	}
	loc, err := programLocation(ctx, tx, e.ProgramID)
	if err != nil {
		return nil, nil, err
	}
	return e, loc, nil
}

// occurrenceForChange returns occurrence occ of e, materializing it when it
// lies beyond the horizon; a date that is not an occurrence is
// db.ErrNotFound.
func occurrenceForChange(ctx context.Context, tx *db.Tx, e *Event, occ string) (*Occurrence, error) {
	o, err := loadOccurrence(ctx, tx, e.ID, occ)
	if !errors.Is(err, db.ErrNotFound) {
		return o, err
	}
	date, perr := members.ParseDate(occ)
	if perr != nil || date.Before(e.FirstDate) || (!e.LastDate.IsZero() && date.After(e.LastDate)) {
		return nil, db.ErrNotFound
	}
	if err := ensureHorizon(ctx, tx, e, date); err != nil {
		return nil, err
	}
	return loadOccurrence(ctx, tx, e.ID, occ)
}

// bumpEvent raises the event's SEQUENCE after a change.
func bumpEvent(ctx context.Context, tx *db.Tx, id string) error {
	_, err := tx.Exec(ctx, `UPDATE events SET sequence = sequence + 1, updated_at = ? WHERE id = ?`, nowStamp(), id)
	if err != nil {
		return fmt.Errorf("events: bump: %w", err)
	}
	return nil
}

// CancelOccurrence cancels one occurrence (coordinators and admins): the
// occurrence stays listed as cancelled with the note, its SEQUENCE is
// bumped, and the people who answered yes or maybe are told at once.
// Cancelling a cancelled occurrence does nothing; one that has started is
// a validation error.
func CancelOccurrence(ctx context.Context, d *db.DB, actor access.Actor, eventID, occ, note string) error {
	var f fieldErrs
	note = f.text("note", note, maxOccurrenceNote, true)
	if err := f.err(); err != nil {
		return err
	}
	return d.Tx(ctx, func(tx *db.Tx) error {
		e, loc, err := manageEvent(ctx, tx, actor, eventID)
		if err != nil {
			return err
		}
		o, err := occurrenceForChange(ctx, tx, e, occ)
		if err != nil {
			return err
		}
		if o.Cancelled {
			return nil
		}
		if !now().Before(o.Start) {
			return validationError("occurrence", "has already started; only later occurrences can be cancelled")
		}
		if _, err := tx.Exec(ctx, `UPDATE event_occurrences SET cancelled = ?, note = ?, sequence = sequence + 1
			WHERE event_id = ? AND occurrence = ?`, true, note, e.ID, occ); err != nil {
			return fmt.Errorf("events: cancel occurrence: %w", err)
		}
		if err := bumpEvent(ctx, tx, e.ID); err != nil {
			return err
		}
		if _, err := notifyChange(ctx, tx, e, loc, []string{occ}, changeCancelled); err != nil {
			return err
		}
		return audit.Record(ctx, tx, actor, audit.Event{Action: "events.cancel_occurrence", SubjectType: "event",
			SubjectID: e.ID, Detail: map[string]string{"occurrence": occ}})
	})
}

// MoveOccurrence gives one occurrence a new time, length or place
// (coordinators and admins). It keeps its id, RSVPs and attendance, is
// marked moved, its SEQUENCE is bumped, and the people who answered yes or
// maybe are told at once. Bad input is a members.ValidationError and
// changes nothing.
func MoveOccurrence(ctx context.Context, d *db.DB, actor access.Actor, eventID, occ string, m Move) error {
	var f fieldErrs
	name := f.text("location_name", m.LocationName, maxEventLocation, false)
	addr := f.text("address", m.Address, maxEventAddress, true)
	note := f.text("note", m.Note, maxOccurrenceNote, true)
	start, err := ParseLocalTime(m.Start)
	if err != nil {
		f.add("start", "%s", err.Error())
	}
	if m.DurationMinutes < 0 || m.DurationMinutes > maxEventDuration {
		f.add("duration_minutes", "must be from 1 to %d minutes (or 0 to keep the current length)", maxEventDuration)
	}
	if err := f.err(); err != nil {
		return err
	}
	return d.Tx(ctx, func(tx *db.Tx) error {
		e, loc, err := manageEvent(ctx, tx, actor, eventID)
		if err != nil {
			return err
		}
		if e.Cancelled() {
			return validationError("occurrence", "belongs to a cancelled event")
		}
		o, err := occurrenceForChange(ctx, tx, e, occ)
		if err != nil {
			return err
		}
		switch {
		case o.Cancelled:
			return validationError("occurrence", "is cancelled")
		case !now().Before(o.Start):
			return validationError("occurrence", "has already started; only later occurrences can be moved")
		}
		s := start.In(loc)
		if !now().Before(s) {
			return validationError("start", "must be in the future")
		}
		if d := o.Date(); start.Date.Before(d.AddYears(-1)) || start.Date.After(d.AddYears(1)) {
			return validationError("start", "must be within a year of the occurrence's date")
		}
		length := o.End.Sub(o.Start)
		if m.DurationMinutes > 0 {
			length = time.Duration(m.DurationMinutes) * time.Minute
		}
		oldPlace, newPlace := placeOf(e, o), placeOf(e, &Occurrence{LocationName: name, Address: addr})
		if s.Equal(o.Start) && length == o.End.Sub(o.Start) && oldPlace == newPlace && note == o.Note {
			return nil
		}
		if _, err := tx.Exec(ctx, `UPDATE event_occurrences SET starts_at = ?, ends_at = ?, moved = ?, location_name = ?,
			address = ?, note = ?, sequence = sequence + 1 WHERE event_id = ? AND occurrence = ?`,
			s, s.Add(length), true, nullText(name), nullText(addr), note, e.ID, occ); err != nil {
			return fmt.Errorf("events: move occurrence: %w", err)
		}
		if err := bumpEvent(ctx, tx, e.ID); err != nil {
			return err
		}
		if !s.Equal(o.Start) || length != o.End.Sub(o.Start) || oldPlace != newPlace {
			if _, err := notifyChange(ctx, tx, e, loc, []string{occ}, changeMoved); err != nil {
				return err
			}
		}
		return audit.Record(ctx, tx, actor, audit.Event{Action: "events.move_occurrence", SubjectType: "event",
			SubjectID: e.ID, Detail: map[string]string{"occurrence": occ}})
	})
}

// placeOf is where occurrence o takes place: its own place when it was
// moved somewhere else, else the event's.
func placeOf(e *Event, o *Occurrence) [2]string {
	if o.LocationName != "" || o.Address != "" {
		return [2]string{o.LocationName, o.Address}
	}
	return [2]string{e.LocationName, e.Address}
}

// Delete cancels the whole event (coordinators and admins): it stays
// visible as cancelled, its occurrences from now on are cancelled, SEQUENCE
// is bumped, and the people who answered yes or maybe to one of them are
// told at once. Past occurrences keep their attendance. Deleting a
// cancelled event does nothing.
func Delete(ctx context.Context, d *db.DB, actor access.Actor, id string) error {
	return d.Tx(ctx, func(tx *db.Tx) error {
		e, loc, err := manageEvent(ctx, tx, actor, id)
		if err != nil {
			return err
		}
		if e.Cancelled() {
			return nil
		}
		t := nowStamp()
		occs, err := queryStrings(ctx, tx, `SELECT occurrence FROM event_occurrences
			WHERE event_id = ? AND starts_at >= ? AND cancelled = ? ORDER BY occurrence`, e.ID, t, false)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE event_occurrences SET cancelled = ?, sequence = sequence + 1
			WHERE event_id = ? AND starts_at >= ? AND cancelled = ?`, true, e.ID, t, false); err != nil {
			return fmt.Errorf("events: delete: %w", err)
		}
		if _, err := tx.Exec(ctx, `UPDATE events SET cancelled_at = ?, sequence = sequence + 1, updated_at = ? WHERE id = ?`,
			t, t, e.ID); err != nil {
			return fmt.Errorf("events: delete: %w", err)
		}
		if _, err := notifyChange(ctx, tx, e, loc, occs, changeCancelled); err != nil {
			return err
		}
		return audit.Record(ctx, tx, actor, audit.Event{Action: "events.delete", SubjectType: "event", SubjectID: e.ID,
			Detail: map[string]string{"occurrences": fmt.Sprint(len(occs))}})
	})
}

// queryStrings runs a query of occurrence ids.
func queryStrings(ctx context.Context, q db.Querier, query string, args ...any) ([]string, error) {
	rows, err := q.Query(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("events: occurrences: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}
