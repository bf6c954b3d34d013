package conversations

import (
	"context"
	"errors"
	"fmt"

	"github.com/cairn-recovery/cairn/internal/db"
)

// ForgetUser removes a person's part in conversations when their account
// is deleted (members.ConfirmDeletion runs it inside the deletion's
// transaction; the server wiring passes it, see internal/mydata):
//
//   - every message they wrote stays as a row, so that the others'
//     threads keep their shape, but is hidden (members see it as removed,
//     without words, and it is neither previewed nor counted unread);
//   - its words are erased: the body is sealed again, empty, under the key
//     it names, so that key rotation, exports and staff reads still open
//     it. Messages someone reported keep their words, for staff (the same
//     rule as circles);
//   - their memberships end, with their mute and read state: they leave
//     group conversations, and a direct conversation stays for the other
//     person.
func ForgetUser(ctx context.Context, tx *db.Tx, userID string) error {
	type row struct{ id, convID, keyID string }
	rows, err := tx.Query(ctx, `SELECT id, conversation_id, key_id FROM conversation_messages
		WHERE author_id = ? AND id NOT IN (SELECT content_id FROM reports WHERE kind = 'message') ORDER BY id`, userID)
	if err != nil {
		return fmt.Errorf("conversations: forget user: %w", err)
	}
	var erase []row
	for rows.Next() {
		var r row
		if err := rows.Scan(&r.id, &r.convID, &r.keyID); err != nil {
			rows.Close()
			return fmt.Errorf("conversations: forget user: %w", err)
		}
		erase = append(erase, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("conversations: forget user: %w", err)
	}
	for _, r := range erase {
		nonce, body := []byte{}, []byte{}
		a, err := keyByID(ctx, tx, r.keyID)
		switch {
		case errors.Is(err, ErrUnreadable):
			// The key is gone: the words could not be read anyway.
		case err != nil:
			return fmt.Errorf("conversations: forget user: %w", err)
		default:
			if nonce, body, err = seal(a, r.convID, r.id, ""); err != nil {
				return err
			}
		}
		if _, err := tx.Exec(ctx, `UPDATE conversation_messages SET nonce = ?, body = ?, hidden = TRUE WHERE id = ?`,
			nonce, body, r.id); err != nil {
			return fmt.Errorf("conversations: forget user: %w", err)
		}
	}
	for _, q := range []string{
		`UPDATE conversation_messages SET hidden = TRUE WHERE author_id = ?`,
		`DELETE FROM conversation_members WHERE user_id = ?`,
	} {
		if _, err := tx.Exec(ctx, q, userID); err != nil {
			return fmt.Errorf("conversations: forget user: %w", err)
		}
	}
	return nil
}
