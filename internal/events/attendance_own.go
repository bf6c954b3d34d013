package events

import (
	"context"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/db"
)

// OwnAttendanceID returns the id of the actor's own attendance entry at
// one occurrence, such as the one a check-in with a code has just made.
// No entry, or no signed-in actor, is db.ErrNotFound.
func OwnAttendanceID(ctx context.Context, q db.Querier, actor access.Actor, eventID, occ string) (string, error) {
	if actor.Anonymous() {
		return "", access.ErrNotFound
	}
	var id string
	err := q.QueryRow(ctx, `SELECT id FROM event_attendance WHERE event_id = ? AND occurrence = ? AND user_id = ?`,
		eventID, occ, actor.UserID).Scan(&id)
	return id, db.Err(err)
}
