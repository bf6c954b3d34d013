package auth

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/testkit"
)

func wantThrottled(t *testing.T, err error) time.Duration {
	t.Helper()
	var te *ThrottledError
	if !errors.As(err, &te) || te.RetryAfter <= 0 {
		t.Fatalf("err = %v, want *ThrottledError", err)
	}
	return te.RetryAfter
}

func TestThrottleGrowsAndResets(t *testing.T) {
	t.Parallel()
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		f.user(access.Alumnus, "alum@example.org", "Al", "Um")
		fail := func() error {
			_, _, err := f.s.SignIn(f.ctx, "alum@example.org", "not the password", "10.0.0.66", "", "r")
			return err
		}
		for i := 1; i <= accountFreeFailures; i++ {
			if err := fail(); !errors.Is(err, ErrBadCredentials) {
				t.Fatalf("failure %d: %v", i, err)
			}
		}
		// Blocked now, even with the right password, from this address.
		wait := wantThrottled(t, fail())
		_, _, err := f.s.SignIn(f.ctx, "alum@example.org", goodPassword, "10.0.0.66", "", "r")
		wantThrottled(t, err)
		// The delay grows with each further failure, up to the cap.
		for range 20 {
			f.clock.add(wait)
			if err := fail(); !errors.Is(err, ErrBadCredentials) {
				t.Fatalf("after waiting %v: %v", wait, err)
			}
			next := wantThrottled(t, fail())
			if next < wait || next > maxDelay {
				t.Fatalf("delay went from %v to %v (cap %v)", wait, next, maxDelay)
			}
			wait = next
		}
		if wait != maxDelay {
			t.Fatalf("delay %v never reached the cap %v", wait, maxDelay)
		}
		// After waiting, the right password works and clears the account.
		f.clock.add(wait)
		f.signIn("alum@example.org", "10.0.0.66")
		if err := fail(); !errors.Is(err, ErrBadCredentials) {
			t.Fatalf("first failure after success: %v", err)
		}
	})
}

func TestAttackerCannotLockOutRealUser(t *testing.T) {
	t.Parallel()
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		f.user(access.Alumnus, "alum@example.org", "Al", "Um")
		// Many addresses hammer the account.
		for i := range 30 {
			addr := fmt.Sprintf("203.0.113.%d", i%6)
			_, _, err := f.s.SignIn(f.ctx, "alum@example.org", "guess number "+fmt.Sprint(i), addr, "", "r")
			var te *ThrottledError
			if !errors.Is(err, ErrBadCredentials) && !errors.As(err, &te) {
				t.Fatalf("attack %d: %v", i, err)
			}
		}
		// The attackers' addresses are slowed down on this account…
		_, _, err := f.s.SignIn(f.ctx, "alum@example.org", "another guess", "203.0.113.1", "", "r")
		wantThrottled(t, err)
		// …and even the right password from them waits.
		_, _, err = f.s.SignIn(f.ctx, "alum@example.org", goodPassword, "203.0.113.1", "", "r")
		wantThrottled(t, err)
		// The real person, from an address of their own, gets straight in.
		token, _ := f.signIn("alum@example.org", "198.51.100.7")
		f.mustAuth(token)
	})
}

func TestAddressThrottleAcrossAccounts(t *testing.T) {
	t.Parallel()
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		f.user(access.Alumnus, "alum@example.org", "Al", "Um")
		// One address sprays many accounts, a few guesses each.
		for i := range addressFreeFailures {
			email := fmt.Sprintf("user%d@example.org", i)
			if _, _, err := f.s.SignIn(f.ctx, email, "guess", "203.0.113.9", "", "r"); !errors.Is(err, ErrBadCredentials) {
				t.Fatalf("spray %d: %v", i, err)
			}
		}
		_, _, err := f.s.SignIn(f.ctx, "alum@example.org", goodPassword, "203.0.113.9", "", "r")
		wantThrottled(t, err)
		f.signIn("alum@example.org", "198.51.100.7")
	})
}
