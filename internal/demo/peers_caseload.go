package demo

import (
	"context"
	"errors"
	"fmt"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/auth"
	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/members"
	"github.com/cairn-recovery/cairn/internal/programs"
)

// secondCoach is the demo program's second peer coach, so that caseloads
// can be shared: Naomi coaches a few alumni of her own and is Alex's
// secondary coach; Marcus (the demo coach) is the secondary coach of
// Priya, one of Naomi's people.
var secondCoach = person{"naomi.sato@demo.cairn.test", "Naomi", "Sato", access.Coach}

// naomisPeople are the alumni whose primary coach is Naomi.
var naomisPeople = []string{
	"priya.raman@demo.cairn.test", "keisha.freeman@demo.cairn.test", "wei.zhang@demo.cairn.test",
	"darnell.okafor@demo.cairn.test", "ethan.blackfeather@demo.cairn.test", "amara.nwosu@demo.cairn.test",
}

// seedCaseloads gives the demo coaches their caseloads, as the demo
// coordinator would set them: Marcus keeps the alumni the profiles gave
// him (Alex among them) with Naomi as Alex's secondary coach; Naomi is
// the primary coach of naomisPeople, with Marcus as Priya's secondary
// coach. It creates Naomi's account when missing (and makes password
// work for it). It is idempotent: setting the same coaches again changes
// nothing.
func seedCaseloads(ctx context.Context, d *db.DB, a *auth.Service, p *programs.Program, password string) error {
	naomi, ok, err := userID(ctx, d, p.ID, secondCoach.Email)
	if err != nil {
		return fmt.Errorf("demo: caseloads: %w", err)
	}
	if !ok {
		u, err := a.CreateUser(ctx, access.System(p.ID), auth.NewUser{ProgramID: p.ID, Email: secondCoach.Email,
			FirstName: secondCoach.FirstName, LastName: secondCoach.LastName, Role: secondCoach.Role, Password: password})
		if err != nil {
			return fmt.Errorf("demo: create %s: %w", secondCoach.Email, err)
		}
		naomi = u.ID
	} else if _, err := a.EnsurePassword(ctx, access.System(p.ID), secondCoach.Email, password); err != nil && !errors.Is(err, access.ErrNotFound) {
		return fmt.Errorf("demo: set password of %s: %w", secondCoach.Email, err)
	}
	ids := map[string]string{}
	for _, email := range append([]string{"coordinator@demo.cairn.test", "coach@demo.cairn.test", "alex@demo.cairn.test"}, naomisPeople...) {
		id, ok, err := userID(ctx, d, p.ID, email)
		if err != nil {
			return fmt.Errorf("demo: caseloads: %w", err)
		}
		if !ok {
			return nil // a partial demo program: leave it as it is
		}
		ids[email] = id
	}
	coord := access.Actor{UserID: ids["coordinator@demo.cairn.test"], ProgramID: p.ID, Role: access.Coordinator}
	marcus := ids["coach@demo.cairn.test"]
	set := func(email string, c members.CoachChange) error {
		if err := members.SetCoaches(ctx, d, coord, ids[email], c); err != nil {
			return fmt.Errorf("demo: coaches of %s: %w", email, err)
		}
		return nil
	}
	if err := set("alex@demo.cairn.test", members.CoachChange{PrimaryID: marcus, SecondaryID: naomi, SetSecondary: true}); err != nil {
		return err
	}
	for _, email := range naomisPeople {
		c := members.CoachChange{PrimaryID: naomi, SetSecondary: true}
		if email == "priya.raman@demo.cairn.test" {
			c.SecondaryID = marcus
		}
		if err := set(email, c); err != nil {
			return err
		}
	}
	return nil
}
