package conversations

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/live"
	"github.com/cairn-recovery/cairn/internal/notify"
	"github.com/cairn-recovery/cairn/internal/peers/safety"
)

// notifyEvery is the least time between two notifications to one person
// about one conversation: more messages within it are in the same
// notification.
const notifyEvery = time.Hour

// activeWindow is how recently a person must have read a conversation to
// count as reading it now: they are not notified, the page shows the
// message live.
const activeWindow = 2 * time.Minute

// Send sends body as actor into conversation id, of which actor must be a
// member (anyone else is access.ErrNotFound). The body is stored as typed
// (encrypted) and must hold some text and at most MaxBody characters
// (ValidationError on body). In a direct conversation where either person
// blocked the other, nothing is sent and the error is ErrClosed. The bool
// reports that the body held crisis language (the caller shows the crisis
// numbers; the message is sent all the same).
//
// What Send only reads (the conversation, its members, blocks, the
// members' other unread conversations) is read before the write
// transaction, from the readers: on SQLite the one writer is then held
// for the writes alone. A block made in the milliseconds between is as if
// made just after the message.
//
// Concurrent sends share transactions (group commit, see send_batch.go).
// If ctx ends while the send waits for its transaction, Send returns
// ctx.Err() and the message may still be sent; once the transaction has
// begun, the end of ctx no longer stops it.
func Send(ctx context.Context, d *db.DB, actor access.Actor, id, body string) (*Message, bool, error) {
	if err := access.UseConversations(actor); err != nil {
		return nil, false, err
	}
	c, err := memberConv(ctx, d, actor, id)
	if err != nil {
		return nil, false, err
	}
	if msg := bodyProblem(body); msg != "" {
		return nil, false, ValidationError{{Field: "body", Message: msg}}
	}
	p, err := prepare(ctx, d, actor, c)
	if err != nil {
		return nil, false, err
	}
	j := newSendJob(ctx, actor, c, body, p)
	sendBatcherFor(d, c.id).submit(j)
	select {
	case <-j.done:
	case <-ctx.Done():
		return nil, false, ctx.Err()
	}
	if j.err != nil {
		return nil, false, j.err
	}
	return j.out, j.matched, nil
}

// prepared is what a send reads before it writes.
type prepared struct {
	// blocked are the people in a block with the author.
	blocked map[string]bool
}

// prepare reads what sending into c as actor needs, from q. A direct
// conversation with a block, or whose other person is gone (an account
// deleted), is ErrClosed.
func prepare(ctx context.Context, q db.Querier, actor access.Actor, c *convRow) (*prepared, error) {
	blocked, err := safety.BlockedIDs(ctx, q, actor.UserID)
	if err != nil {
		return nil, err
	}
	if c.kind == "direct" {
		if len(c.members) < 2 {
			return nil, ErrClosed // the other person's account was deleted
		}
		for _, m := range c.members {
			if m.userID != actor.UserID && blocked[m.userID] {
				return nil, ErrClosed
			}
		}
	}
	return &prepared{blocked: blocked}, nil
}

// send stores body from actor, a member of c, inside tx, and tells the
// other members: a batch of one (send_batch.go).
func send(ctx context.Context, tx *db.Tx, actor access.Actor, c *convRow, body string, p *prepared) (*Message, bool, error) {
	j := newSendJob(ctx, actor, c, body, p)
	if err := sendAll(ctx, tx, []*sendJob{j}, false); err != nil {
		return nil, false, err
	}
	return j.out, j.matched, nil
}

// fanOut publishes the live events of a new message and notifies the
// members who are away, at most once per conversation per notifyEvery.
// Members in a block with the author get nothing: the message is hidden
// for them.
func fanOut(ctx context.Context, tx *db.Tx, c *convRow, author *memberRow, msgID string, sentAt time.Time, p *prepared) error {
	msgEvent, err := json.Marshal(map[string]string{"conversation_id": c.id, "message_id": msgID})
	if err != nil {
		return err
	}
	for _, m := range c.members {
		if p.blocked[m.userID] || m.disabled {
			continue
		}
		if err := live.Publish(ctx, tx, m.userID, live.Event{Type: "message", Data: msgEvent}); err != nil {
			return fmt.Errorf("conversations: live: %w", err)
		}
		if m.userID == author.userID {
			continue
		}
		// Their count of conversations with unread messages changed. The
		// event carries no count: counting for every recipient on every
		// send was a third of a send's time, and only the recipients with
		// a page open need it (the page asks /conversations/unread).
		if err := live.Publish(ctx, tx, m.userID, live.Event{Type: "conversations_unread"}); err != nil {
			return fmt.Errorf("conversations: live: %w", err)
		}
		if m.muted || (!m.notifiedAt.IsZero() && sentAt.Sub(m.notifiedAt) < notifyEvery) ||
			(!m.seenAt.IsZero() && sentAt.Sub(m.seenAt) < activeWindow) {
			continue
		}
		// Claim the notification: of two messages sent at once, only one
		// notifies.
		res, err := tx.Exec(ctx, `UPDATE conversation_members SET notified_at = ? WHERE conversation_id = ? AND user_id = ?
			AND (notified_at IS NULL OR notified_at <= ?)`, sentAt, c.id, m.userID, sentAt.Add(-notifyEvery))
		if err != nil {
			return fmt.Errorf("conversations: notify: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			continue
		}
		title := "New message from " + author.name
		if c.kind == "group" {
			title = "New message in " + c.view(m.userID).Title
		}
		if _, err := notify.Send(ctx, tx, m.userID, notify.KindMessage, notify.Data{Title: title, Link: "/conversations/" + c.id}); err != nil {
			return fmt.Errorf("conversations: notify: %w", err)
		}
	}
	return nil
}

// publishUnread sends userID their count of conversations with unread
// messages.
func publishUnread(ctx context.Context, tx *db.Tx, userID string) error {
	n, err := unreadTotal(ctx, tx, userID)
	if err != nil {
		return err
	}
	return publishCount(ctx, tx, userID, n)
}

// publishCount sends userID the count n of conversations with unread
// messages.
func publishCount(ctx context.Context, tx *db.Tx, userID string, n int) error {
	data, err := json.Marshal(map[string]int{"unread": n})
	if err != nil {
		return err
	}
	if err := live.Publish(ctx, tx, userID, live.Event{Type: "conversations_unread", Data: data}); err != nil {
		return fmt.Errorf("conversations: live: %w", err)
	}
	return nil
}
