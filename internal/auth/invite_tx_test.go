package auth

import (
	"errors"
	"regexp"
	"testing"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/testkit"
)

func TestInviteTxCommitsAndRollsBackWithTheCaller(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		admin := f.user(access.Admin, "admin@example.org", "Morgan", "Ellis")
		count := func(q string) int {
			var n int
			if err := d.QueryRow(f.ctx, q).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		boom := errors.New("caller failed")
		err := d.Tx(f.ctx, func(tx *db.Tx) error {
			if _, _, err := f.s.InviteTx(f.ctx, tx, admin.Actor("r"), "one@example.org", access.Alumnus); err != nil {
				return err
			}
			if _, err := f.s.InviteManyTx(f.ctx, tx, admin.Actor("r"), []string{"two@example.org", "Three@Example.org"}, access.Alumnus); err != nil {
				return err
			}
			return boom
		})
		if !errors.Is(err, boom) || count(`SELECT COUNT(*) FROM invitations`) != 0 || count(`SELECT COUNT(*) FROM mail_outbox`) != 0 {
			t.Fatalf("rolled back: %v, %d invitations", err, count(`SELECT COUNT(*) FROM invitations`))
		}
		var invs []*Invitation
		err = d.Tx(f.ctx, func(tx *db.Tx) error {
			inv, link, err := f.s.InviteTx(f.ctx, tx, admin.Actor("r"), "one@example.org", access.Alumnus)
			if err != nil || link == "" {
				return err
			}
			invs, err = f.s.InviteManyTx(f.ctx, tx, admin.Actor("r"), []string{"two@example.org", "Three@Example.org"}, access.Alumnus)
			invs = append(invs, inv)
			return err
		})
		if err != nil || len(invs) != 3 || invs[1].Email != "three@example.org" {
			t.Fatalf("committed: %v %+v", err, invs)
		}
		if count(`SELECT COUNT(*) FROM invitations`) != 3 || count(`SELECT COUNT(*) FROM mail_outbox WHERE to_address = 'three@example.org'`) != 1 {
			t.Error("invitations or emails missing")
		}
		// The invitation made in bulk works like any other.
		var body string
		if err := d.QueryRow(f.ctx, `SELECT body_text FROM mail_outbox WHERE to_address = 'two@example.org'`).Scan(&body); err != nil {
			t.Fatal(err)
		}
		m := inviteTxLink.FindStringSubmatch(body)
		if m == nil {
			t.Fatalf("no link in %q", body)
		}
		if _, err := f.s.AcceptInvitation(f.ctx, m[1], "Two", "People", goodPassword, "r"); err != nil {
			t.Errorf("accept a bulk invitation: %v", err)
		}
		// Rules: a registered email, a bad one, a role the actor may not give.
		coach := f.user(access.Coach, "coach@example.org", "Casey", "Lee")
		err = d.Tx(f.ctx, func(tx *db.Tx) error {
			_, err := f.s.InviteManyTx(f.ctx, tx, admin.Actor("r"), []string{"new@example.org", "coach@example.org"}, access.Alumnus)
			return err
		})
		var fe *FieldError
		if !errors.As(err, &fe) || fe.Field != "email" {
			t.Errorf("registered email: %v", err)
		}
		err = d.Tx(f.ctx, func(tx *db.Tx) error {
			_, err := f.s.InviteManyTx(f.ctx, tx, admin.Actor("r"), []string{"not an email"}, access.Alumnus)
			return err
		})
		if !errors.As(err, &fe) || fe.Field != "email" {
			t.Errorf("bad email: %v", err)
		}
		err = d.Tx(f.ctx, func(tx *db.Tx) error {
			_, err := f.s.InviteManyTx(f.ctx, tx, coach.Actor("r"), []string{"x@example.org"}, access.Admin)
			return err
		})
		if !errors.Is(err, access.ErrNotFound) {
			t.Errorf("coach invites an admin: %v", err)
		}
	})
}

var inviteTxLink = regexp.MustCompile(`/invite/([A-Za-z0-9_-]+)`)
