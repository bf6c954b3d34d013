// Package live delivers small live updates (a new notification, an unread
// count) to the signed-in person's open pages over server-sent events.
//
// An update is published inside the transaction of the change that causes
// it and reaches subscribers only if that transaction commits. On
// PostgreSQL the update travels through LISTEN/NOTIFY, so every instance
// sharing the database sees it; on SQLite (one process) it is handed to
// the hubs of this process after the commit.
//
// Events carry no health details: only a type and a small JSON object such
// as an id or a count, so that the page knows what to refresh.
package live

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"unicode"

	"github.com/cairn-recovery/cairn/internal/db"
)

// channelName is the PostgreSQL notification channel.
const channelName = "cairn_live"

// maxPayload bounds a notification payload; PostgreSQL refuses payloads of
// 8000 bytes or more.
const maxPayload = 7900

// ResyncType is the type of the event a subscriber receives when updates
// may have been lost (its buffer overflowed, or the hub lost its database
// connection for a while): the page should reload what it shows.
const ResyncType = "resync"

// Event is one live update for one person.
type Event struct {
	// Type names the update, e.g. "notification" or "unread"; lowercase
	// letters, digits, '_' and '-' only.
	Type string
	// Data is a small JSON object, never health details. Nil means {}.
	Data json.RawMessage
}

// payload is what travels through pg_notify.
type payload struct {
	UserID string          `json:"user_id"`
	Type   string          `json:"type"`
	Data   json.RawMessage `json:"data"`
}

// ErrTooLarge is returned by Publish when an event would not fit into a
// PostgreSQL notification.
var ErrTooLarge = errors.New("live: event too large")

// Publish queues ev for userID as part of tx. On PostgreSQL it runs
// pg_notify inside tx, delivered to every instance at commit; on SQLite it
// hands the event to this process's hubs once tx commits. A rolled-back
// transaction publishes nothing.
func Publish(ctx context.Context, tx *db.Tx, userID string, ev Event) error {
	if tx == nil {
		return errors.New("live: a transaction is required")
	}
	p, err := newPayload(userID, ev)
	if err != nil {
		return err
	}
	if tx.Engine() == db.Postgres {
		b, err := json.Marshal(p)
		if err != nil {
			return fmt.Errorf("live: encode event: %w", err)
		}
		if len(b) > maxPayload {
			return ErrTooLarge
		}
		// Events are sent in one statement when the transaction commits,
		// however many it publishes (a fan-out to thousands of people is
		// one round trip, not thousands). NOTIFY delivers at commit anyway.
		v, created := tx.Stash(pendingKey{}, func() any { return &pending{} })
		pend := v.(*pending)
		pend.payloads = append(pend.payloads, string(b))
		if created {
			tx.BeforeCommit(func(ctx context.Context) error {
				if _, err := tx.Exec(ctx, "SELECT pg_notify('"+channelName+"', p) FROM unnest(?::text[]) AS p", pend.payloads); err != nil {
					return fmt.Errorf("live: publish: %w", err)
				}
				return nil
			})
		}
		return nil
	}
	d := tx.DB()
	tx.AfterCommit(func() { localDeliver(d, p.UserID, Event{Type: p.Type, Data: p.Data}) })
	return nil
}

// pendingKey stashes a transaction's PostgreSQL events until it commits.
type pendingKey struct{}

type pending struct{ payloads []string }

// newPayload checks and normalises an event.
func newPayload(userID string, ev Event) (payload, error) {
	if userID == "" {
		return payload{}, errors.New("live: user_id is required")
	}
	if !validType(ev.Type) {
		return payload{}, fmt.Errorf("live: type %q is not a valid event type", ev.Type)
	}
	data := ev.Data
	if len(data) == 0 {
		data = json.RawMessage("{}")
	}
	var buf bytes.Buffer
	if err := json.Compact(&buf, data); err != nil {
		return payload{}, fmt.Errorf("live: data is not valid JSON: %w", err)
	}
	if buf.Len() > maxPayload {
		return payload{}, ErrTooLarge
	}
	return payload{UserID: userID, Type: ev.Type, Data: json.RawMessage(buf.Bytes())}, nil
}

// validType reports whether t is a usable SSE event name.
func validType(t string) bool {
	if t == "" || len(t) > 64 {
		return false
	}
	for _, r := range t {
		if r > unicode.MaxASCII || !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_' || r == '-') {
			return false
		}
	}
	return true
}
