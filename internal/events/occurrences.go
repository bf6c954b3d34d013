package events

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/members"
)

// occCols are the columns occDest reads, in its order.
const occCols = `o.event_id, o.occurrence, o.starts_at, o.ends_at, o.cancelled, o.moved, o.location_name,
	o.address, o.note, o.confirmed_people, o.sequence`

// occDest returns the scan destinations for occCols into o
// and a function that finishes o after the scan.
func occDest(o *Occurrence) ([]any, func()) {
	var loc, addr sql.NullString
	dest := []any{&o.EventID, &o.ID, &o.Start, &o.End, &o.Cancelled, &o.Moved, &loc, &addr, &o.Note, &o.ConfirmedPeople, &o.Sequence}
	return dest, func() {
		o.LocationName, o.Address = loc.String, addr.String
		o.Start, o.End = o.Start.UTC(), o.End.UTC()
	}
}

// loadOccurrence returns the stored occurrence occ of eventID, without any
// access check; db.ErrNotFound when there is no such row.
func loadOccurrence(ctx context.Context, q db.Querier, eventID, occ string) (*Occurrence, error) {
	o := &Occurrence{}
	dest, finish := occDest(o)
	err := db.Err(q.QueryRow(ctx, `SELECT `+occCols+` FROM event_occurrences o WHERE o.event_id = ? AND o.occurrence = ?`,
		eventID, occ).Scan(dest...))
	if err != nil {
		return nil, err
	}
	finish()
	return o, nil
}

// GetOccurrence returns the event and its occurrence occ if actor may see
// the event. An occurrence beyond the horizon is materialized first when q
// can write (a *db.DB or *db.Tx); a date that is not an occurrence is
// db.ErrNotFound.
func GetOccurrence(ctx context.Context, q db.Querier, actor access.Actor, eventID, occ string) (*Event, *Occurrence, error) {
	e, err := Get(ctx, q, actor, eventID)
	if err != nil {
		return nil, nil, err
	}
	o, err := loadOccurrence(ctx, q, eventID, occ)
	if errors.Is(err, db.ErrNotFound) {
		date, perr := members.ParseDate(occ)
		if perr != nil || date.Before(e.FirstDate) || (!e.LastDate.IsZero() && date.After(e.LastDate)) {
			return nil, nil, db.ErrNotFound
		}
		if err := materializeOnDemand(ctx, q, e, date); err != nil {
			return nil, nil, err
		}
		o, err = loadOccurrence(ctx, q, eventID, occ)
	}
	if err != nil {
		return nil, nil, err
	}
	return e, o, nil
}

// Occurrences returns the occurrences of one event that start from from
// (inclusive) to to (exclusive), cancelled ones included, if actor may see
// the event.
func Occurrences(ctx context.Context, q db.Querier, actor access.Actor, eventID string, from, to time.Time) ([]*Occurrence, error) {
	e, err := Get(ctx, q, actor, eventID)
	if err != nil {
		return nil, err
	}
	loc, err := programLocation(ctx, q, e.ProgramID)
	if err != nil {
		return nil, err
	}
	// One day of slack: a moved occurrence may start on another day than
	// its date.
	if err := materializeOnDemand(ctx, q, e, members.DateOf(to.In(loc)).AddDays(1)); err != nil {
		return nil, err
	}
	rows, err := q.Query(ctx, `SELECT `+occCols+` FROM event_occurrences o
		WHERE o.event_id = ? AND o.starts_at >= ? AND o.starts_at < ? ORDER BY o.starts_at, o.occurrence`, eventID, from, to)
	if err != nil {
		return nil, fmt.Errorf("events: occurrences: %w", err)
	}
	defer rows.Close()
	var out []*Occurrence
	for rows.Next() {
		o := &Occurrence{}
		dest, finish := occDest(o)
		if err := rows.Scan(dest...); err != nil {
			return nil, fmt.Errorf("events: occurrences: %w", err)
		}
		finish()
		out = append(out, o)
	}
	return out, rows.Err()
}

// materializeOnDemand extends e's rows up to until when q can write; a
// read-only querier reads what is there.
func materializeOnDemand(ctx context.Context, q db.Querier, e *Event, until members.Date) error {
	if e.Cancelled() || !e.Recurring() {
		return nil
	}
	mu, err := materializedUntil(ctx, q, e.ID)
	if err != nil || !mu.Before(until) || (!e.LastDate.IsZero() && !mu.Before(e.LastDate)) {
		return err
	}
	switch w := q.(type) {
	case *db.Tx:
		return ensureHorizon(ctx, w, e, until)
	case *db.DB:
		return w.Tx(ctx, func(tx *db.Tx) error { return ensureHorizon(ctx, tx, e, until) })
	}
	return nil
}

// materializedUntil reads how far an event's rows go.
func materializedUntil(ctx context.Context, q db.Querier, eventID string) (members.Date, error) {
	var mu members.Date
	err := db.Err(q.QueryRow(ctx, `SELECT materialized_until FROM events WHERE id = ?`, eventID).Scan(&mu))
	return mu, err
}

// ensureHorizon makes sure e's occurrences exist as rows up to until (a
// local date), capped at e's last date and at yearsAround years from today,
// at most maxExpand rows per expansion. Existing rows are left alone.
func ensureHorizon(ctx context.Context, tx *db.Tx, e *Event, until members.Date) error {
	_, err := extendRows(ctx, tx, e, until)
	return err
}

// extendRows is ensureHorizon, reporting how many rows it added.
func extendRows(ctx context.Context, tx *db.Tx, e *Event, until members.Date) (int, error) {
	if e.Cancelled() {
		return 0, nil
	}
	loc, err := programLocation(ctx, tx, e.ProgramID)
	if err != nil {
		return 0, err
	}
	if limit := todayIn(loc).AddYears(yearsAround); until.After(limit) {
		until = limit
	}
	if !e.LastDate.IsZero() && until.After(e.LastDate) {
		until = e.LastDate
	}
	mu, err := materializedUntil(ctx, tx, e.ID)
	if err != nil {
		return 0, err
	}
	added := 0
	for mu.Before(until) {
		dates, err := expand(e, loc, mu.AddDays(1), until)
		if err != nil {
			return added, err
		}
		reached := until
		if len(dates) == maxExpand {
			reached = dates[len(dates)-1].Date
		}
		n, err := insertOccurrences(ctx, tx, e, loc, dates)
		added += n
		if err != nil {
			return added, err
		}
		if _, err := tx.Exec(ctx, `UPDATE events SET materialized_until = ? WHERE id = ?`, reached, e.ID); err != nil {
			return added, fmt.Errorf("events: horizon: %w", err)
		}
		mu = reached
	}
	return added, nil
}

// insertOccurrences stores rows for the given local starts of e; a date
// that already has a row keeps it. It returns how many rows it added.
func insertOccurrences(ctx context.Context, tx *db.Tx, e *Event, loc *time.Location, starts []LocalTime) (int, error) {
	const batch = 100
	added := 0
	for len(starts) > 0 {
		n := min(batch, len(starts))
		q := `INSERT INTO event_occurrences (event_id, occurrence, program_id, starts_at, ends_at, cancelled, moved, note,
			confirmed_people, waitlist_next, sequence) VALUES `
		args := make([]any, 0, n*11)
		for i, lt := range starts[:n] {
			if i > 0 {
				q += ", "
			}
			q += "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
			s := lt.In(loc)
			args = append(args, e.ID, lt.Date.String(), e.ProgramID, s, s.Add(e.Duration), false, false, "", 0, 1, 0)
		}
		res, err := tx.Exec(ctx, q+` ON CONFLICT (event_id, occurrence) DO NOTHING`, args...)
		if err != nil {
			return added, fmt.Errorf("events: materialize: %w", err)
		}
		if k, err := res.RowsAffected(); err == nil {
			added += int(k)
		}
		starts = starts[n:]
	}
	return added, nil
}
