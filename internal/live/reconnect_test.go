package live

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/cairn-recovery/cairn/internal/testkit"
)

// TestListenerReconnects kills the hub's PostgreSQL connection: the hub
// reconnects, tells subscribers to resync (they may have missed events),
// and delivers again.
func TestListenerReconnects(t *testing.T) {
	d := testkit.Postgres(t)
	h := startHub(t, d)
	ch, stop := h.Subscribe("alice")
	defer stop()

	var killed int
	if err := d.QueryRow(context.Background(), `SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
		WHERE datname = current_database() AND query = 'LISTEN `+channelName+`'`).Scan(&killed); err != nil {
		t.Fatal(err)
	}
	if killed != 1 {
		t.Fatalf("terminated %d listening connections, want 1", killed)
	}
	if ev := next(t, ch); ev.Type != ResyncType {
		t.Fatalf("first event after the reconnection is %q, want %q", ev.Type, ResyncType)
	}
	publish(t, d, "alice", Event{Type: "unread", Data: json.RawMessage(`{"unread":2}`)}, false)
	if ev := next(t, ch); ev.Type != "unread" || string(ev.Data) != `{"unread":2}` {
		t.Fatalf("after the reconnection alice got %s %s", ev.Type, ev.Data)
	}
}
