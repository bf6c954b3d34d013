package live

import (
	"context"
	"encoding/json"
	"time"

	"github.com/jackc/pgx/v5"
)

// Reconnection backoff of the PostgreSQL listener.
const (
	minBackoff = 100 * time.Millisecond
	maxBackoff = 10 * time.Second
)

// listen receives notifications on a dedicated connection until ctx is
// done, reconnecting with exponential backoff. After a reconnection every
// subscriber gets a resync event, since notifications sent meanwhile are
// lost.
func (h *Hub) listen(ctx context.Context) error {
	backoff := minBackoff
	connected := false
	for {
		err := h.listenOnce(ctx, func() {
			if connected {
				h.resyncAll()
			}
			connected = true
			backoff = minBackoff
			h.markReady()
		})
		if ctx.Err() != nil {
			return nil
		}
		// The error comes from pgx and names no credentials.
		h.log.Warn("live: lost the notification connection; reconnecting", "err", err, "in", backoff.String())
		t := time.NewTimer(backoff)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil
		case <-t.C:
		}
		backoff = min(backoff*2, maxBackoff)
	}
}

// listenOnce connects, listens and delivers until the connection fails or
// ctx is done. It calls listening once LISTEN has succeeded.
func (h *Hub) listenOnce(ctx context.Context, listening func()) error {
	conn, err := pgx.Connect(ctx, h.db.DSN())
	if err != nil {
		return err
	}
	defer func() {
		closeCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 2*time.Second)
		defer cancel()
		conn.Close(closeCtx)
	}()
	if _, err := conn.Exec(ctx, "LISTEN "+channelName); err != nil {
		return err
	}
	listening()
	for {
		n, err := conn.WaitForNotification(ctx)
		if err != nil {
			return err
		}
		var p payload
		if err := json.Unmarshal([]byte(n.Payload), &p); err != nil || p.UserID == "" || !validType(p.Type) {
			h.log.Warn("live: ignored a malformed notification")
			continue
		}
		h.deliver(p.UserID, Event{Type: p.Type, Data: p.Data})
	}
}
