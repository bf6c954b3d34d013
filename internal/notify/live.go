package notify

import (
	"context"
	"encoding/json"

	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/live"
)

// publishUnread tells the person's open pages their new unread count, as a
// live event of type typ ("notification" or "unread") delivered when tx
// commits. The event holds the count only.
func publishUnread(ctx context.Context, tx *db.Tx, userID, typ string) error {
	n, err := unread(ctx, tx, userID)
	if err != nil {
		return err
	}
	data, err := json.Marshal(map[string]int{"unread": n})
	if err != nil {
		return err
	}
	return live.Publish(ctx, tx, userID, live.Event{Type: typ, Data: data})
}
