package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/members"
	"github.com/cairn-recovery/cairn/internal/programs"
)

// seedFamily links family@demo.cairn.test to Alex with a consent that
// shares Alex's milestones and coach's contact, and gives Alex the demo
// coach if they have none, so that the family page has something to show.
// Running it again changes nothing.
func seedFamily(ctx context.Context, d *db.DB, p *programs.Program) error {
	ids := map[string]string{}
	for _, email := range []string{"alex@demo.cairn.test", "family@demo.cairn.test", "coach@demo.cairn.test"} {
		id, ok, err := userID(ctx, d, p.ID, email)
		if err != nil {
			return fmt.Errorf("demo: family: %w", err)
		}
		if !ok {
			return nil
		}
		ids[email] = id
	}
	alex, family, coach := ids["alex@demo.cairn.test"], ids["family@demo.cairn.test"], ids["coach@demo.cairn.test"]
	err := d.Tx(ctx, func(tx *db.Tx) error {
		var n int
		if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM coach_assignments WHERE member_id = ?`, alex).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			if err := members.AssignCoach(ctx, tx, p.ID, alex, coach); err != nil {
				return err
			}
		}
		return members.GrantFamilyConsent(ctx, tx, access.System(p.ID), members.FamilyGrant{AlumnusID: alex, FamilyID: family,
			Share: []members.Category{members.ShareEvents, members.ShareMilestones, members.ShareCoach}, Purpose: "So my family can join me at dinners, celebrate my milestones and reach my coach if they are worried.",
			ExpiresOn: members.Today(p.Location(), time.Now()).AddYears(1)})
	})
	if err != nil {
		return fmt.Errorf("demo: family: %w", err)
	}
	return nil
}
