package members

import (
	"regexp"
	"testing"

	"github.com/cairn-recovery/cairn/internal/auth"
	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/testkit"
)

var rosterInviteLink = regexp.MustCompile(`/invite/([A-Za-z0-9_-]+)`)

func TestApplyRosterEntryAfterAcceptance(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		f := newRosterFixture(t, d)
		data := "first_name,last_name,email,recovery_date,coach_email\nAna,Lopez,ana@example.org,2025-12-01,casey@harbor.test\n"
		if _, err := ImportRoster(f.ctx, d, f.auth, f.actor(), []byte(data), rosterNow); err != nil {
			t.Fatal(err)
		}
		var body string
		if err := d.QueryRow(f.ctx, `SELECT body_text FROM mail_outbox WHERE to_address = 'ana@example.org'`).Scan(&body); err != nil {
			t.Fatal(err)
		}
		m := rosterInviteLink.FindStringSubmatch(body)
		if m == nil {
			t.Fatal("no invitation link in the email")
		}
		u, err := f.auth.AcceptInvitation(f.ctx, m[1], "Ana", "Lopez", testPassword, "req")
		if err != nil {
			t.Fatal(err)
		}
		// Through the registered acceptance hook, then once more directly:
		// applying twice changes nothing the second time.
		if err := d.Tx(f.ctx, func(tx *db.Tx) error { return auth.RunAcceptHooks(f.ctx, tx, u.ID) }); err != nil {
			t.Fatal(err)
		}
		if err := d.Tx(f.ctx, func(tx *db.Tx) error { return ApplyRosterEntry(f.ctx, tx, u.ID) }); err != nil {
			t.Fatal(err)
		}
		if n := f.count(t, `SELECT COUNT(*) FROM coach_assignments WHERE member_id = ? AND coach_id = ?`, u.ID, f.coach.ID); n != 1 {
			t.Errorf("coach assignments = %d", n)
		}
		if n := f.count(t, `SELECT COUNT(*) FROM recovery_periods WHERE user_id = ? AND start_date = '2025-12-01' AND end_date IS NULL`, u.ID); n != 1 {
			t.Errorf("recovery periods = %d", n)
		}
		if n := f.count(t, `SELECT COUNT(*) FROM roster_entries WHERE applied_at IS NOT NULL`); n != 1 {
			t.Errorf("applied entries = %d", n)
		}
		// Someone who was not imported: nothing to do.
		if err := d.Tx(f.ctx, func(tx *db.Tx) error { return ApplyRosterEntry(f.ctx, tx, f.coach.ID) }); err != nil {
			t.Error(err)
		}
	})
}
