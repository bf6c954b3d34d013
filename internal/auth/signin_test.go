package auth

import (
	"errors"
	"strings"
	"testing"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/testkit"
)

func TestSignIn(t *testing.T) {
	t.Parallel()
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		alum := f.user(access.Alumnus, "Alex.Rivera@Example.org", "Alex", "Rivera")
		if alum.Email != "alex.rivera@example.org" {
			t.Fatalf("email stored as %q, want lower case", alum.Email)
		}
		admin := f.user(access.Admin, "admin@example.org", "Ada", "Min")
		gone := f.user(access.Alumnus, "gone@example.org", "Gone", "Away")
		if err := f.s.SetDisabled(f.ctx, admin.Actor("r"), gone.ID, true); err != nil {
			t.Fatal(err)
		}

		token, sess := f.signIn(" ALEX.rivera@example.org ", "10.0.0.1")
		if sess.Stage != StageFull || sess.UserID != alum.ID || sess.ProgramID != f.prog.ID {
			t.Fatalf("session %+v", sess)
		}
		if len(token) != TokenLength || sess.ID == token {
			t.Fatalf("token %q, session id %q", token, sess.ID)
		}
		got, u := f.mustAuth(token)
		if got.ID != sess.ID || u.ID != alum.ID {
			t.Fatalf("Authenticate = %+v, %+v", got, u)
		}
		var stored string
		if err := d.QueryRow(f.ctx, `SELECT token_hash FROM sessions WHERE id = ?`, sess.ID).Scan(&stored); err != nil {
			t.Fatal(err)
		}
		if stored == token || stored != hashToken(token) {
			t.Fatalf("stored token %q: want SHA-256 of the token, not the token", stored)
		}

		// A second sign-in renews: a fresh token and session every time.
		token2, sess2 := f.signIn("alex.rivera@example.org", "10.0.0.1")
		if token2 == token || sess2.ID == sess.ID {
			t.Fatal("sign-in reused the token or session")
		}

		// One answer for a wrong password, an unknown email and a disabled account.
		for _, c := range []struct{ email, pw string }{
			{"alex.rivera@example.org", "wrong password here"},
			{"nobody@example.org", goodPassword},
			{"gone@example.org", goodPassword},
			{"", ""},
			{strings.Repeat("a", 300) + "@x.org", goodPassword},
		} {
			tok, s, err := f.s.SignIn(f.ctx, c.email, c.pw, "10.0.0.2", "agent", "req")
			if !errors.Is(err, ErrBadCredentials) || tok != "" || s != nil {
				t.Errorf("SignIn(%q) = %q, %v, %v; want ErrBadCredentials", c.email, tok, s, err)
			}
		}
		if ErrBadCredentials.Error() != "That email and password do not match." {
			t.Fatalf("ErrBadCredentials says %q", ErrBadCredentials)
		}

		// Audit: successes with the user as subject, failures without any email.
		if n := f.countAudit("signin.success", alum.ID); n != 2 {
			t.Errorf("%d signin.success entries, want 2", n)
		}
		failures := 0
		for _, r := range f.audits() {
			if r.action != "signin.failure" {
				continue
			}
			failures++
			if strings.Contains(r.detail, "@") || strings.Contains(r.detail, "example") {
				t.Errorf("signin.failure detail %q mentions the email", r.detail)
			}
		}
		if failures != 5 {
			t.Errorf("%d signin.failure entries, want 5", failures)
		}
		if n := f.countAudit("signin.failure", gone.ID); n != 1 {
			t.Errorf("disabled sign-in failure not recorded against the user (%d)", n)
		}
	})
}

func TestRehashOnSignIn(t *testing.T) {
	t.Parallel()
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		u := f.user(access.Alumnus, "a@example.org", "A", "B")
		hash := func() string {
			var h string
			if err := d.QueryRow(f.ctx, `SELECT password_hash FROM users WHERE id = ?`, u.ID).Scan(&h); err != nil {
				t.Fatal(err)
			}
			return h
		}
		before := hash()
		if !strings.Contains(before, "$m=64,t=1,p=1$") {
			t.Fatalf("hash %q", before)
		}
		// The same database under a service with stronger parameters.
		stronger := New(d, Options{SecretKey: []byte("0123456789abcdef0123456789abcdef"), Now: f.clock.now,
			Argon: &Argon2Params{Memory: 128, Time: 2, Threads: 1}})
		if _, _, err := stronger.SignIn(f.ctx, "a@example.org", goodPassword, "10.0.0.1", "", "r"); err != nil {
			t.Fatal(err)
		}
		after := hash()
		if !strings.Contains(after, "$m=128,t=2,p=1$") {
			t.Fatalf("hash not upgraded: %q", after)
		}
		if _, _, err := stronger.SignIn(f.ctx, "a@example.org", goodPassword, "10.0.0.1", "", "r"); err != nil {
			t.Fatalf("sign in after rehash: %v", err)
		}
		if hash() != after {
			t.Fatal("rehashed again although the parameters did not rise")
		}
		// A weaker service does not downgrade.
		if _, _, err := f.s.SignIn(f.ctx, "a@example.org", goodPassword, "10.0.0.1", "", "r"); err != nil {
			t.Fatal(err)
		}
		if hash() != after {
			t.Fatal("hash downgraded")
		}
	})
}
