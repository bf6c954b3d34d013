package events

import (
	"context"
	"fmt"
	"time"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/db"
)

// MaxMyEvents bounds one page of MyEvents.
const MaxMyEvents = 200

// MyEvents returns the occurrences the actor answered yes (confirmed or
// waitlisted) or maybe to, that have not ended by from, by start, at most
// limit (1 to MaxMyEvents; other values mean MaxMyEvents). Each carries
// the actor's state and waitlist place. Cancelled occurrences and events stay listed (marked
// by their Cancelled fields) so that the member sees the cancellation;
// events the actor may no longer see are left out.
func MyEvents(ctx context.Context, q db.Querier, actor access.Actor, from time.Time, limit int) ([]Listed, error) {
	if actor.Anonymous() || actor.ProgramID == "" {
		return nil, access.ErrNotFound
	}
	if limit <= 0 || limit > MaxMyEvents {
		limit = MaxMyEvents
	}
	rows, err := q.Query(ctx, `SELECT r.event_id, r.occurrence, r.state, `+waitlistPlace+` FROM event_rsvps r
		JOIN event_occurrences o ON o.event_id = r.event_id AND o.occurrence = r.occurrence
		WHERE r.user_id = ? AND r.program_id = ? AND r.state IN ('confirmed', 'waitlisted', 'tentative')
		AND o.ends_at > ?
		ORDER BY o.starts_at, r.event_id LIMIT ?`, actor.UserID, actor.ProgramID, from, limit)
	if err != nil {
		return nil, fmt.Errorf("events: my events: %w", err)
	}
	type mine struct {
		event, occ, state string
		pos               int
	}
	var found []mine
	for rows.Next() {
		var m mine
		if err := rows.Scan(&m.event, &m.occ, &m.state, &m.pos); err != nil {
			rows.Close()
			return nil, err
		}
		found = append(found, m)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	out := make([]Listed, 0, len(found))
	evs := map[string]*Event{}
	for _, m := range found {
		e, ok := evs[m.event]
		if !ok {
			if e, err = loadEvent(ctx, q, m.event); err != nil {
				return nil, err
			}
			evs[m.event] = e
		}
		if access.ViewEvent(actor, e.ProgramID, string(e.Audience)) != nil {
			continue
		}
		o, err := loadOccurrence(ctx, q, m.event, m.occ)
		if err != nil {
			return nil, err
		}
		out = append(out, Listed{Event: e, Occurrence: o, MyState: m.state, MyPosition: m.pos})
	}
	return out, nil
}
