package members

import (
	"errors"
	"testing"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/audit"
	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/notify"
	"github.com/cairn-recovery/cairn/internal/testkit"
)

func TestDeletionRequestConfirmed(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		f := newRosterFixture(t, d)
		al := f.user(t, f.prog.ID, access.Alumnus, "al@harbor.test")
		err := d.Tx(f.ctx, func(tx *db.Tx) error {
			if _, err := notify.Send(f.ctx, tx, al.ID, notify.KindMessage, notify.Data{Title: "Hello"}); err != nil {
				return err
			}
			if err := AssignCoach(f.ctx, tx, f.prog.ID, al.ID, f.coach.ID); err != nil {
				return err
			}
			return SetRecoveryDateTx(f.ctx, tx, al.Actor("r"), al.ID, MustDate("2025-06-01"), "")
		})
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := f.auth.SignIn(f.ctx, "al@harbor.test", testPassword, "192.0.2.1", "ua", "r"); err != nil {
			t.Fatal(err)
		}

		// Staff cannot ask; the alumnus can, twice gives the same request.
		if _, err := RequestDeletion(f.ctx, d, f.coach.Actor("r"), rosterNow); !errors.Is(err, access.ErrNotFound) {
			t.Errorf("coach request: %v", err)
		}
		req, err := RequestDeletion(f.ctx, d, al.Actor("r"), rosterNow)
		if err != nil {
			t.Fatal(err)
		}
		again, err := RequestDeletion(f.ctx, d, al.Actor("r"), rosterNow)
		if err != nil || again.ID != req.ID {
			t.Errorf("second request: %v, %v", again, err)
		}
		coord := f.user(t, f.prog.ID, access.Coordinator, "coord@harbor.test")
		list, err := ListDeletionRequests(f.ctx, d, coord.Actor("r"))
		if err != nil || len(list) != 1 || list[0].UserID != al.ID || list[0].Name != "Test P." {
			t.Errorf("pending list = %+v, %v", list, err)
		}
		if _, err := ListDeletionRequests(f.ctx, d, f.coach.Actor("r")); !errors.Is(err, access.ErrNotFound) {
			t.Errorf("coach list: %v", err)
		}
		// Only an admin of the program confirms.
		if err := ConfirmDeletion(f.ctx, d, coord.Actor("r"), req.ID, rosterNow); !errors.Is(err, access.ErrNotFound) {
			t.Errorf("coordinator confirm: %v", err)
		}
		otherProg := newRosterFixtureProgram(t, f, "Elsewhere")
		outsider := f.user(t, otherProg, access.Admin, "admin@elsewhere.test")
		if err := ConfirmDeletion(f.ctx, d, outsider.Actor("r"), req.ID, rosterNow); !errors.Is(err, db.ErrNotFound) {
			t.Errorf("other program's admin confirm: %v", err)
		}
		if err := ConfirmDeletion(f.ctx, d, f.actor(), req.ID, rosterNow); err != nil {
			t.Fatal(err)
		}
		if err := ConfirmDeletion(f.ctx, d, f.actor(), req.ID, rosterNow); !errors.Is(err, db.ErrNotFound) {
			t.Errorf("confirm twice: %v", err)
		}

		var email, first, last string
		var disabled bool
		if err := d.QueryRow(f.ctx, `SELECT email, first_name, last_name, disabled_at IS NOT NULL FROM users WHERE id = ?`, al.ID).
			Scan(&email, &first, &last, &disabled); err != nil {
			t.Fatal(err)
		}
		if email != "deleted-"+al.ID+"@invalid" || first != FormerMemberName || last != "" || !disabled {
			t.Errorf("account after deletion: %q %q %q disabled=%v", email, first, last, disabled)
		}
		for _, q := range []string{
			`SELECT COUNT(*) FROM notifications WHERE user_id = ?`,
			`SELECT COUNT(*) FROM sessions WHERE user_id = ?`,
			`SELECT COUNT(*) FROM recovery_periods WHERE user_id = ?`,
			`SELECT COUNT(*) FROM coach_assignments WHERE member_id = ?`,
		} {
			if n := f.count(t, q, al.ID); n != 0 {
				t.Errorf("%s: %d left", q, n)
			}
		}
		if _, _, err := f.auth.SignIn(f.ctx, "al@harbor.test", testPassword, "192.0.2.1", "ua", "r"); err == nil {
			t.Error("the deleted account still signs in")
		}
		entries, err := audit.List(f.ctx, d, f.actor(), audit.Filter{SubjectID: al.ID})
		if err != nil {
			t.Fatal(err)
		}
		seen := map[string]bool{}
		for _, e := range entries {
			seen[e.Action] = true
		}
		if !seen["account.delete"] || !seen["account.deletion_request"] || !seen["recovery.set"] {
			t.Errorf("audit entries after deletion: %v", seen)
		}
		if list, _ := ListDeletionRequests(f.ctx, d, coord.Actor("r")); len(list) != 0 {
			t.Errorf("still pending: %+v", list)
		}
	})
}
