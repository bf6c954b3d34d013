package conversations

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/audit"
	"github.com/cairn-recovery/cairn/internal/db"
)

// ContextAround is how many messages before and after a reported message
// ReportedConversation shows.
const ContextAround = 10

// unreadableBody stands for a message whose stored data does not open.
const unreadableBody = "(This message cannot be read: its stored data was changed.)"

// ReportContext is the conversation around a reported message, as staff
// read it for the report.
type ReportContext struct {
	// ReportID is the report the read is for.
	ReportID string
	// Conversation is the conversation, titled by its members' names.
	Conversation Conversation
	// MessageID is the reported message.
	MessageID string
	// Messages are up to ContextAround messages before the reported one,
	// the reported one, and up to ContextAround after it, oldest first.
	// Hidden messages carry their body here, for review; Mine is never set.
	Messages []Message
	// MoreBefore and MoreAfter report that the conversation goes on beyond
	// the messages shown.
	MoreBefore, MoreAfter bool
}

// ReportedConversation returns the conversation around the message that
// report reportID is about, for staff who may moderate the report
// (access.ReadReportedConversation). Anyone else, an unknown report, a
// report about something other than a message, or a message that is gone,
// is access.ErrNotFound. Blocks between members hide nothing here. Every
// read is audited against the report ("safety.conversation_read"), so it
// shows in the report's history and the audit log.
func ReportedConversation(ctx context.Context, d *db.DB, actor access.Actor, reportID string) (*ReportContext, error) {
	if err := access.Moderate(actor); err != nil {
		return nil, err
	}
	if reportID == "" || len(reportID) > 64 {
		return nil, access.ErrNotFound
	}
	var out *ReportContext
	err := d.Tx(ctx, func(tx *db.Tx) error {
		var programID, kind, msgID string
		err := tx.QueryRow(ctx, `SELECT program_id, kind, content_id FROM reports WHERE id = ?`, reportID).Scan(&programID, &kind, &msgID)
		if err = db.Err(err); err != nil {
			if errors.Is(err, db.ErrNotFound) {
				return access.ErrNotFound
			}
			return fmt.Errorf("conversations: reported conversation: %w", err)
		}
		if err := access.ReadReportedConversation(actor, programID); err != nil || kind != "message" {
			return access.ErrNotFound
		}
		ms, err := loadMessages(ctx, tx, `SELECT `+messageCols+` FROM conversation_messages WHERE id = ?`, []any{msgID})
		if err != nil {
			return err
		}
		if len(ms) == 0 {
			return access.ErrNotFound
		}
		c, err := loadConv(ctx, tx, ms[0].convID)
		if err != nil {
			return err
		}
		if c.programID != programID {
			return access.ErrNotFound
		}
		before, err := loadMessages(ctx, tx, `SELECT `+messageCols+` FROM conversation_messages
			WHERE conversation_id = ? AND (sent_at < ? OR (sent_at = ? AND id < ?))
			ORDER BY sent_at DESC, id DESC LIMIT `+fmt.Sprint(ContextAround+1), []any{c.id, ms[0].sentAt, ms[0].sentAt, msgID})
		if err != nil {
			return err
		}
		after, err := loadMessages(ctx, tx, `SELECT `+messageCols+` FROM conversation_messages
			WHERE conversation_id = ? AND (sent_at > ? OR (sent_at = ? AND id > ?))
			ORDER BY sent_at, id LIMIT `+fmt.Sprint(ContextAround+1), []any{c.id, ms[0].sentAt, ms[0].sentAt, msgID})
		if err != nil {
			return err
		}
		out = &ReportContext{ReportID: reportID, Conversation: c.view(""), MessageID: msgID,
			MoreBefore: len(before) > ContextAround, MoreAfter: len(after) > ContextAround}
		before = before[:min(len(before), ContextAround)]
		after = after[:min(len(after), ContextAround)]
		slices.Reverse(before)
		all := append(append(before, ms[0]), after...)
		if out.Messages, err = staffBodies(ctx, tx, c, all); err != nil {
			return err
		}
		return audit.Record(ctx, tx, actor, audit.Event{Action: "safety.conversation_read", SubjectType: "report", SubjectID: reportID,
			Detail: map[string]string{"conversation_id": c.id, "message_id": msgID, "messages": fmt.Sprint(len(out.Messages))}})
	})
	return out, err
}

// staffBodies opens stored messages for staff: hidden ones included, a
// damaged one as a note rather than an error, and authors named even when
// they have left the conversation.
func staffBodies(ctx context.Context, q db.Querier, c *convRow, stored []storedMessage) ([]Message, error) {
	names := map[string]string{}
	for _, m := range c.members {
		names[m.userID] = m.name
	}
	out := make([]Message, 0, len(stored))
	for _, s := range stored {
		name, ok := names[s.authorID]
		if !ok {
			var first, last, email string
			err := q.QueryRow(ctx, `SELECT first_name, last_name, email FROM users WHERE id = ?`, s.authorID).Scan(&first, &last, &email)
			if err = db.Err(err); err != nil && !errors.Is(err, db.ErrNotFound) {
				return nil, fmt.Errorf("conversations: reported conversation: %w", err)
			}
			name = formerMember
			if err == nil {
				name = displayName(first, last, email)
			}
			names[s.authorID] = name
		}
		body, err := decrypt(ctx, q, s.keyID, s.convID, s.id, s.nonce, s.body)
		if errors.Is(err, ErrUnreadable) {
			body = unreadableBody
		} else if err != nil {
			return nil, err
		}
		out = append(out, Message{ID: s.id, ConversationID: s.convID, AuthorID: s.authorID, AuthorName: name,
			Body: body, SentAt: s.sentAt, Hidden: s.hidden})
	}
	return out, nil
}
