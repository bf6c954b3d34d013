package members

import (
	"context"
	"errors"
	"time"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/auth"
	"github.com/cairn-recovery/cairn/internal/db"
)

// The roster's data reaches a person when they accept their invitation.
func init() { auth.OnAccept(ApplyRosterEntry) }

// ApplyRosterEntry gives a person who joined through a roster import what
// the roster said about them, once their account exists: their coach
// (AssignCoach) and their recovery date (SetRecoveryDateTx, as the
// installation). It runs inside tx (the invitation's acceptance) and does
// nothing for someone who was not imported or whose entry was applied
// already. A coach who has left the program since the import, or a date
// refused by SetRecoveryDateTx, is skipped rather than blocking the
// account.
func ApplyRosterEntry(ctx context.Context, tx *db.Tx, userID string) error {
	var id, programID, coachID, recovery string
	err := db.Err(tx.QueryRow(ctx, `SELECT r.id, r.program_id, r.coach_id, r.recovery_date FROM roster_entries r
		JOIN users u ON u.email = r.email AND u.program_id = r.program_id
		WHERE u.id = ? AND r.applied_at IS NULL`, userID).Scan(&id, &programID, &coachID, &recovery))
	if errors.Is(err, db.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	var ve ValidationError
	if coachID != "" {
		if err := AssignCoach(ctx, tx, programID, userID, coachID); err != nil && !errors.As(err, &ve) {
			return err
		}
	}
	if recovery != "" {
		if date, perr := ParseDate(recovery); perr == nil {
			err := SetRecoveryDateTx(ctx, tx, access.System(programID), userID, date, "")
			if err != nil && !errors.As(err, &ve) {
				return err
			}
		}
	}
	_, err = tx.Exec(ctx, `UPDATE roster_entries SET applied_at = ? WHERE id = ?`, time.Now().UTC().Truncate(time.Microsecond), id)
	return err
}
