package conversations

import (
	"context"
	"errors"
	"fmt"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/audit"
	"github.com/cairn-recovery/cairn/internal/db"
)

// rotateBatch is how many messages one transaction of RotateKey
// re-encrypts.
const rotateBatch = 500

// RotateKey makes a new data key active for programID and re-encrypts the
// program's older messages under it, rotateBatch messages per transaction
// so that sending goes on meanwhile. Old keys no message uses any more are
// deleted. It returns the number of messages re-encrypted; a message that
// cannot be decrypted is left as it is (with its key) and reported as
// ErrUnreadable after the others are done. When the active key itself
// does not open (the installation's secret key is not the one it was
// wrapped with) nothing changes and the error is ErrUnreadable. The
// rotation is audited.
func RotateKey(ctx context.Context, d *db.DB, programID string) (int, error) {
	var newID string
	err := d.Tx(ctx, func(tx *db.Tx) error {
		// A key that does not open under this installation's secret (a
		// wrong or lost secret key) is not rotated away: its messages
		// could not be re-encrypted.
		var active string
		err := tx.QueryRow(ctx, `SELECT id FROM conversation_keys WHERE program_id = ? AND active`, programID).Scan(&active)
		if err = db.Err(err); err == nil {
			if _, err := keyByID(ctx, tx, active); err != nil {
				return err
			}
		} else if !errors.Is(err, db.ErrNotFound) {
			return fmt.Errorf("conversations: rotate: %w", err)
		}
		id, wrapped, err := newDataKey(programID)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE conversation_keys SET active = FALSE WHERE program_id = ? AND active`, programID); err != nil {
			return fmt.Errorf("conversations: rotate: %w", err)
		}
		if _, err := tx.Exec(ctx, `INSERT INTO conversation_keys (id, program_id, wrapped, active, created_at) VALUES (?, ?, ?, TRUE, ?)`,
			id, programID, wrapped, now()); err != nil {
			return fmt.Errorf("conversations: rotate: %w", err)
		}
		newID = id
		return audit.Record(ctx, tx, access.System(programID), audit.Event{Action: "conversations.key_rotate",
			SubjectType: "program", SubjectID: programID, Detail: map[string]string{"key_id": id}})
	})
	if err != nil {
		return 0, err
	}
	done, failed, err := reencrypt(ctx, d, programID, newID)
	if err != nil {
		return done, err
	}
	err = dropOldKeys(ctx, d, programID)
	if errors.Is(err, db.ErrConflict) {
		// A send that read the old key just before the new one was made
		// active stored its message under it after the pass above (on
		// PostgreSQL the delete then waits for it and finds it). The
		// message is readable: the foreign key kept its key. Re-encrypt
		// it too, and try again; a key still in use stays until the next
		// rotation.
		var n int
		n, failed, err = reencrypt(ctx, d, programID, newID)
		done += n
		if err != nil {
			return done, err
		}
		if err = dropOldKeys(ctx, d, programID); errors.Is(err, db.ErrConflict) {
			err = nil
		}
	}
	if err != nil {
		return done, err
	}
	if failed > 0 {
		return done, fmt.Errorf("%w (%d messages kept under their old key)", ErrUnreadable, failed)
	}
	return done, nil
}

// reencrypt re-encrypts the program's messages that are not under key
// newID, rotateBatch per transaction. It returns how many it re-encrypted
// and how many could not be decrypted (left as they are).
func reencrypt(ctx context.Context, d *db.DB, programID, newID string) (done, failed int, err error) {
	after := ""
	for {
		var n int
		err := d.Tx(ctx, func(tx *db.Tx) error {
			newKey, err := keyByID(ctx, tx, newID)
			if err != nil {
				return err
			}
			batch, err := loadMessages(ctx, tx, `SELECT `+messageCols+` FROM conversation_messages
				WHERE program_id = ? AND key_id <> ? AND id > ? ORDER BY id LIMIT `+fmt.Sprint(rotateBatch), []any{programID, newID, after})
			if err != nil {
				return err
			}
			n = len(batch)
			for _, m := range batch {
				after = m.id
				body, err := decrypt(ctx, tx, m.keyID, m.convID, m.id, m.nonce, m.body)
				if errors.Is(err, ErrUnreadable) {
					failed++
					continue
				} else if err != nil {
					return err
				}
				nonce, ct, err := seal(newKey, m.convID, m.id, body)
				if err != nil {
					return err
				}
				if _, err := tx.Exec(ctx, `UPDATE conversation_messages SET key_id = ?, nonce = ?, body = ? WHERE id = ? AND key_id = ?`,
					newID, nonce, ct, m.id, m.keyID); err != nil {
					return fmt.Errorf("conversations: rotate: %w", err)
				}
				done++
			}
			return nil
		})
		if err != nil {
			return done, failed, err
		}
		if n < rotateBatch {
			return done, failed, nil
		}
	}
}

// dropOldKeys deletes the program's inactive keys that no message uses;
// db.ErrConflict when a message came to use one meanwhile.
func dropOldKeys(ctx context.Context, d *db.DB, programID string) error {
	_, err := d.Exec(ctx, `DELETE FROM conversation_keys WHERE program_id = ? AND active = FALSE
		AND NOT EXISTS (SELECT 1 FROM conversation_messages m WHERE m.key_id = conversation_keys.id)`, programID)
	if err != nil && !errors.Is(err, db.ErrConflict) {
		return fmt.Errorf("conversations: rotate: drop old keys: %w", err)
	}
	return err
}
