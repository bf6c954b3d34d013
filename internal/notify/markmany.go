package notify

import (
	"context"
	"fmt"
	"time"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/db"
)

// NotYoursError names the first id given to MarkReadMany that is not one
// of the actor's notifications (or does not exist). It is
// access.ErrNotFound for errors.Is, so handlers answer 404.
type NotYoursError struct {
	// Index is the id's position in the list given.
	Index int
}

func (e *NotYoursError) Error() string {
	return fmt.Sprintf("notify: notification %d of the list is not found", e.Index)
}

// Unwrap makes the error access.ErrNotFound.
func (e *NotYoursError) Unwrap() error { return access.ErrNotFound }

// MarkReadMany marks several of the actor's notifications read in one
// transaction: all of them or, when one id is not the actor's, none
// (a *NotYoursError naming it). Ids already read stay as they were, and an
// id given twice counts once.
func MarkReadMany(ctx context.Context, d *db.DB, actor access.Actor, ids []string) error {
	if actor.UserID == "" {
		return access.ErrNotFound
	}
	return d.Tx(ctx, func(tx *db.Tx) error {
		at := Now().UTC().Truncate(time.Microsecond)
		changed := false
		seen := make(map[string]bool, len(ids))
		for i, id := range ids {
			if seen[id] {
				continue
			}
			seen[id] = true
			res, err := tx.Exec(ctx, `UPDATE notifications SET read_at = COALESCE(read_at, ?) WHERE id = ? AND user_id = ?`,
				at, id, actor.UserID)
			if err != nil {
				return fmt.Errorf("notify: mark read: %w", err)
			}
			n, err := res.RowsAffected()
			if err != nil {
				return fmt.Errorf("notify: mark read: %w", err)
			}
			if n == 0 {
				return &NotYoursError{Index: i}
			}
			changed = true
		}
		if !changed {
			return nil
		}
		return publishUnread(ctx, tx, actor.UserID, "unread")
	})
}
