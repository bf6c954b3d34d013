package events

import (
	"context"
	"fmt"
	"time"

	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/members"
)

// The family page of internal/members shows the events an alumnus shares
// with family under their consent; it reads them from here.
func init() { members.SetFamilyEvents(familyEventsOf) }

// familyEventsOf lists the upcoming occurrences alumnusID answered yes or
// maybe to (confirmed, waitlisted or tentative), not cancelled and not for
// staff only, by start.
func familyEventsOf(ctx context.Context, q db.Querier, alumnusID string, limit int) ([]members.FamilyEvent, error) {
	rows, err := q.Query(ctx, `SELECT e.title, e.kind, o.starts_at, o.ends_at,
		COALESCE(NULLIF(o.location_name, ''), e.location_name), r.state
		FROM event_rsvps r
		JOIN event_occurrences o ON o.event_id = r.event_id AND o.occurrence = r.occurrence
		JOIN events e ON e.id = r.event_id
		WHERE r.user_id = ? AND r.state IN ('confirmed', 'waitlisted', 'tentative') AND o.ends_at >= ?
		AND o.cancelled = FALSE AND e.cancelled_at IS NULL AND e.audience <> 'staff'
		ORDER BY o.starts_at LIMIT ?`, alumnusID, now().UTC(), limit)
	if err != nil {
		return nil, fmt.Errorf("events: family events: %w", err)
	}
	defer rows.Close()
	var out []members.FamilyEvent
	for rows.Next() {
		var fe members.FamilyEvent
		var kind, state string
		var start, end time.Time
		if err := rows.Scan(&fe.Title, &kind, &start, &end, &fe.Place, &state); err != nil {
			return nil, fmt.Errorf("events: family events: %w", err)
		}
		fe.Kind, fe.Start, fe.End, fe.Going = Kind(kind).Label(), start, end, state == RSVPConfirmed
		out = append(out, fe)
	}
	return out, rows.Err()
}
