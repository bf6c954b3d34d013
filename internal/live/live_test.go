package live

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/testkit"
)

// deadline bounds every wait in these tests; it is generous on purpose and
// never asserts how fast anything is.
const deadline = 10 * time.Second

// startHub runs a hub on d until the test ends and waits until it is ready.
func startHub(t *testing.T, d *db.DB) *Hub {
	t.Helper()
	h := NewHub(d, nil)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- h.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Run: %v", err)
		}
	})
	select {
	case <-h.Ready():
	case <-time.After(deadline):
		t.Fatal("hub never became ready")
	}
	return h
}

// publish publishes ev for userID in a transaction that commits, or rolls
// back when rollback is set.
func publish(t *testing.T, d *db.DB, userID string, ev Event, rollback bool) {
	t.Helper()
	errRollback := errors.New("roll back")
	err := d.Tx(context.Background(), func(tx *db.Tx) error {
		if err := Publish(context.Background(), tx, userID, ev); err != nil {
			return err
		}
		if rollback {
			return errRollback
		}
		return nil
	})
	if rollback && !errors.Is(err, errRollback) || !rollback && err != nil {
		t.Fatalf("publish: %v", err)
	}
}

// next returns the next event on ch, failing the test after the deadline.
func next(t *testing.T, ch <-chan Event) Event {
	t.Helper()
	select {
	case ev, ok := <-ch:
		if !ok {
			t.Fatal("subscription closed")
		}
		return ev
	case <-time.After(deadline):
		t.Fatal("no event before the deadline")
	}
	return Event{}
}

func TestPublishDelivers(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		h := startHub(t, d)
		alice, stopAlice := h.Subscribe("alice")
		defer stopAlice()
		bob, stopBob := h.Subscribe("bob")
		defer stopBob()

		// Committed: arrives, with its data.
		publish(t, d, "alice", Event{Type: "notification", Data: json.RawMessage(`{ "id": "n1" }`)}, false)
		ev := next(t, alice)
		if ev.Type != "notification" || string(ev.Data) != `{"id":"n1"}` {
			t.Fatalf("got %s %s, want notification {\"id\":\"n1\"}", ev.Type, ev.Data)
		}

		// Rolled back: never arrives. The marker published after it is
		// the next event alice sees.
		publish(t, d, "alice", Event{Type: "notification", Data: json.RawMessage(`{"id":"rolled-back"}`)}, true)
		publish(t, d, "alice", Event{Type: "unread", Data: json.RawMessage(`{"count":3}`)}, false)
		if ev := next(t, alice); ev.Type != "unread" || string(ev.Data) != `{"count":3}` {
			t.Fatalf("after a rolled-back publish alice got %s %s, want the marker", ev.Type, ev.Data)
		}

		// Bob got none of alice's events: his first is his own marker.
		publish(t, d, "bob", Event{Type: "unread"}, false)
		if ev := next(t, bob); ev.Type != "unread" || string(ev.Data) != `{}` {
			t.Fatalf("bob's first event is %s %s, want his own marker", ev.Type, ev.Data)
		}

		// Unsubscribing closes the channel and stops delivery.
		stopBob()
		publish(t, d, "bob", Event{Type: "unread"}, false)
		if _, ok := <-bob; ok {
			t.Fatal("an ended subscription still received an event")
		}
	})
}

func TestPublishRejectsBadEvents(t *testing.T) {
	d := testkit.SQLite(t)
	cases := []struct {
		name   string
		userID string
		ev     Event
		want   string
	}{
		{"no user", "", Event{Type: "unread"}, "user_id"},
		{"no type", "u", Event{}, "type"},
		{"type with a line break", "u", Event{Type: "unread\ndata: x"}, "type"},
		{"data not JSON", "u", Event{Type: "unread", Data: json.RawMessage(`{`)}, "data"},
		{"too large", "u", Event{Type: "unread", Data: json.RawMessage(`"` + strings.Repeat("x", 8000) + `"`)}, "too large"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := d.Tx(context.Background(), func(tx *db.Tx) error { return Publish(context.Background(), tx, c.userID, c.ev) })
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("Publish: %v, want an error naming %q", err, c.want)
			}
		})
	}
}

func TestSlowSubscriberDoesNotBlockOthers(t *testing.T) {
	h := NewHub(testkit.SQLite(t), nil)
	slow, stopSlow := h.Subscribe("u")
	defer stopSlow()
	fast, stopFast := h.Subscribe("u")
	defer stopFast()

	ev := func(i int) Event { return Event{Type: "unread", Data: json.RawMessage(fmt.Sprintf(`{"count":%d}`, i))} }
	var fastGot []Event
	drainFast := func() {
		for len(fast) > 0 {
			fastGot = append(fastGot, <-fast)
		}
	}
	// Fill both buffers; the fast subscriber reads, the slow one never.
	for i := range subscriberBuffer {
		h.deliver("u", ev(i))
	}
	drainFast()
	// Delivery to a full subscriber does not block.
	for i := subscriberBuffer; i < 2*subscriberBuffer; i++ {
		h.deliver("u", ev(i))
	}
	drainFast()

	if len(fastGot) != 2*subscriberBuffer {
		t.Fatalf("the reading subscriber got %d events, want %d", len(fastGot), 2*subscriberBuffer)
	}
	for i, e := range fastGot {
		if want := ev(i); e.Type != want.Type || string(e.Data) != string(want.Data) {
			t.Fatalf("event %d of the reading subscriber is %s %s, want %s", i, e.Type, e.Data, want.Data)
		}
	}
	// The slow one lost its backlog and was told to resync first.
	if first := <-slow; first.Type != ResyncType {
		t.Fatalf("the slow subscriber's first event is %q, want %q", first.Type, ResyncType)
	}
	if n := len(slow); n != subscriberBuffer-1 {
		t.Fatalf("the slow subscriber has %d events after the resync, want %d", n, subscriberBuffer-1)
	}
}

// TestManyEventsInOneTransaction: a transaction that publishes many events
// (a fan-out) delivers each of them once, in order, at commit.
func TestManyEventsInOneTransaction(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		h := startHub(t, d)
		alice, stop := h.Subscribe("alice")
		defer stop()
		carol, stopCarol := h.Subscribe("carol")
		defer stopCarol()
		err := d.Tx(context.Background(), func(tx *db.Tx) error {
			for i := range 5 {
				for _, u := range []string{"alice", "carol"} {
					data := json.RawMessage(fmt.Sprintf(`{"n":%d}`, i))
					if err := Publish(context.Background(), tx, u, Event{Type: "unread", Data: data}); err != nil {
						return err
					}
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		for _, ch := range []<-chan Event{alice, carol} {
			for i := range 5 {
				if ev := next(t, ch); string(ev.Data) != fmt.Sprintf(`{"n":%d}`, i) {
					t.Fatalf("event %d: got %s", i, ev.Data)
				}
			}
		}
	})
}
