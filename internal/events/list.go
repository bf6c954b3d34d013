package events

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/members"
)

// Listed is one occurrence in a list, with its event and the actor's RSVP
// state ("" when they did not answer; else confirmed, waitlisted,
// tentative or declined).
type Listed struct {
	Event      *Event
	Occurrence *Occurrence
	MyState    string
	// MyPosition is the actor's place on the waitlist (1 = next) when
	// MyState is waitlisted, else 0.
	MyPosition int
}

// waitlistPlace is, in a query of the actor's RSVPs r, their place on the
// waitlist (1 = next) where r is waitlisted, else 0: counted in the same
// query, by the waitlist index, as waitlistRank counts it for one RSVP.
const waitlistPlace = `CASE WHEN r.state = 'waitlisted' THEN 1 + (SELECT COUNT(*) FROM event_rsvps w
	WHERE w.event_id = r.event_id AND w.occurrence = r.occurrence AND w.state = 'waitlisted'
	AND w.waitlist_position < r.waitlist_position) ELSE 0 END`

// MaxList bounds one page of List.
const MaxList = 500

// visibleAudiences are the audiences a role sees, as access.ViewEvent
// decides, for filtering in SQL; nil means every audience.
func visibleAudiences(actor access.Actor) []any {
	var out []any
	for _, a := range Audiences {
		if access.ViewEvent(actor, actor.ProgramID, string(a)) == nil {
			out = append(out, string(a))
		}
	}
	return out
}

// List returns the occurrences of the actor's program that start from
// from (inclusive) to to (exclusive) and that the actor may see, by start,
// at most limit (1 to MaxList; other values mean MaxList). Cancelled
// occurrences and events are included (see Occurrence.Cancelled and
// Event.Cancelled), with the actor's waitlist places. It is one indexed
// query on the occurrence rows; a window beyond the horizon is
// materialized first when q can write.
func List(ctx context.Context, q db.Querier, actor access.Actor, from, to time.Time, limit int) ([]Listed, error) {
	auds := visibleAudiences(actor)
	if len(auds) == 0 {
		return nil, access.ErrNotFound
	}
	if limit <= 0 || limit > MaxList {
		limit = MaxList
	}
	if err := listHorizon(ctx, q, actor.ProgramID, to); err != nil {
		return nil, err
	}
	args := []any{actor.UserID, actor.ProgramID, from, to}
	args = append(args, auds...)
	args = append(args, limit)
	rows, err := q.Query(ctx, `SELECT `+occCols+`, `+eventColumns+`, r.state, `+waitlistPlace+`
		FROM event_occurrences o
		JOIN events e ON e.id = o.event_id
		LEFT JOIN event_rsvps r ON r.event_id = o.event_id AND r.occurrence = o.occurrence AND r.user_id = ?
		WHERE o.program_id = ? AND o.starts_at >= ? AND o.starts_at < ? AND e.audience IN (`+db.Placeholders(len(auds))+`)
		ORDER BY o.starts_at, o.event_id LIMIT ?`, args...)
	if err != nil {
		return nil, fmt.Errorf("events: list: %w", err)
	}
	defer rows.Close()
	var out []Listed
	events := map[string]*Event{}
	for rows.Next() {
		o, e := &Occurrence{}, &Event{}
		od, ofinish := occDest(o)
		ed, efinish := eventDest(e)
		var state sql.NullString
		var pos int
		if err := rows.Scan(append(append(od, ed...), &state, &pos)...); err != nil {
			return nil, fmt.Errorf("events: list: %w", err)
		}
		ofinish()
		if err := efinish(); err != nil {
			return nil, err
		}
		if seen, ok := events[e.ID]; ok {
			e = seen
		} else {
			events[e.ID] = e
		}
		out = append(out, Listed{Event: e, Occurrence: o, MyState: state.String, MyPosition: pos})
	}
	return out, rows.Err()
}

// listHorizon materializes the program's open series up to to when the
// window reaches beyond the horizon that the daily job keeps; inside it,
// it costs nothing.
func listHorizon(ctx context.Context, q db.Querier, programID string, to time.Time) error {
	if to.Before(now().AddDate(0, 23, 0)) {
		return nil // well inside the horizon, whatever the zone
	}
	loc, err := programLocation(ctx, q, programID)
	if err != nil {
		return err
	}
	until := members.DateOf(to.In(loc)).AddDays(1)
	if !until.After(todayIn(loc).AddMonths(24).AddDays(-7)) {
		return nil
	}
	ids, err := queryStrings(ctx, q, `SELECT id FROM events WHERE program_id = ? AND cancelled_at IS NULL AND rrule <> ''
		AND materialized_until < ? AND (last_date IS NULL OR materialized_until < last_date)`, programID, until)
	if err != nil {
		return err
	}
	for _, id := range ids {
		e, err := loadEvent(ctx, q, id)
		if err != nil {
			return err
		}
		if err := materializeOnDemand(ctx, q, e, until); err != nil {
			return err
		}
	}
	return nil
}
