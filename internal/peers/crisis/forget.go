package crisis

import (
	"context"
	"fmt"

	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/notify"
)

// ForgetUser removes what the crisis features hold about a person whose
// account is deleted (members.ConfirmDeletion runs it inside the
// deletion's transaction; the server wiring passes it, see
// internal/mydata). Their crisis flags and reach-outs are health data
// with no use once they are gone: they are deleted, with their claim on
// the notification pace, and so are the urgent notifications that told
// their supporters about them (each links to them). The audit log keeps
// the fact of each entry, without text.
func ForgetUser(ctx context.Context, tx *db.Tx, userID string) error {
	steps := []struct {
		query string
		args  []any
	}{
		{`DELETE FROM crisis_flags WHERE user_id = ?`, []any{userID}},
		{`DELETE FROM crisis_reach_outs WHERE user_id = ?`, []any{userID}},
		{`DELETE FROM crisis_notify_claims WHERE user_id = ?`, []any{userID}},
		// The links tellStaff gives: an alumnus' profile, or a family
		// member's page in the people list.
		{`DELETE FROM notifications WHERE kind = ? AND link IN (?, ?)`,
			[]any{string(notify.KindSupportRequest), "/members/" + userID, "/admin/people/" + userID}},
	}
	for _, s := range steps {
		if _, err := tx.Exec(ctx, s.query, s.args...); err != nil {
			return fmt.Errorf("crisis: forget user: %w", err)
		}
	}
	return nil
}
