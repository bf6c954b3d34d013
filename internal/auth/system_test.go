package auth

import (
	"context"
	"errors"
	"testing"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/testkit"
)

func TestEnsurePassword(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		f := newFixture(t, d)
		u := f.user(access.Alumnus, "pat@example.test", "Pat", "Moss")
		sys := access.System(u.ProgramID)
		changed, err := f.s.EnsurePassword(ctx, sys, u.Email, goodPassword)
		if err != nil || changed {
			t.Fatalf("same password: changed=%v err=%v, want no change", changed, err)
		}
		token, _, err := f.s.SignIn(ctx, u.Email, goodPassword, "192.0.2.9", "ua", "r")
		if err != nil {
			t.Fatal(err)
		}
		changed, err = f.s.EnsurePassword(ctx, sys, u.Email, "a brand new passphrase")
		if err != nil || !changed {
			t.Fatalf("new password: changed=%v err=%v", changed, err)
		}
		if _, _, err := f.s.Authenticate(ctx, token); !errors.Is(err, ErrNoSession) {
			t.Errorf("session survived a password change: %v", err)
		}
		if _, _, err := f.s.SignIn(ctx, u.Email, "a brand new passphrase", "192.0.2.9", "ua", "r"); err != nil {
			t.Errorf("new password does not sign in: %v", err)
		}
		if _, err := f.s.EnsurePassword(ctx, u.Actor("r"), u.Email, "another passphrase"); !errors.Is(err, access.ErrNotFound) {
			t.Errorf("a person used EnsurePassword: %v", err)
		}
		if _, err := f.s.EnsurePassword(ctx, access.System("other"), u.Email, "another passphrase"); !errors.Is(err, access.ErrNotFound) {
			t.Errorf("another program's system actor reached the account: %v", err)
		}
	})
}
