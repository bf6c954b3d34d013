package conversations

import (
	"context"
	"fmt"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/audit"
	"github.com/cairn-recovery/cairn/internal/db"
)

// MarkRead marks conversation id read by actor, a member (anyone else is
// access.ErrNotFound), up to its newest message, and publishes actor's new
// unread total. It also notes that actor is reading the conversation now,
// so that messages in the next minutes do not notify them. Marking a read
// conversation read again is not audited.
func MarkRead(ctx context.Context, d *db.DB, actor access.Actor, id string) error {
	return d.Tx(ctx, func(tx *db.Tx) error {
		c, err := memberConv(ctx, tx, actor, id)
		if err != nil {
			return err
		}
		me := c.member(actor.UserID)
		if _, err := tx.Exec(ctx, `UPDATE conversation_members SET seen_at = ? WHERE conversation_id = ? AND user_id = ?`,
			now(), c.id, actor.UserID); err != nil {
			return fmt.Errorf("conversations: mark read: %w", err)
		}
		if c.lastMessageID == "" || me.lastReadID == c.lastMessageID {
			return nil
		}
		if _, err := tx.Exec(ctx, `UPDATE conversation_members SET last_read_at = ?, last_read_id = ? WHERE conversation_id = ? AND user_id = ?`,
			c.lastMessageAt, c.lastMessageID, c.id, actor.UserID); err != nil {
			return fmt.Errorf("conversations: mark read: %w", err)
		}
		if err := audit.Record(ctx, tx, actor, audit.Event{Action: "conversation.read", SubjectType: "conversation", SubjectID: c.id}); err != nil {
			return err
		}
		return publishUnread(ctx, tx, actor.UserID)
	})
}

// SetMuted mutes or unmutes conversation id for actor, a member (anyone
// else is access.ErrNotFound). A muted conversation still counts unread
// messages but sends no notifications.
func SetMuted(ctx context.Context, d *db.DB, actor access.Actor, id string, muted bool) error {
	return d.Tx(ctx, func(tx *db.Tx) error {
		c, err := memberConv(ctx, tx, actor, id)
		if err != nil {
			return err
		}
		if c.member(actor.UserID).muted == muted {
			return nil
		}
		if _, err := tx.Exec(ctx, `UPDATE conversation_members SET muted = ? WHERE conversation_id = ? AND user_id = ?`,
			muted, c.id, actor.UserID); err != nil {
			return fmt.Errorf("conversations: mute: %w", err)
		}
		return audit.Record(ctx, tx, actor, audit.Event{Action: "conversation.mute", SubjectType: "conversation", SubjectID: c.id,
			Detail: map[string]string{"muted": fmt.Sprint(muted)}})
	})
}
