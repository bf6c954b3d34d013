package events

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/audit"
	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/members"
)

// childTables hold rows that belong to one occurrence, keyed by
// (event_id, occurrence); they follow an occurrence that moves to the new
// part of a split series.
var childTables = []string{"event_rsvps", "event_attendance", "event_honorees", "event_reminders_sent"}

// occRow is a stored occurrence as a series change reads it.
type occRow struct {
	occ                     string
	start, end              time.Time
	cancelled, moved        bool
	locName, addr           sql.NullString
	note                    string
	confirmed, waitlistNext int
	sequence                int
}

// ownPlace reports whether the occurrence was moved to a place of its own.
func (r *occRow) ownPlace() bool { return r.locName.String != "" || r.addr.String != "" }

// occRows reads the occurrence rows of eventID matching cond.
func occRows(ctx context.Context, tx *db.Tx, eventID, cond string, args ...any) ([]occRow, error) {
	rows, err := tx.Query(ctx, `SELECT occurrence, starts_at, ends_at, cancelled, moved, location_name, address, note,
		confirmed_people, waitlist_next, sequence FROM event_occurrences WHERE event_id = ? AND `+cond+` ORDER BY occurrence`,
		append([]any{eventID}, args...)...)
	if err != nil {
		return nil, fmt.Errorf("events: occurrence rows: %w", err)
	}
	defer rows.Close()
	var out []occRow
	for rows.Next() {
		var r occRow
		if err := rows.Scan(&r.occ, &r.start, &r.end, &r.cancelled, &r.moved, &r.locName, &r.addr, &r.note,
			&r.confirmed, &r.waitlistNext, &r.sequence); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// lockOccurrences takes the row locks of e's occurrences matching cond
// for the rest of tx (on PostgreSQL; SQLite transactions are serial), so
// that no RSVP confirms people between the capacity check and the commit.
func lockOccurrences(ctx context.Context, tx *db.Tx, eventID, cond string, args ...any) error {
	_, err := tx.Exec(ctx, `UPDATE event_occurrences SET confirmed_people = confirmed_people WHERE event_id = ? AND `+cond,
		append([]any{eventID}, args...)...)
	if err != nil {
		return fmt.Errorf("events: lock occurrences: %w", err)
	}
	return nil
}

// checkCapacity refuses a capacity below the people already confirmed for
// one of rows.
func checkCapacity(capacity int, rows []occRow) error {
	if capacity <= 0 {
		return nil
	}
	for _, r := range rows {
		if !r.cancelled && r.confirmed > capacity {
			return validationError("capacity", fmt.Sprintf("is below the %d people already confirmed for %s; raise it or move people first",
				r.confirmed, occLabel(r.occ)))
		}
	}
	return nil
}

// event returns the event that c describes, for expansion.
func (c *checkedInput) event(id, programID string) *Event {
	return &Event{ID: id, ProgramID: programID, Kind: c.kind, Title: c.title, LocationName: c.locationName,
		Address: c.addr, Start: c.start, Duration: c.duration, RRule: c.rrule, FirstDate: c.firstDate, LastDate: c.lastDate}
}

// expandAll is expand without the per-call cap, for a bounded window.
func expandAll(e *Event, loc *time.Location, from, to members.Date) ([]LocalTime, error) {
	var out []LocalTime
	for {
		part, err := expand(e, loc, from, to)
		if err != nil {
			return nil, err
		}
		out = append(out, part...)
		if len(part) < maxExpand {
			return out, nil
		}
		from = part[len(part)-1].Date.AddDays(1)
	}
}

// plan is the new schedule of a series from a date on: each date that
// occurs and has not started, with its local start.
type plan struct {
	starts map[string]LocalTime
	until  members.Date
}

// planSeries expands ne from from to its horizon (at least up to the last
// of rows), leaving out dates in skip and starts before now.
func planSeries(ne *Event, loc *time.Location, from members.Date, rows []occRow, skip map[string]bool) (*plan, error) {
	until := horizonFor(todayIn(loc), ne.FirstDate)
	for _, r := range rows {
		d, err := members.ParseDate(r.occ)
		if err != nil {
			return nil, fmt.Errorf("events: stored occurrence %q: %w", r.occ, err)
		}
		if d.After(until) {
			until = d
		}
		if d.Before(from) {
			from = d
		}
	}
	if !ne.LastDate.IsZero() && until.After(ne.LastDate) {
		until = ne.LastDate
	}
	dates, err := expandAll(ne, loc, from, until)
	if err != nil {
		return nil, err
	}
	p := &plan{starts: map[string]LocalTime{}, until: until}
	t := now()
	for _, lt := range dates {
		if skip[lt.Date.String()] || lt.In(loc).Before(t) {
			continue
		}
		p.starts[lt.Date.String()] = lt
	}
	if until.Before(ne.FirstDate) {
		p.until = ne.FirstDate.AddDays(-1)
	}
	return p, nil
}

// rest returns the planned starts that have no row yet, in order.
func (p *plan) rest(have map[string]bool) []LocalTime {
	var out []LocalTime
	for d, lt := range p.starts {
		if !have[d] {
			out = append(out, lt)
		}
	}
	slices.SortFunc(out, func(a, b LocalTime) int { return a.Date.Compare(b.Date) })
	return out
}

// deleteOccurrences removes rows (and, by cascade, their RSVPs, reminders
// and honorees) of eventID.
func deleteOccurrences(ctx context.Context, tx *db.Tx, eventID string, occs []string) error {
	for len(occs) > 0 {
		n := min(200, len(occs))
		args := []any{eventID}
		for _, o := range occs[:n] {
			args = append(args, o)
		}
		if _, err := tx.Exec(ctx, `DELETE FROM event_occurrences WHERE event_id = ? AND occurrence IN (`+db.Placeholders(n)+`)`,
			args...); err != nil {
			return fmt.Errorf("events: delete occurrences: %w", err)
		}
		occs = occs[n:]
	}
	return nil
}

// Update changes the whole series (coordinators and admins). Past
// occurrences (started before now) keep their rows, times, RSVPs and
// attendance. Upcoming occurrences whose date still occurs keep their id
// and RSVPs and take the new time (unless moved on their own); those whose
// date no longer occurs are removed, with their RSVPs, and the people who
// answered yes or maybe are told; new dates get rows. A capacity below the
// people confirmed for an upcoming occurrence is a validation error on
// "capacity", and bad input changes nothing. Changes of time or place
// notify the people who answered yes or maybe, and SEQUENCE is bumped.
func Update(ctx context.Context, d *db.DB, actor access.Actor, id string, in Input) (*Event, error) {
	err := d.Tx(ctx, func(tx *db.Tx) error {
		e, loc, err := manageEvent(ctx, tx, actor, id)
		if err != nil {
			return err
		}
		if e.Cancelled() {
			return validationError("event", "is cancelled and cannot be changed")
		}
		return updateSeries(ctx, tx, actor, e, loc, &in)
	})
	if err != nil {
		return nil, err
	}
	return loadEvent(ctx, d, id)
}

// updateSeries is Update inside tx, with e locked.
func updateSeries(ctx context.Context, tx *db.Tx, actor access.Actor, e *Event, loc *time.Location, in *Input) error {
	c, _, err := prepare(ctx, tx, e.ProgramID, in)
	if err != nil {
		return err
	}
	t := now()
	if !e.Recurring() && c.rrule == "" && c.start != e.Start && c.start.In(loc).Before(t) {
		return validationError("start", "must be in the future")
	}
	if err := lockOccurrences(ctx, tx, e.ID, `starts_at >= ?`, t); err != nil {
		return err
	}
	future, err := occRows(ctx, tx, e.ID, `starts_at >= ?`, t)
	if err != nil {
		return err
	}
	if err := checkCapacity(c.capacity, future); err != nil {
		return err
	}
	past, err := queryStrings(ctx, tx, `SELECT occurrence FROM event_occurrences WHERE event_id = ? AND starts_at < ?`, e.ID, t)
	if err != nil {
		return err
	}
	skip := map[string]bool{}
	for _, o := range past {
		skip[o] = true
	}
	ne := c.event(e.ID, e.ProgramID)
	p, err := planSeries(ne, loc, todayIn(loc), future, skip)
	if err != nil {
		return err
	}
	// A one-off event keeps its one upcoming occurrence (id, RSVPs) when
	// it moves to another day.
	oneOff := !e.Recurring() && c.rrule == "" && len(future) == 1
	if oneOff {
		p.starts = map[string]LocalTime{future[0].occ: c.start}
		future[0].moved = false
	}
	placeChanged := c.locationName != e.LocationName || c.addr != e.Address
	var changed, removed []string
	have := map[string]bool{}
	for _, r := range future {
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
		timeChanged := !start.Equal(r.start) || !end.Equal(r.end)
		if !timeChanged && (r.ownPlace() || !placeChanged) {
			continue
		}
		if _, err := tx.Exec(ctx, `UPDATE event_occurrences SET starts_at = ?, ends_at = ?, sequence = sequence + 1
			WHERE event_id = ? AND occurrence = ?`, start, end, e.ID, r.occ); err != nil {
			return fmt.Errorf("events: update occurrence: %w", err)
		}
		if !r.cancelled {
			changed = append(changed, r.occ)
		}
	}
	gone, err := collectNotice(ctx, tx, e.ID, removed, changeRemoved)
	if err != nil {
		return err
	}
	if err := deleteOccurrences(ctx, tx, e.ID, removed); err != nil {
		return err
	}
	if err := writeEvent(ctx, tx, e.ID, c, p.until); err != nil {
		return err
	}
	if _, err := insertOccurrences(ctx, tx, ne, loc, p.rest(have)); err != nil {
		return err
	}
	e2, err := loadEvent(ctx, tx, e.ID)
	if err != nil {
		return err
	}
	if _, err := gone.send(ctx, tx, e2, loc); err != nil {
		return err
	}
	if _, err := notifyChange(ctx, tx, e2, loc, changed, changeMoved); err != nil {
		return err
	}
	return audit.Record(ctx, tx, actor, audit.Event{Action: "events.update", SubjectType: "event", SubjectID: e.ID,
		Detail: map[string]string{"changed": strconv.Itoa(len(changed)), "removed": strconv.Itoa(len(removed))}})
}

// writeEvent stores c as the event's fields, with its rows up to until,
// and bumps SEQUENCE.
func writeEvent(ctx context.Context, tx *db.Tx, id string, c *checkedInput, until members.Date) error {
	_, err := tx.Exec(ctx, `UPDATE events SET kind = ?, title = ?, description = ?, location_name = ?, address = ?,
		online_url = ?, starts_local = ?, duration_minutes = ?, rrule = ?, first_date = ?, last_date = ?,
		materialized_until = ?, capacity = ?, audience = ?, host_id = ?, accessibility = ?, circle_id = ?,
		rsvp_close_minutes = ?, window_start = ?, window_end = ?, sequence = sequence + 1, updated_at = ?
		WHERE id = ?`,
		string(c.kind), c.title, c.description, c.locationName, c.addr, c.onlineURL, c.start.String(),
		int(c.duration/time.Minute), c.rrule, c.firstDate, c.lastDate, until, nullCapacity(c.capacity),
		string(c.audience), nullText(c.hostID), c.accessibility, nullText(c.circleID), int(c.rsvpClose/time.Minute),
		c.windowStart, c.windowEnd, nowStamp(), id)
	if err != nil {
		return fmt.Errorf("events: update: %w", err)
	}
	return nil
}

// occLabel writes an occurrence id for people ("Dec 15, 2026").
func occLabel(occ string) string {
	if d, err := members.ParseDate(occ); err == nil {
		return d.Label()
	}
	return occ
}
