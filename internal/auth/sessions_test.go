package auth

import (
	"errors"
	"testing"
	"time"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/testkit"
)

func TestSessionIdleByRole(t *testing.T) {
	t.Parallel()
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		// Demo mode, so the coach's session is full without enrolling.
		f := newFixture(t, d, func(o *Options) { o.Demo = true })
		f.user(access.Alumnus, "alum@example.org", "Al", "Um")
		f.user(access.Coach, "coach@example.org", "Co", "Ach")
		member, _ := f.signIn("alum@example.org", "10.0.0.1")
		staff, sess := f.signIn("coach@example.org", "10.0.0.2")
		if sess.Stage != StageFull {
			t.Fatalf("demo coach stage %q", sess.Stage)
		}

		// Activity keeps the staff session alive.
		f.clock.add(20 * time.Minute)
		f.mustAuth(staff)
		f.clock.add(20 * time.Minute)
		f.mustAuth(staff)
		// Idle longer than the staff timeout: the coach is signed out, the
		// alumnus (idle for 40 minutes) is not.
		f.clock.add(31 * time.Minute)
		f.noAuth(staff, "staff after 31 idle minutes")
		got, _ := f.mustAuth(member)
		if !got.LastSeenAt.Equal(f.clock.now()) {
			t.Fatalf("last seen %v, want %v", got.LastSeenAt, f.clock.now())
		}
		f.clock.add(6 * 24 * time.Hour)
		f.mustAuth(member)
		f.clock.add(7*24*time.Hour + time.Second)
		f.noAuth(member, "member after 7 idle days")
	})
}

func TestSessionTouchAtMostOncePerMinute(t *testing.T) {
	t.Parallel()
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		f.user(access.Alumnus, "alum@example.org", "Al", "Um")
		token, sess := f.signIn("alum@example.org", "10.0.0.1")
		f.clock.add(30 * time.Second)
		got, _ := f.mustAuth(token)
		if !got.LastSeenAt.Equal(sess.LastSeenAt) {
			t.Fatalf("touched after 30 seconds: %v", got.LastSeenAt)
		}
		f.clock.add(31 * time.Second)
		got, _ = f.mustAuth(token)
		if !got.LastSeenAt.Equal(f.clock.now()) {
			t.Fatalf("not touched after 61 seconds: %v", got.LastSeenAt)
		}
		var stored time.Time
		if err := d.QueryRow(f.ctx, `SELECT last_seen_at FROM sessions WHERE id = ?`, sess.ID).Scan(&stored); err != nil {
			t.Fatal(err)
		}
		if !stored.Equal(f.clock.now()) {
			t.Fatalf("stored last_seen_at %v, want %v", stored, f.clock.now())
		}
	})
}

func TestSessionAbsoluteLifetime(t *testing.T) {
	t.Parallel()
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d, func(o *Options) { o.Lifetime = 2 * time.Hour })
		f.user(access.Alumnus, "alum@example.org", "Al", "Um")
		token, sess := f.signIn("alum@example.org", "10.0.0.1")
		if !sess.ExpiresAt.Equal(f.clock.now().Add(2 * time.Hour)) {
			t.Fatalf("expires %v", sess.ExpiresAt)
		}
		for range 3 {
			f.clock.add(39 * time.Minute)
			f.mustAuth(token)
		}
		f.clock.add(4 * time.Minute) // 2h01 after sign-in, though active
		f.noAuth(token, "past the absolute lifetime")
	})
}

func TestSignOutListAndRevoke(t *testing.T) {
	t.Parallel()
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		alum := f.user(access.Alumnus, "alum@example.org", "Al", "Um")
		other := f.user(access.Alumnus, "other@example.org", "Ot", "Her")
		t1, s1 := f.signIn("alum@example.org", "10.0.0.1")
		f.clock.add(time.Second)
		t2, s2 := f.signIn("alum@example.org", "10.0.0.1")
		_, s3 := f.signIn("other@example.org", "10.0.0.3")

		list, err := f.s.ListSessions(f.ctx, alum.Actor("r"))
		if err != nil {
			t.Fatal(err)
		}
		if len(list) != 2 || list[0].ID != s2.ID || list[1].ID != s1.ID {
			t.Fatalf("ListSessions = %+v, want [s2 s1]", list)
		}
		if list[0].UserAgent != "test agent" {
			t.Fatalf("user agent %q", list[0].UserAgent)
		}
		// Another person's session looks like no session.
		if err := f.s.RevokeSession(f.ctx, alum.Actor("r"), s3.ID); !errors.Is(err, access.ErrNotFound) {
			t.Fatalf("revoke other's session: %v", err)
		}
		if _, err := f.s.ListSessions(f.ctx, access.Actor{}); !errors.Is(err, access.ErrNotFound) {
			t.Fatalf("anonymous ListSessions: %v", err)
		}
		if err := f.s.RevokeSession(f.ctx, alum.Actor("r"), s1.ID); err != nil {
			t.Fatal(err)
		}
		f.noAuth(t1, "revoked session")
		f.mustAuth(t2)
		if n := f.countAudit("session.revoke", s1.ID); n != 1 {
			t.Fatalf("%d session.revoke entries", n)
		}

		if err := f.s.SignOut(f.ctx, t2); err != nil {
			t.Fatal(err)
		}
		f.noAuth(t2, "signed out")
		if err := f.s.SignOut(f.ctx, t2); err != nil {
			t.Fatalf("second sign-out: %v", err)
		}
		if err := f.s.SignOut(f.ctx, "not a token"); err != nil {
			t.Fatalf("sign-out of garbage: %v", err)
		}
		if n := f.countAudit("signout", s2.ID); n != 1 {
			t.Fatalf("%d signout entries", n)
		}
		_ = other
		f.noAuth("", "empty token")
		f.noAuth("AAAAAAAAAAAAAAAAAAAAAA", "unknown token")
	})
}

func TestDisablingEndsSessions(t *testing.T) {
	t.Parallel()
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		admin := f.user(access.Admin, "admin@example.org", "Ad", "Min")
		alum := f.user(access.Alumnus, "alum@example.org", "Al", "Um")
		coord := f.user(access.Coordinator, "coord@example.org", "Co", "Ord")
		token, _ := f.signIn("alum@example.org", "10.0.0.1")

		if err := f.s.SetDisabled(f.ctx, coord.Actor("r"), alum.ID, true); !errors.Is(err, access.ErrNotFound) {
			t.Fatalf("coordinator disabling: %v", err)
		}
		if err := f.s.SetDisabled(f.ctx, admin.Actor("r"), admin.ID, true); !errors.Is(err, access.ErrNotFound) {
			t.Fatalf("admin disabling self: %v", err)
		}
		if err := f.s.SetDisabled(f.ctx, admin.Actor("r"), alum.ID, true); err != nil {
			t.Fatal(err)
		}
		f.noAuth(token, "disabled user")
		var n int
		if err := d.QueryRow(f.ctx, `SELECT COUNT(*) FROM sessions WHERE user_id = ?`, alum.ID).Scan(&n); err != nil || n != 0 {
			t.Fatalf("%d sessions left (%v)", n, err)
		}
		if _, _, err := f.s.SignIn(f.ctx, "alum@example.org", goodPassword, "10.0.0.1", "", "r"); !errors.Is(err, ErrBadCredentials) {
			t.Fatalf("disabled sign-in: %v", err)
		}
		u, err := f.s.GetUser(f.ctx, admin.Actor("r"), alum.ID)
		if err != nil || !u.Disabled {
			t.Fatalf("GetUser = %+v, %v", u, err)
		}
		if err := f.s.SetDisabled(f.ctx, admin.Actor("r"), alum.ID, false); err != nil {
			t.Fatal(err)
		}
		f.signIn("alum@example.org", "10.0.0.1")
		if f.countAudit("user.disable", alum.ID) != 1 || f.countAudit("user.enable", alum.ID) != 1 {
			t.Fatal("disable/enable not audited once each")
		}
	})
}

func TestDisabledUserSessionRefusedEvenIfLeft(t *testing.T) {
	t.Parallel()
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		alum := f.user(access.Alumnus, "alum@example.org", "Al", "Um")
		token, _ := f.signIn("alum@example.org", "10.0.0.1")
		// Disabled behind the service's back (e.g. by an older instance).
		if _, err := d.Exec(f.ctx, `UPDATE users SET disabled_at = ? WHERE id = ?`, f.clock.now(), alum.ID); err != nil {
			t.Fatal(err)
		}
		f.noAuth(token, "session of a disabled user")
	})
}

func TestDeleteExpired(t *testing.T) {
	t.Parallel()
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		f.user(access.Alumnus, "alum@example.org", "Al", "Um")
		f.signIn("alum@example.org", "10.0.0.1")
		if err := f.s.RequestReset(f.ctx, "alum@example.org", "10.0.0.1", "r"); err != nil {
			t.Fatal(err)
		}
		if _, _, err := f.s.SignIn(f.ctx, "alum@example.org", "wrong password", "10.0.0.9", "", "r"); !errors.Is(err, ErrBadCredentials) {
			t.Fatal(err)
		}
		count := func(table string) int {
			var n int
			if err := d.QueryRow(f.ctx, `SELECT COUNT(*) FROM `+table).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		if err := f.s.DeleteExpired(f.ctx); err != nil {
			t.Fatal(err)
		}
		if count("sessions") != 1 || count("password_resets") != 1 || count("signin_throttle") != 3 {
			t.Fatal("DeleteExpired removed live rows")
		}
		f.clock.add(8 * 24 * time.Hour)
		if err := f.s.DeleteExpired(f.ctx); err != nil {
			t.Fatal(err)
		}
		for _, table := range []string{"sessions", "password_resets", "signin_throttle"} {
			if n := count(table); n != 0 {
				t.Errorf("%d rows left in %s", n, table)
			}
		}
	})
}

// TestCheckDoesNotExtendSession: a request the browser makes by itself
// (the live stream) sees the session but does not keep it alive.
func TestCheckDoesNotExtendSession(t *testing.T) {
	t.Parallel()
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d, func(o *Options) { o.Demo = true })
		f.user(access.Coach, "coach@example.org", "Co", "Ach")
		staff, _ := f.signIn("coach@example.org", "10.0.0.2")
		for range 5 {
			f.clock.add(5 * time.Minute)
			if _, _, err := f.s.Check(f.ctx, staff); err != nil {
				t.Fatalf("Check of a live session: %v", err)
			}
		}
		f.clock.add(6 * time.Minute) // 31 minutes since the last real activity
		if _, _, err := f.s.Check(f.ctx, staff); err == nil {
			t.Fatal("checks kept an idle staff session alive")
		}
		f.noAuth(staff, "staff idle for 31 minutes despite live checks")
	})
}
