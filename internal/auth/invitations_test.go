package auth

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/testkit"
)

func TestInvitationAccept(t *testing.T) {
	t.Parallel()
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		coord := f.user(access.Coordinator, "coord@example.org", "Maria", "Lopez")
		inv, link, err := f.s.Invite(f.ctx, coord.Actor("r"), " New.Person@Example.org ", access.Alumnus)
		if err != nil {
			t.Fatal(err)
		}
		if inv.Email != "new.person@example.org" || inv.Role != access.Alumnus || inv.InvitedBy != coord.ID ||
			!inv.ExpiresAt.Equal(f.clock.now().Add(7*24*time.Hour)) {
			t.Fatalf("invitation %+v", inv)
		}
		if !strings.HasPrefix(link, "http://cairn.test/invite/") {
			t.Fatalf("link %q", link)
		}
		token := strings.TrimPrefix(link, "http://cairn.test/invite/")
		var stored string
		if err := d.QueryRow(f.ctx, `SELECT token_hash FROM invitations WHERE id = ?`, inv.ID).Scan(&stored); err != nil || stored == token {
			t.Fatalf("token stored as %q (%v)", stored, err)
		}
		mails := f.outbox()
		if len(mails) != 1 {
			t.Fatalf("%d mails queued, want 1", len(mails))
		}
		m := mails[0]
		if m.to != "new.person@example.org" || tokenIn(t, m.text, "invite") != token {
			t.Fatalf("mail %+v", m)
		}
		for _, want := range []string{"Maria L.", "Harbor Light Alumni", "once", "7 days"} {
			if !strings.Contains(m.text+m.subject, want) {
				t.Errorf("invitation mail does not mention %q:\n%s", want, m.text)
			}
		}
		got, err := f.s.Invitation(f.ctx, token)
		if err != nil || got.ID != inv.ID {
			t.Fatalf("Invitation = %+v, %v", got, err)
		}

		_, err = f.s.AcceptInvitation(f.ctx, token, "Sam", "Kim", "password", "r")
		wantField(t, err, "password")
		_, err = f.s.AcceptInvitation(f.ctx, token, " ", "Kim", goodPassword, "r")
		wantField(t, err, "first_name")
		u, err := f.s.AcceptInvitation(f.ctx, token, "Sam", "Kim", goodPassword, "r")
		if err != nil {
			t.Fatal(err)
		}
		if u.Email != "new.person@example.org" || u.Role != access.Alumnus || u.ProgramID != f.prog.ID || u.DisplayName() != "Sam K." {
			t.Fatalf("user %+v", u)
		}
		f.signIn("new.person@example.org", "10.0.0.1")

		// Single use.
		if _, err := f.s.Invitation(f.ctx, token); !errors.Is(err, ErrInvalidToken) {
			t.Fatalf("used invitation: %v", err)
		}
		if _, err := f.s.AcceptInvitation(f.ctx, token, "Eve", "X", goodPassword, "r"); !errors.Is(err, ErrInvalidToken) {
			t.Fatalf("second accept: %v", err)
		}
		// Inviting someone who has an account is refused (on a staff-only screen).
		_, _, err = f.s.Invite(f.ctx, coord.Actor("r"), "new.person@example.org", access.Family)
		wantField(t, err, "email")
		_, _, err = f.s.Invite(f.ctx, coord.Actor("r"), "not an email", access.Family)
		wantField(t, err, "email")

		list, err := f.s.ListInvitations(f.ctx, coord.Actor("r"))
		if err != nil || len(list) != 1 || list[0].AcceptedAt == nil {
			t.Fatalf("ListInvitations = %+v, %v", list, err)
		}
		if f.countAudit("invitation.create", inv.ID) != 1 || f.countAudit("invitation.accept", inv.ID) != 1 || f.countAudit("user.create", u.ID) != 1 {
			t.Fatal("invitation not audited")
		}
		for _, r := range f.audits() {
			if strings.Contains(r.detail, "@") {
				t.Errorf("audit detail %q holds an email", r.detail)
			}
		}
	})
}

func TestInvitationExpiredRevokedAndRules(t *testing.T) {
	t.Parallel()
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		coord := f.user(access.Coordinator, "coord@example.org", "Maria", "Lopez")
		coach := f.user(access.Coach, "coach@example.org", "Kai", "Chen")
		alum := f.user(access.Alumnus, "alum@example.org", "Al", "Um")

		// Who may invite whom.
		if _, _, err := f.s.Invite(f.ctx, alum.Actor("r"), "x@example.org", access.Alumnus); !errors.Is(err, access.ErrNotFound) {
			t.Fatalf("alumnus invites: %v", err)
		}
		if _, _, err := f.s.Invite(f.ctx, coord.Actor("r"), "x@example.org", access.Admin); !errors.Is(err, access.ErrNotFound) {
			t.Fatalf("coordinator invites an admin: %v", err)
		}
		if _, err := f.s.ListInvitations(f.ctx, alum.Actor("r")); !errors.Is(err, access.ErrNotFound) {
			t.Fatalf("alumnus lists invitations: %v", err)
		}

		_, link, err := f.s.Invite(f.ctx, coach.Actor("r"), "late@example.org", access.Family)
		if err != nil {
			t.Fatal(err)
		}
		late := strings.TrimPrefix(link, "http://cairn.test/invite/")
		f.clock.add(7*24*time.Hour - time.Second)
		if _, err := f.s.Invitation(f.ctx, late); err != nil {
			t.Fatalf("invitation just before expiry: %v", err)
		}
		f.clock.add(time.Second)
		if _, err := f.s.Invitation(f.ctx, late); !errors.Is(err, ErrInvalidToken) {
			t.Fatalf("expired invitation: %v", err)
		}
		if _, err := f.s.AcceptInvitation(f.ctx, late, "Lee", "T", goodPassword, "r"); !errors.Is(err, ErrInvalidToken) {
			t.Fatalf("accept expired: %v", err)
		}

		inv, link, err := f.s.Invite(f.ctx, coach.Actor("r"), "revoked@example.org", access.Alumnus)
		if err != nil {
			t.Fatal(err)
		}
		tok := strings.TrimPrefix(link, "http://cairn.test/invite/")
		if err := f.s.RevokeInvitation(f.ctx, alum.Actor("r"), inv.ID); !errors.Is(err, access.ErrNotFound) {
			t.Fatalf("alumnus revokes: %v", err)
		}
		if err := f.s.RevokeInvitation(f.ctx, coord.Actor("r"), inv.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := f.s.AcceptInvitation(f.ctx, tok, "Rae", "V", goodPassword, "r"); !errors.Is(err, ErrInvalidToken) {
			t.Fatalf("accept revoked: %v", err)
		}
		if err := f.s.RevokeInvitation(f.ctx, coord.Actor("r"), inv.ID); err != nil {
			t.Fatalf("revoke twice: %v", err)
		}
		if f.countAudit("invitation.revoke", inv.ID) != 1 {
			t.Fatal("revocation not audited once")
		}
		for _, bad := range []string{"", "short", strings.Repeat("A", 22), tok + "x", "../../etc/passwd"} {
			if _, err := f.s.Invitation(f.ctx, bad); !errors.Is(err, ErrInvalidToken) {
				t.Errorf("Invitation(%q) = %v", bad, err)
			}
		}
		var n int
		if err := d.QueryRow(f.ctx, `SELECT COUNT(*) FROM users WHERE email IN ('late@example.org', 'revoked@example.org')`).Scan(&n); err != nil || n != 0 {
			t.Fatalf("%d accounts made from dead invitations (%v)", n, err)
		}
	})
}
