package safety

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/audit"
	"github.com/cairn-recovery/cairn/internal/db"
)

// BlockedPerson is someone the actor blocked, as their list shows them.
type BlockedPerson struct {
	UserID      string
	DisplayName string
	Since       time.Time
}

// Block stops userID from reaching actor: neither sees, finds, messages or
// is matched with the other. The blocked person is never told. Blocking
// someone again changes nothing. Blocking yourself or staff is a
// *FieldError (staff must stay reachable); someone of another program, or
// nobody, is access.ErrNotFound.
func Block(ctx context.Context, d *db.DB, actor access.Actor, userID string) error {
	if err := access.UseBlocks(actor); err != nil {
		return err
	}
	userID = strings.TrimSpace(userID)
	if userID == "" {
		return fieldErr("user_id", "Choose the person to block.")
	}
	if userID == actor.UserID {
		return fieldErr("user_id", "You cannot block yourself.")
	}
	return d.Tx(ctx, func(tx *db.Tx) error {
		p, err := loadPersonRow(ctx, tx, userID)
		if err != nil {
			if errors.Is(err, db.ErrNotFound) {
				return access.ErrNotFound
			}
			return err
		}
		if p.ProgramID != actor.ProgramID {
			return access.ErrNotFound
		}
		if p.Role.Staff() {
			return fieldErr("user_id", "Staff cannot be blocked: they need to stay reachable so they can keep everyone safe. "+
				"If something a staff member did worries you, please tell a coordinator or an administrator.")
		}
		if err := access.BlockPerson(actor, p.ProgramID, userID, p.Role); err != nil {
			return err
		}
		res, err := tx.Exec(ctx, `INSERT INTO blocks (blocker_id, blocked_id, program_id, created_at) VALUES (?, ?, ?, ?)
			ON CONFLICT (blocker_id, blocked_id) DO NOTHING`, actor.UserID, userID, actor.ProgramID, now())
		if err != nil {
			return fmt.Errorf("safety: block: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil
		}
		return audit.Record(ctx, tx, actor, audit.Event{Action: "safety.block", SubjectType: "user", SubjectID: userID})
	})
}

// Unblock lets userID reach actor again. Unblocking someone not blocked
// changes nothing.
func Unblock(ctx context.Context, d *db.DB, actor access.Actor, userID string) error {
	if err := access.UseBlocks(actor); err != nil {
		return err
	}
	return d.Tx(ctx, func(tx *db.Tx) error {
		res, err := tx.Exec(ctx, `DELETE FROM blocks WHERE blocker_id = ? AND blocked_id = ?`, actor.UserID, userID)
		if err != nil {
			return fmt.Errorf("safety: unblock: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil
		}
		return audit.Record(ctx, tx, actor, audit.Event{Action: "safety.unblock", SubjectType: "user", SubjectID: userID})
	})
}

// MyBlocks lists the people actor blocked, by display name. It never lists
// who blocked actor.
func MyBlocks(ctx context.Context, q db.Querier, actor access.Actor) ([]BlockedPerson, error) {
	if err := access.UseBlocks(actor); err != nil {
		return nil, err
	}
	rows, err := q.Query(ctx, `SELECT u.id, u.first_name, u.last_name, u.email, b.created_at
		FROM blocks b JOIN users u ON u.id = b.blocked_id WHERE b.blocker_id = ?`, actor.UserID)
	if err != nil {
		return nil, fmt.Errorf("safety: my blocks: %w", err)
	}
	defer rows.Close()
	var out []BlockedPerson
	for rows.Next() {
		var b BlockedPerson
		var first, last, email string
		if err := rows.Scan(&b.UserID, &first, &last, &email, &b.Since); err != nil {
			return nil, fmt.Errorf("safety: my blocks: %w", err)
		}
		b.DisplayName = displayName(first, last, email)
		out = append(out, b)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("safety: my blocks: %w", err)
	}
	sort.SliceStable(out, func(i, j int) bool {
		return strings.ToLower(out[i].DisplayName) < strings.ToLower(out[j].DisplayName)
	})
	return out, nil
}

// HasBlocked reports whether actor blocked userID (one way, unlike
// Blocked), for showing "Unblock" instead of "Block".
func HasBlocked(ctx context.Context, q db.Querier, actor access.Actor, userID string) (bool, error) {
	var n int
	if err := q.QueryRow(ctx, `SELECT COUNT(*) FROM blocks WHERE blocker_id = ? AND blocked_id = ?`, actor.UserID, userID).Scan(&n); err != nil {
		return false, fmt.Errorf("safety: has blocked: %w", err)
	}
	return n > 0, nil
}
