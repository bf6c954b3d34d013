package conversations

import (
	"context"
	"errors"
	"fmt"
	"unicode/utf8"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/audit"
	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/peers/safety"
)

// excerptLength is how much of a reported message the moderation queue
// shows.
const excerptLength = 280

func init() {
	safety.RegisterKind("message", safety.Kind{Load: loadReported, Visible: visibleMessage, SetHidden: setHidden})
}

// loadReported is a message as moderators see it in the queue. The safety
// package checks and audits the moderator's read.
func loadReported(ctx context.Context, q db.Querier, id string) (safety.Content, error) {
	ms, err := loadMessages(ctx, q, `SELECT `+messageCols+` FROM conversation_messages WHERE id = ?`, []any{id})
	if err != nil {
		return safety.Content{}, err
	}
	if len(ms) == 0 {
		return safety.Content{}, db.ErrNotFound
	}
	m := ms[0]
	var programID string
	if err := q.QueryRow(ctx, `SELECT program_id FROM conversations WHERE id = ?`, m.convID).Scan(&programID); err != nil {
		return safety.Content{}, fmt.Errorf("conversations: reported: %w", db.Err(err))
	}
	body, err := decrypt(ctx, q, m.keyID, m.convID, m.id, m.nonce, m.body)
	if errors.Is(err, ErrUnreadable) {
		// One damaged message must not break the moderation queue.
		body = "(This message cannot be read: its stored data was changed.)"
	} else if err != nil {
		return safety.Content{}, err
	}
	if utf8.RuneCountInString(body) > excerptLength {
		body = string([]rune(body)[:excerptLength-1]) + "…"
	}
	return safety.Content{ProgramID: programID, AuthorID: m.authorID, Excerpt: body, Hidden: m.hidden}, nil
}

// visibleMessage: a member of the message's conversation sees it (and may
// report it), unless its author is in a block with them.
func visibleMessage(ctx context.Context, q db.Querier, actor access.Actor, id string) error {
	var convID, authorID string
	err := q.QueryRow(ctx, `SELECT conversation_id, author_id FROM conversation_messages WHERE id = ?`, id).Scan(&convID, &authorID)
	if err = db.Err(err); err != nil {
		if errors.Is(err, db.ErrNotFound) {
			return access.ErrNotFound
		}
		return fmt.Errorf("conversations: visible: %w", err)
	}
	if _, err := memberConv(ctx, q, actor, convID); err != nil {
		return err
	}
	if b, err := safety.Blocked(ctx, q, actor.UserID, authorID); err != nil || b {
		return errors.Join(err, access.ErrNotFound)
	}
	return nil
}

// setHidden hides a message (its body is no longer shown, nor counted
// unread) or shows it again.
func setHidden(ctx context.Context, tx *db.Tx, id string, hidden bool) error {
	res, err := tx.Exec(ctx, `UPDATE conversation_messages SET hidden = ? WHERE id = ?`, hidden, id)
	if err != nil {
		return fmt.Errorf("conversations: hide: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return db.ErrNotFound
	}
	return nil
}

// StaffView is a conversation as a coordinator or admin reads it for a
// report: its members and a page of messages.
type StaffView struct {
	Conversation Conversation
	Messages     []Message
}

// StaffMessages lets a coordinator or admin of the program read a page of
// conversation id, which they need not be in, for the moderation report
// reportID (anyone else is access.ErrNotFound; a report that is not about
// a message of this conversation too). Every such read is audited, with
// the report it was for. Messages hidden by moderators show their body
// here, for review.
func StaffMessages(ctx context.Context, d *db.DB, actor access.Actor, id, reportID string, page Page) (*StaffView, error) {
	if id == "" || reportID == "" {
		return nil, access.ErrNotFound
	}
	var out *StaffView
	err := d.Tx(ctx, func(tx *db.Tx) error {
		c, err := loadConv(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := access.AuditConversation(actor, c.programID); err != nil {
			return err
		}
		var n int
		if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM reports r JOIN conversation_messages m ON m.id = r.content_id
			WHERE r.id = ? AND r.kind = 'message' AND r.program_id = ? AND m.conversation_id = ?`, reportID, c.programID, c.id).Scan(&n); err != nil {
			return fmt.Errorf("conversations: staff read: %w", err)
		}
		if n == 0 {
			return access.ErrNotFound
		}
		msgs, err := pageOf(ctx, tx, c, actor.UserID, page, nil)
		if err != nil {
			return err
		}
		for i := range msgs {
			if msgs[i].Hidden {
				s, err := loadMessages(ctx, tx, `SELECT `+messageCols+` FROM conversation_messages WHERE id = ?`, []any{msgs[i].ID})
				if err != nil || len(s) == 0 {
					return errors.Join(err, db.ErrNotFound)
				}
				if msgs[i].Body, err = decrypt(ctx, tx, s[0].keyID, s[0].convID, s[0].id, s[0].nonce, s[0].body); err != nil {
					return err
				}
			}
		}
		out = &StaffView{Conversation: c.view(actor.UserID), Messages: msgs}
		return audit.Record(ctx, tx, actor, audit.Event{Action: "conversation.staff_read", SubjectType: "conversation",
			SubjectID: c.id, Detail: map[string]string{"report_id": reportID, "messages": fmt.Sprint(len(msgs))}})
	})
	return out, err
}
