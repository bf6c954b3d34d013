package circles

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/db"
)

// Gathering is an upcoming occurrence of an event of the circle.
type Gathering struct {
	EventID    string
	Occurrence string
	Title      string
	StartsAt   time.Time
}

// Upcoming lists the next few occurrences of the events that belong to
// circle c (events.circle_id), for someone who sees the circle. Staff-only
// events are listed for staff alone.
func Upcoming(ctx context.Context, q db.Querier, actor access.Actor, c *Circle) ([]Gathering, error) {
	if access.SeeCircle(actor, c.rule()) != nil {
		return nil, access.ErrNotFound
	}
	rows, err := q.Query(ctx, `SELECT o.event_id, o.occurrence, e.title, o.starts_at
		FROM events e JOIN event_occurrences o ON o.event_id = e.id
		WHERE e.circle_id = ? AND e.program_id = ? AND e.cancelled_at IS NULL AND o.cancelled = FALSE AND o.starts_at >= ?
		AND (e.audience <> 'staff' OR ?)
		ORDER BY o.starts_at, o.event_id LIMIT 5`, c.ID, c.ProgramID, time.Now().UTC(), actor.Role.Staff())
	if err != nil {
		return nil, fmt.Errorf("circles: upcoming: %w", err)
	}
	defer rows.Close()
	var out []Gathering
	for rows.Next() {
		var g Gathering
		if err := rows.Scan(&g.EventID, &g.Occurrence, &g.Title, &g.StartsAt); err != nil {
			return nil, fmt.Errorf("circles: upcoming: %w", err)
		}
		out = append(out, g)
	}
	return out, rows.Err()
}

// Name returns the name of circle id in programID ("" when there is none),
// for the event page's "Part of the … circle". It checks nothing: a name
// alone tells nothing private, and the link leads through the rules.
func Name(ctx context.Context, q db.Querier, programID, id string) (string, error) {
	if id == "" {
		return "", nil
	}
	var name string
	err := q.QueryRow(ctx, `SELECT name FROM circles WHERE id = ? AND program_id = ?`, id, programID).Scan(&name)
	if err != nil {
		if errors.Is(db.Err(err), db.ErrNotFound) {
			return "", nil
		}
		return "", fmt.Errorf("circles: name: %w", err)
	}
	return name, nil
}
