package events

import (
	"context"
	"database/sql"
	"fmt"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/audit"
	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/members"
	"github.com/cairn-recovery/cairn/internal/programs"
)

// eventColumns are the columns scanEvent reads, in its order.
const eventColumns = `e.id, e.program_id, e.series_id, e.kind, e.title, e.description, e.location_name, e.address,
	e.online_url, e.starts_local, e.duration_minutes, e.rrule, e.first_date, e.last_date, e.capacity, e.audience,
	e.host_id, e.accessibility, e.circle_id, e.rsvp_close_minutes, e.window_start, e.window_end, e.sequence,
	e.cancelled_at, e.created_at, e.updated_at, e.created_by`

// eventDest returns the scan destinations for eventColumns into e, and a
// function that finishes e after the scan.
func eventDest(e *Event) ([]any, func() error) {
	var start, kind, audience string
	var duration, rsvpClose int
	var capacity sql.NullInt64
	var hostID, circleID sql.NullString
	var cancelled *time.Time
	dest := []any{&e.ID, &e.ProgramID, &e.SeriesID, &kind, &e.Title, &e.Description, &e.LocationName, &e.Address,
		&e.OnlineURL, &start, &duration, &e.RRule, &e.FirstDate, &e.LastDate, &capacity, &audience,
		&hostID, &e.Accessibility, &circleID, &rsvpClose, &e.WindowStart, &e.WindowEnd, &e.Sequence,
		&cancelled, &e.CreatedAt, &e.UpdatedAt, &e.CreatedBy}
	return dest, func() error {
		st, err := ParseLocalTime(start)
		if err != nil {
			return fmt.Errorf("events: stored start of %s: %w", e.ID, err)
		}
		e.Start = st
		e.Kind, e.Audience = Kind(kind), Audience(audience)
		e.Duration = time.Duration(duration) * time.Minute
		e.RSVPClose = time.Duration(rsvpClose) * time.Minute
		e.Capacity = int(capacity.Int64)
		e.HostID, e.CircleID = hostID.String, circleID.String
		if cancelled != nil {
			e.CancelledAt = *cancelled
		} else {
			e.CancelledAt = time.Time{}
		}
		return nil
	}
}

// loadEvent returns the event with id, without any access check.
func loadEvent(ctx context.Context, q db.Querier, id string) (*Event, error) {
	e := &Event{}
	dest, finish := eventDest(e)
	if err := db.Err(q.QueryRow(ctx, `SELECT `+eventColumns+` FROM events e WHERE e.id = ?`, id).Scan(dest...)); err != nil {
		return nil, err
	}
	return e, finish()
}

// lockEvent loads the event inside a write transaction, taking its row
// lock on PostgreSQL (SQLite transactions are already serial), so that two
// changes of one series do not interleave.
func lockEvent(ctx context.Context, tx *db.Tx, id string) (*Event, error) {
	if _, err := tx.Exec(ctx, `UPDATE events SET sequence = sequence WHERE id = ?`, id); err != nil {
		return nil, err
	}
	return loadEvent(ctx, tx, id)
}

// Get returns the event with id if actor may see it. A cancelled event is
// still returned (see Event.Cancelled).
func Get(ctx context.Context, q db.Querier, actor access.Actor, id string) (*Event, error) {
	e, err := loadEvent(ctx, q, id)
	if err != nil {
		return nil, err
	}
	if err := access.ViewEvent(actor, e.ProgramID, string(e.Audience)); err != nil {
		return nil, err
	}
	return e, nil
}

// zoneCache caches loaded time zones.
var zoneCache sync.Map // name → *time.Location

// programLocation returns the time zone of the program. A zone that cannot
// be loaded is a validation error on the program's time zone, never a
// panic or a silent UTC.
func programLocation(ctx context.Context, q db.Querier, programID string) (*time.Location, error) {
	p, err := programs.Get(ctx, q, programID)
	if err != nil {
		return nil, err
	}
	return loadZone(p.TimeZone)
}

func loadZone(name string) (*time.Location, error) {
	if l, ok := zoneCache.Load(name); ok {
		return l.(*time.Location), nil
	}
	l, err := time.LoadLocation(name)
	if err != nil || name == "" {
		return nil, members.ValidationError{{Field: "time_zone", Message: "the program's time zone cannot be used; fix it in the program's settings"}}
	}
	zoneCache.Store(name, l)
	return l, nil
}

// today is the program's calendar day now.
func todayIn(loc *time.Location) members.Date { return members.Today(loc, now()) }

// horizonFor is the date up to which occurrences are kept as rows.
func horizonFor(today, first members.Date) members.Date {
	if first.After(today) {
		return first.AddMonths(24)
	}
	return today.AddMonths(24)
}

// newEventID returns a new random, time-ordered id.
func newEventID() string { return uuid.Must(uuid.NewV7()).String() }

// stamp is the clock's time as stored.
func nowStamp() time.Time { return now().UTC().Truncate(time.Microsecond) }

// nullable stores "" as NULL.
func nullText(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// nullCapacity stores "no limit" as NULL.
func nullCapacity(n int) any {
	if n <= 0 {
		return nil
	}
	return n
}

// prepare loads the program's zone and settings and validates in, with
// the host checkedInput against the database.
func prepare(ctx context.Context, q db.Querier, programID string, in *Input) (*checkedInput, *time.Location, error) {
	loc, err := programLocation(ctx, q, programID)
	if err != nil {
		return nil, nil, err
	}
	s, err := GetSettings(ctx, q, programID)
	if err != nil {
		return nil, nil, err
	}
	c, err := validateInput(in, loc, todayIn(loc), s.RSVPClose)
	if err != nil {
		return nil, nil, err
	}
	if err := checkHost(ctx, q, programID, c.hostID); err != nil {
		return nil, nil, err
	}
	return c, loc, nil
}

// Create adds an event to the actor's program (coordinators and admins)
// and materializes its occurrences up to the horizon, in one transaction.
// Bad input is a members.ValidationError and changes nothing.
func Create(ctx context.Context, d *db.DB, actor access.Actor, in Input) (*Event, error) {
	if err := access.ManageEvents(actor, actor.ProgramID); err != nil {
		return nil, err
	}
	var id string
	err := d.Tx(ctx, func(tx *db.Tx) error {
		c, loc, err := prepare(ctx, tx, actor.ProgramID, &in)
		if err != nil {
			return err
		}
		id = newEventID()
		if err := insertEvent(ctx, tx, id, id, actor, c, 0); err != nil {
			return err
		}
		e, err := loadEvent(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := ensureHorizon(ctx, tx, e, horizonFor(todayIn(loc), e.FirstDate)); err != nil {
			return err
		}
		return audit.Record(ctx, tx, actor, audit.Event{Action: "events.create", SubjectType: "event", SubjectID: id,
			Detail: map[string]string{"kind": string(c.kind), "audience": string(c.audience)}})
	})
	if err != nil {
		return nil, err
	}
	return loadEvent(ctx, d, id)
}

// insertEvent stores a new event with no occurrence rows yet
// (materialized_until is the day before its first date).
func insertEvent(ctx context.Context, tx *db.Tx, id, seriesID string, actor access.Actor, c *checkedInput, sequence int) error {
	t := nowStamp()
	_, err := tx.Exec(ctx, `INSERT INTO events (id, program_id, series_id, kind, title, description, location_name, address,
		online_url, starts_local, duration_minutes, rrule, first_date, last_date, materialized_until, capacity, audience,
		host_id, accessibility, circle_id, rsvp_close_minutes, window_start, window_end, sequence, created_at, updated_at, created_by)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		id, actor.ProgramID, seriesID, string(c.kind), c.title, c.description, c.locationName, c.addr,
		c.onlineURL, c.start.String(), int(c.duration/time.Minute), c.rrule, c.firstDate, c.lastDate,
		c.firstDate.AddDays(-1), nullCapacity(c.capacity), string(c.audience),
		nullText(c.hostID), c.accessibility, nullText(c.circleID), int(c.rsvpClose/time.Minute), c.windowStart, c.windowEnd,
		sequence, t, t, actor.UserID)
	if err != nil {
		return fmt.Errorf("events: insert: %w", err)
	}
	return nil
}

// RSVPClosesAt is when RSVPs to occurrence o close: the event's RSVP close
// before o's start (its start as moved, if it was).
func (e *Event) RSVPClosesAt(o *Occurrence) time.Time {
	return o.Start.Add(-e.RSVPClose)
}

// Input returns the event's fields as an Input, for an editor's form or a
// partial update: change some fields and pass it to Update or UpdateFrom.
func (e *Event) Input() Input {
	closeMinutes := int(e.RSVPClose / time.Minute)
	return Input{Kind: e.Kind, Title: e.Title, Description: e.Description, LocationName: e.LocationName,
		Address: e.Address, OnlineURL: e.OnlineURL, Start: e.Start.String(), DurationMinutes: int(e.Duration / time.Minute),
		RRule: e.RRule, Capacity: e.Capacity, Audience: e.Audience, HostID: e.HostID, Accessibility: e.Accessibility,
		CircleID: e.CircleID, RSVPCloseMinutes: &closeMinutes,
		WindowStart: e.WindowStart.String(), WindowEnd: e.WindowEnd.String()}
}
