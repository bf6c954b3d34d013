package crisis

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/audit"
	"github.com/cairn-recovery/cairn/internal/db"
)

// reachOutEvery is the shortest time between two reach-out notifications
// from one member: a second press of the button (or a reload) within it
// is recorded in the audit log but tells nobody again.
const reachOutEvery = 2 * time.Minute

// Words of the reach-out notification (no name, no health detail: email
// and text messages leave the site).
const (
	reachTitleCoach = "A member in your caseload asked you to contact them now"
	reachTitleStaff = "A member of your program asked to be contacted now"
	reachBody       = "A member pressed \"Reach out to my coach now\" on Cairn's support page. " +
		"Please open Cairn to see who, and contact them as soon as you can."
)

// ReachOut tells the actor's coach(es) (or, with none, the program's
// coordinators) that the actor asked to be contacted now, with an urgent
// notification. Only members may ask (access.ReachOutToCoach; anyone
// else is access.ErrNotFound). It reports whether anyone was told: a
// second request within two minutes is recorded but sends nothing new.
func ReachOut(ctx context.Context, d *db.DB, actor access.Actor) (bool, error) {
	if err := access.ReachOutToCoach(actor); err != nil {
		return false, err
	}
	sent := false
	err := d.Tx(ctx, func(tx *db.Tx) error {
		// The audit chain's lock (which the audit entry below takes anyway)
		// is taken before counting, so that of two presses at the same
		// moment on PostgreSQL the second sees the first's reach-out.
		if err := tx.LockAuditChain(ctx); err != nil {
			return fmt.Errorf("crisis: lock: %w", err)
		}
		now := clock().UTC().Truncate(time.Microsecond)
		var recent int
		if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM crisis_reach_outs WHERE user_id = ? AND created_at > ?`,
			actor.UserID, now.Add(-reachOutEvery)).Scan(&recent); err != nil {
			return fmt.Errorf("crisis: recent reach-outs: %w", err)
		}
		sent = recent == 0
		if sent {
			if _, err := tx.Exec(ctx, `INSERT INTO crisis_reach_outs (id, program_id, user_id, created_at) VALUES (?, ?, ?, ?)`,
				uuid.Must(uuid.NewV7()).String(), actor.ProgramID, actor.UserID, now); err != nil {
				return fmt.Errorf("crisis: record reach-out: %w", db.Err(err))
			}
			if err := tellStaff(ctx, tx, actor, reachTitleCoach, reachTitleStaff, reachBody); err != nil {
				return err
			}
		}
		return audit.Record(ctx, tx, actor, audit.Event{Action: "crisis.reach_out", SubjectType: "user", SubjectID: actor.UserID,
			Detail: map[string]string{"notified": fmt.Sprint(sent)}})
	})
	return sent, err
}
