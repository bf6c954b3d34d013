// Package demo seeds the Driftwood Recovery alumni program: a fictional
// program with one account per role and forty alumni, so that Cairn can be
// tried (and tested) with believable data. Seeding is idempotent.
package demo

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/auth"
	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/programs"
)

// Emails are the demo accounts to sign in with, one per role: admin,
// coordinator, coach, alumnus (Alex Rivera) and family member.
var Emails = func() []string {
	out := make([]string, len(named))
	for i, p := range named {
		out[i] = p.Email
	}
	return out
}()

// ProgramName is the name of the demo program.
const ProgramName = "Driftwood Recovery Alumni"

// hashWorkers is how many accounts are created at once: each creation
// spends ~50 ms hashing its password, and two workers halve the first seed
// without starving a small machine.
const hashWorkers = 2

// Seed creates the demo program and its accounts, all with password, and
// returns the program. It is idempotent: what exists already is kept, and
// a second run creates nothing. Accounts that exist with another password
// are given this one, so that the password printed at start-up always works.
func Seed(ctx context.Context, d *db.DB, a *auth.Service, password string) (*programs.Program, error) {
	if err := auth.ValidatePassword(password); err != nil {
		return nil, fmt.Errorf("demo password: %w", err)
	}
	p, err := ensureProgram(ctx, d)
	if err != nil {
		return nil, err
	}
	everyone := people()
	existing, err := existingEmails(ctx, d, p.ID)
	if err != nil {
		return nil, err
	}
	var missing []person
	for _, pe := range everyone {
		if !existing[pe.Email] {
			missing = append(missing, pe)
		}
	}
	if err := createUsers(ctx, a, p.ID, missing, password); err != nil {
		return nil, err
	}
	if len(existing) > 0 {
		if err := ensurePassword(ctx, a, p.ID, everyone, password); err != nil {
			return nil, err
		}
	}
	if err := seedNotifications(ctx, d, p.ID); err != nil {
		return nil, err
	}
	if err := seedRecovery(ctx, d, p); err != nil {
		return nil, err
	}
	if err := seedProfiles(ctx, d, p); err != nil {
		return nil, err
	}
	if err := seedFamily(ctx, d, p); err != nil {
		return nil, err
	}
	if err := seedEvents(ctx, d, p); err != nil {
		return nil, err
	}
	if err := seedCaseloads(ctx, d, a, p, password); err != nil {
		return nil, err
	}
	if err := seedSafety(ctx, d, p); err != nil {
		return nil, err
	}
	if err := seedConversations(ctx, d, p); err != nil {
		return nil, err
	}
	if err := seedCircles(ctx, d, p); err != nil {
		return nil, err
	}
	if err := seedBuddies(ctx, d, p); err != nil {
		return nil, err
	}
	return p, nil
}

// ensureProgram returns the demo program, creating it on first run.
func ensureProgram(ctx context.Context, d *db.DB) (*programs.Program, error) {
	p, err := programs.FindByName(ctx, d, ProgramName)
	if err == nil {
		return p, nil
	}
	if !errors.Is(err, db.ErrNotFound) {
		return nil, fmt.Errorf("demo: find program: %w", err)
	}
	p, err = programs.Create(ctx, d, program)
	if err != nil {
		return nil, fmt.Errorf("demo: create program: %w", err)
	}
	return p, nil
}

// existingEmails returns the emails of the program's accounts.
func existingEmails(ctx context.Context, d *db.DB, programID string) (map[string]bool, error) {
	rows, err := d.Query(ctx, `SELECT email FROM users WHERE program_id = ?`, programID)
	if err != nil {
		return nil, fmt.Errorf("demo: list accounts: %w", err)
	}
	defer rows.Close()
	out := map[string]bool{}
	for rows.Next() {
		var e string
		if err := rows.Scan(&e); err != nil {
			return nil, fmt.Errorf("demo: list accounts: %w", err)
		}
		out[e] = true
	}
	return out, rows.Err()
}

// createUsers creates the accounts, hashWorkers at a time.
func createUsers(ctx context.Context, a *auth.Service, programID string, ps []person, password string) error {
	return parallel(ctx, ps, func(ctx context.Context, pe person) error {
		_, err := a.CreateUser(ctx, access.System(programID), auth.NewUser{
			ProgramID: programID,
			Email:     pe.Email,
			FirstName: pe.FirstName,
			LastName:  pe.LastName,
			Role:      pe.Role,
			Password:  password,
		})
		if err != nil {
			return fmt.Errorf("demo: create %s: %w", pe.Email, err)
		}
		return nil
	})
}

// parallel runs fn for each item, hashWorkers at a time, and returns the
// first error (after which the remaining items are skipped).
func parallel[T any](ctx context.Context, items []T, fn func(context.Context, T) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	work := make(chan T)
	var (
		wg    sync.WaitGroup
		once  sync.Once
		first error
	)
	for range min(hashWorkers, len(items)) {
		wg.Go(func() {
			for it := range work {
				if err := fn(ctx, it); err != nil {
					once.Do(func() { first = err; cancel() })
				}
			}
		})
	}
feed:
	for _, it := range items {
		select {
		case work <- it:
		case <-ctx.Done():
			break feed
		}
	}
	close(work)
	wg.Wait()
	if first == nil {
		first = ctx.Err()
	}
	return first
}

// userID returns the id of the demo account email in programID; ok is
// false when there is none.
func userID(ctx context.Context, q db.Querier, programID, email string) (id string, ok bool, err error) {
	err = db.Err(q.QueryRow(ctx, `SELECT id FROM users WHERE email = ? AND program_id = ?`, email, programID).Scan(&id))
	if errors.Is(err, db.ErrNotFound) {
		return "", false, nil
	}
	return id, err == nil, err
}
