package auth

import (
	"errors"
	"testing"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/testkit"
)

func TestUsersAndRoles(t *testing.T) {
	t.Parallel()
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		admin := f.user(access.Admin, "admin@example.org", "Ad", "Min")
		coord := f.user(access.Coordinator, "coord@example.org", "Co", "Ord")
		alum := f.user(access.Alumnus, "alum@example.org", "Al", "Um")
		peer := f.user(access.Alumnus, "peer@example.org", "Pe", "Er")

		_, err := f.s.CreateUser(f.ctx, access.System(f.prog.ID), NewUser{ProgramID: f.prog.ID, Email: "ALUM@example.org",
			Role: access.Alumnus, Password: goodPassword})
		wantField(t, err, "email")
		_, err = f.s.CreateUser(f.ctx, access.System(f.prog.ID), NewUser{ProgramID: f.prog.ID, Email: "x@example.org",
			Role: access.Alumnus, Password: "letmein1"})
		wantField(t, err, "password")
		if _, err := f.s.CreateUser(f.ctx, alum.Actor("r"), NewUser{ProgramID: f.prog.ID, Email: "y@example.org",
			Role: access.Alumnus, Password: goodPassword}); !errors.Is(err, access.ErrNotFound) {
			t.Fatalf("alumnus creates a user: %v", err)
		}

		if u, err := f.s.GetUser(f.ctx, alum.Actor("r"), alum.ID); err != nil || u.Email != "alum@example.org" {
			t.Fatalf("own GetUser = %+v, %v", u, err)
		}
		if _, err := f.s.GetUser(f.ctx, alum.Actor("r"), peer.ID); !errors.Is(err, access.ErrNotFound) {
			t.Fatalf("alumnus reads a peer's account: %v", err)
		}
		if _, err := f.s.GetUser(f.ctx, coord.Actor("r"), peer.ID); err != nil {
			t.Fatalf("coordinator reads an account: %v", err)
		}
		if _, err := f.s.GetUser(f.ctx, coord.Actor("r"), "no-such-id"); !errors.Is(err, access.ErrNotFound) {
			t.Fatalf("missing user: %v", err)
		}
		list, err := f.s.ListUsers(f.ctx, coord.Actor("r"), f.prog.ID)
		if err != nil || len(list) != 4 {
			t.Fatalf("ListUsers = %d users, %v", len(list), err)
		}
		if _, err := f.s.ListUsers(f.ctx, alum.Actor("r"), f.prog.ID); !errors.Is(err, access.ErrNotFound) {
			t.Fatalf("alumnus lists users: %v", err)
		}

		if err := f.s.SetRole(f.ctx, coord.Actor("r"), peer.ID, access.Coach); !errors.Is(err, access.ErrNotFound) {
			t.Fatalf("coordinator sets a role: %v", err)
		}
		if err := f.s.SetRole(f.ctx, admin.Actor("r"), peer.ID, "overlord"); err == nil {
			t.Fatal("unknown role accepted")
		}
		if err := f.s.SetRole(f.ctx, admin.Actor("r"), peer.ID, access.Coach); err != nil {
			t.Fatal(err)
		}
		u, _ := f.s.GetUser(f.ctx, admin.Actor("r"), peer.ID)
		if u.Role != access.Coach {
			t.Fatalf("role %q", u.Role)
		}
		if f.countAudit("user.role", peer.ID) != 1 {
			t.Fatal("role change not audited")
		}
		// Now staff, the peer must enrol a second factor.
		if _, sess := f.signIn("peer@example.org", "10.0.0.1"); sess.Stage != StageEnroll {
			t.Fatalf("new coach at stage %q", sess.Stage)
		}
	})
}

func TestChangePassword(t *testing.T) {
	t.Parallel()
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		alum := f.user(access.Alumnus, "alum@example.org", "Al", "Um")
		t1, s1 := f.signIn("alum@example.org", "10.0.0.1")
		t2, _ := f.signIn("alum@example.org", "10.0.0.1")
		wantField(t, f.s.ChangePassword(f.ctx, alum.Actor("r"), "wrong password", "a new lantern glow"), "current")
		wantField(t, f.s.ChangePassword(f.ctx, alum.Actor("r"), goodPassword, "sunshine"), "password")
		if err := f.s.ChangePassword(f.ctx, access.Actor{}, goodPassword, "a new lantern glow"); !errors.Is(err, access.ErrNotFound) {
			t.Fatalf("anonymous change: %v", err)
		}
		if err := f.s.ChangePasswordKeep(f.ctx, alum.Actor("r"), s1.ID, goodPassword, "a new lantern glow"); err != nil {
			t.Fatal(err)
		}
		f.mustAuth(t1)
		f.noAuth(t2, "other session after a password change")
		if _, _, err := f.s.SignIn(f.ctx, "alum@example.org", "a new lantern glow", "10.0.0.1", "", "r"); err != nil {
			t.Fatal(err)
		}
		if err := f.s.ChangePassword(f.ctx, alum.Actor("r"), "a new lantern glow", "the third lantern"); err != nil {
			t.Fatal(err)
		}
		f.noAuth(t1, "every session after ChangePassword")
		if f.countAudit("password.change", alum.ID) != 2 {
			t.Fatal("password change not audited")
		}
	})
}
