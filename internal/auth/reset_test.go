package auth

import (
	"errors"
	"testing"
	"time"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/testkit"
)

func TestPasswordReset(t *testing.T) {
	t.Parallel()
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		alum := f.user(access.Alumnus, "alum@example.org", "Al", "Um")

		// Unknown emails: nil, and nothing is sent or recorded.
		for _, email := range []string{"nobody@example.org", "", "not an email"} {
			if err := f.s.RequestReset(f.ctx, email, "10.0.0.1", "r"); err != nil {
				t.Fatalf("RequestReset(%q) = %v", email, err)
			}
		}
		if n := len(f.outbox()); n != 0 {
			t.Fatalf("%d mails for unknown emails", n)
		}
		if f.countAudit("password.reset.request", "") != 0 {
			t.Fatal("reset request for an unknown email audited")
		}

		old, _ := f.signIn("alum@example.org", "10.0.0.1")
		if err := f.s.RequestReset(f.ctx, "ALUM@example.org", "10.0.0.1", "r"); err != nil {
			t.Fatal(err)
		}
		mails := f.outbox()
		if len(mails) != 1 || mails[0].to != "alum@example.org" {
			t.Fatalf("mails %+v", mails)
		}
		token := tokenIn(t, mails[0].text, "reset")
		if err := f.s.ResetToken(f.ctx, token); err != nil {
			t.Fatalf("ResetToken: %v", err)
		}
		wantField(t, f.s.ResetPassword(f.ctx, token, "123456789", "r"), "password")
		const next = "a brand new lantern"
		if err := f.s.ResetPassword(f.ctx, token, next, "r"); err != nil {
			t.Fatal(err)
		}
		f.noAuth(old, "session from before the reset")
		if _, _, err := f.s.SignIn(f.ctx, "alum@example.org", goodPassword, "10.0.0.1", "", "r"); !errors.Is(err, ErrBadCredentials) {
			t.Fatalf("old password after reset: %v", err)
		}
		if _, _, err := f.s.SignIn(f.ctx, "alum@example.org", next, "10.0.0.1", "", "r"); err != nil {
			t.Fatalf("new password: %v", err)
		}
		// Single use.
		if err := f.s.ResetToken(f.ctx, token); !errors.Is(err, ErrInvalidToken) {
			t.Fatalf("used token: %v", err)
		}
		if err := f.s.ResetPassword(f.ctx, token, "yet another lantern", "r"); !errors.Is(err, ErrInvalidToken) {
			t.Fatalf("reuse: %v", err)
		}
		if f.countAudit("password.reset.request", alum.ID) != 1 || f.countAudit("password.reset", alum.ID) != 1 {
			t.Fatal("reset not audited")
		}

		// Expiry after one hour.
		if err := f.s.RequestReset(f.ctx, "alum@example.org", "10.0.0.1", "r"); err != nil {
			t.Fatal(err)
		}
		mails = f.outbox()
		late := tokenIn(t, mails[len(mails)-1].text, "reset")
		f.clock.add(time.Hour)
		if err := f.s.ResetPassword(f.ctx, late, "yet another lantern", "r"); !errors.Is(err, ErrInvalidToken) {
			t.Fatalf("expired reset: %v", err)
		}
		for _, bad := range []string{"", "x", late + "A"} {
			if err := f.s.ResetToken(f.ctx, bad); !errors.Is(err, ErrInvalidToken) {
				t.Errorf("ResetToken(%q) = %v", bad, err)
			}
		}
	})
}

func TestResetRequestsCapped(t *testing.T) {
	t.Parallel()
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		f.user(access.Alumnus, "alum@example.org", "Al", "Um")
		for range 5 {
			if err := f.s.RequestReset(f.ctx, "alum@example.org", "10.0.0.1", "r"); err != nil {
				t.Fatal(err)
			}
		}
		if n := len(f.outbox()); n != maxResetsPerHour {
			t.Fatalf("%d reset mails in an hour, want %d", n, maxResetsPerHour)
		}
	})
}
