package safety

import (
	"context"
	"fmt"

	"github.com/cairn-recovery/cairn/internal/db"
)

// ForgetUser removes a person's part in the safety features when their
// account is deleted (members.ConfirmDeletion runs it inside the
// deletion's transaction; the server wiring passes it, see
// internal/mydata):
//
//   - the blocks they made and the blocks against them are deleted (no one
//     is left to block or to be shielded from);
//   - the reports they made stay, as the moderation record, still naming
//     them as reporter_id: the column is a reference to users (the row is
//     anonymised, never removed) and the "one open report" rule uses it;
//     the note they wrote stays while the report is open, for the
//     moderator who still has to act on it, and is erased from closed
//     reports;
//   - reports about their content and suspensions of their account stay,
//     as the audit trail.
func ForgetUser(ctx context.Context, tx *db.Tx, userID string) error {
	steps := []struct {
		query string
		args  []any
	}{
		{`DELETE FROM blocks WHERE blocker_id = ? OR blocked_id = ?`, []any{userID, userID}},
		{`UPDATE reports SET note = '' WHERE reporter_id = ? AND status <> 'open'`, []any{userID}},
	}
	for _, s := range steps {
		if _, err := tx.Exec(ctx, s.query, s.args...); err != nil {
			return fmt.Errorf("safety: forget user: %w", err)
		}
	}
	return nil
}
