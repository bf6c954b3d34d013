package web

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/auth"
	"github.com/cairn-recovery/cairn/internal/peers/buddies"
)

// bdyBuddy adds an alumnus in recovery for two years with an open offer
// for one person, and returns them.
func bdyBuddy(e *webEnv) *auth.User {
	e.t.Helper()
	ctx := context.Background()
	u, err := e.auth.CreateUser(ctx, access.System(e.program.ID), auth.NewUser{ProgramID: e.program.ID,
		Email: fmt.Sprintf("buddy-%s@example.test", strings.ToLower(randomString(6))), FirstName: "Bo", LastName: "Lind",
		Role: access.Alumnus, Password: testPassword})
	if err != nil {
		e.t.Fatal(err)
	}
	start := time.Now().UTC().AddDate(-2, 0, 0).Format("2006-01-02")
	if _, err := e.db.Exec(ctx, `INSERT INTO recovery_periods (id, program_id, user_id, start_date, end_date, note, created_at, created_by)
		VALUES (?, ?, ?, ?, NULL, '', ?, ?)`, uuid.Must(uuid.NewV7()).String(), e.program.ID, u.ID, start, time.Now().UTC(), u.ID); err != nil {
		e.t.Fatal(err)
	}
	if _, err := buddies.SaveOffer(ctx, e.db, u.Actor("matrix"), buddies.OfferInput{Capacity: 1, About: "Coffee and walks."}); err != nil {
		e.t.Fatal(err)
	}
	return u
}

// bdyProposal gives the web env's alumnus a fresh request, runs the
// matcher with a new buddy on offer, and returns the alumnus' proposal:
// sent when send is true, a draft otherwise.
func bdyProposal(e *webEnv, send bool) string {
	e.t.Helper()
	id, _ := bdyProposalWith(e, send)
	return id
}

// bdyProposalWith is bdyProposal, also returning the new buddy (whom the
// proposal names when the program has no other open offer).
func bdyProposalWith(e *webEnv, send bool) (string, *auth.User) {
	e.t.Helper()
	ctx := context.Background()
	alum := e.users[access.Alumnus].Actor("matrix")
	coord := e.users[access.Coordinator].Actor("matrix")
	_ = buddies.WithdrawRequest(ctx, e.db, alum)
	if _, err := buddies.AskForBuddy(ctx, e.db, alum, buddies.RequestInput{}); err != nil {
		e.t.Fatal(err)
	}
	buddy := bdyBuddy(e)
	run, err := buddies.RunMatcher(ctx, e.db, coord)
	if err != nil {
		e.t.Fatal(err)
	}
	for _, p := range run.Proposals {
		if p.RequesterID != alum.UserID {
			continue
		}
		if send {
			if _, err := buddies.SendProposals(ctx, e.db, coord, []string{p.ID}); err != nil {
				e.t.Fatal(err)
			}
		}
		return p.ID, buddy
	}
	e.t.Fatalf("no proposal for the alumnus in %+v", run)
	return "", nil
}

// bdyPairing makes the alumnus and a new buddy a current pairing.
func bdyPairing(e *webEnv) string {
	e.t.Helper()
	b := bdyBuddy(e)
	id := uuid.Must(uuid.NewV7()).String()
	if _, err := e.db.Exec(context.Background(), `INSERT INTO buddy_pairings (id, program_id, requester_id, buddy_id, started_at)
		VALUES (?, ?, ?, ?, ?)`, id, e.program.ID, e.users[access.Alumnus].ID, b.ID, time.Now().UTC()); err != nil {
		e.t.Fatal(err)
	}
	return id
}

// bdyWithdrawable gives the alumnus an open request to withdraw.
func bdyWithdrawable(e *webEnv) string {
	_, _ = buddies.AskForBuddy(context.Background(), e.db, e.users[access.Alumnus].Actor("matrix"), buddies.RequestInput{})
	return "/buddies/request/withdraw"
}
