package conversations

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/live"
	"github.com/cairn-recovery/cairn/internal/notify"
	"github.com/cairn-recovery/cairn/internal/peers/crisis"
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
	var m *Message
	var matched bool
	err = d.Tx(ctx, func(tx *db.Tx) error {
		m, matched, err = send(ctx, tx, actor, c, body, p)
		return err
	})
	if err != nil {
		return nil, false, err
	}
	return m, matched, nil
}

// prepared is what a send reads before it writes.
type prepared struct {
	// blocked are the people in a block with the author.
	blocked map[string]bool
}

// prepare reads what sending into c as actor needs, from q. A direct
// conversation with a block is ErrClosed.
func prepare(ctx context.Context, q db.Querier, actor access.Actor, c *convRow) (*prepared, error) {
	blocked, err := safety.BlockedIDs(ctx, q, actor.UserID)
	if err != nil {
		return nil, err
	}
	if c.kind == "direct" {
		for _, m := range c.members {
			if m.userID != actor.UserID && blocked[m.userID] {
				return nil, ErrClosed
			}
		}
	}
	return &prepared{blocked: blocked}, nil
}

// send stores body from actor, a member of c, inside tx, and tells the
// other members.
func send(ctx context.Context, tx *db.Tx, actor access.Actor, c *convRow, body string, p *prepared) (*Message, bool, error) {
	msgID := uuid.Must(uuid.NewV7()).String()
	sentAt, err := stamp(ctx, tx, c, msgID)
	if err != nil {
		return nil, false, err
	}
	keyID, aead, err := activeKey(ctx, tx, c.programID)
	if err != nil {
		return nil, false, err
	}
	nonce, ct, err := seal(aead, c.id, msgID, body)
	if err != nil {
		return nil, false, err
	}
	if _, err := tx.Exec(ctx, `INSERT INTO conversation_messages (id, conversation_id, program_id, author_id, key_id, nonce, body, sent_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, msgID, c.id, c.programID, actor.UserID, keyID, nonce, ct, sentAt); err != nil {
		return nil, false, fmt.Errorf("conversations: send: %w", err)
	}
	// The author has read what they wrote.
	if _, err := tx.Exec(ctx, `UPDATE conversation_members SET last_read_at = ?, last_read_id = ? WHERE conversation_id = ? AND user_id = ?`,
		sentAt, msgID, c.id, actor.UserID); err != nil {
		return nil, false, fmt.Errorf("conversations: send: %w", err)
	}
	matched, err := crisis.Check(ctx, tx, actor, body, crisis.Source{Kind: "message", ID: msgID, Link: "/conversations/" + c.id})
	if err != nil {
		return nil, false, err
	}
	author := c.member(actor.UserID)
	if err := fanOut(ctx, tx, c, author, msgID, sentAt, p); err != nil {
		return nil, false, err
	}
	// A participant's own message is not an audit entry: the message row
	// records who wrote what when, and the audit log is for access by
	// staff (issue #6). Staff reads go through StaffMessages, audited.
	return &Message{ID: msgID, ConversationID: c.id, AuthorID: actor.UserID, AuthorName: author.name,
		Body: body, SentAt: sentAt, Mine: true}, matched, nil
}

// stamp makes msgID the last message of c and returns its sent_at, which
// increases strictly inside a conversation, so that "read up to an
// instant" is exact. The conditional UPDATE locks the conversation's row
// (on PostgreSQL; SQLite has one writer) until the commit and succeeds
// when no message came since c was read, the usual case; otherwise the
// time is taken after the latest message.
func stamp(ctx context.Context, tx *db.Tx, c *convRow, msgID string) (time.Time, error) {
	at := now()
	if !at.After(c.lastMessageAt) {
		at = c.lastMessageAt.Add(time.Microsecond)
	}
	res, err := tx.Exec(ctx, `UPDATE conversations SET last_message_id = ?, last_message_at = ? WHERE id = ? AND last_message_at < ?`,
		msgID, at, c.id, at)
	if err != nil {
		return at, fmt.Errorf("conversations: send: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 1 {
		return at, nil
	}
	var last time.Time
	if err := tx.QueryRow(ctx, `UPDATE conversations SET last_message_id = ? WHERE id = ? RETURNING last_message_at`, msgID, c.id).Scan(&last); err != nil {
		return at, fmt.Errorf("conversations: send: %w", err)
	}
	if at = now(); !at.After(last) {
		at = last.Add(time.Microsecond)
	}
	if _, err := tx.Exec(ctx, `UPDATE conversations SET last_message_at = ? WHERE id = ?`, at, c.id); err != nil {
		return at, fmt.Errorf("conversations: send: %w", err)
	}
	return at, nil
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
