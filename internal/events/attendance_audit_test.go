package events

import (
	"testing"

	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/testkit"
)

// TestAttendanceHistoryAudit: a staff member's read of someone else's
// attendance history is audited, in a transaction of its own or in the
// caller's; a member reading their own is not.
func TestAttendanceHistoryAudit(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		rsClock(t, rsNow)
		w := rsNewWorld(t, d)
		e, o := w.event(t, Input{Kind: WeeklyMeeting, Title: "Tuesday Alumni Meeting", Start: "2026-12-01T18:30",
			DurationMinutes: 90, RRule: "FREQ=WEEKLY;BYDAY=TU", Audience: Alumni})
		if _, err := CheckIn(w.ctx, d, w.coach, e.ID, o.ID, w.alex.UserID); err != nil {
			t.Fatal(err)
		}
		reads := func() (n int) {
			t.Helper()
			if err := d.QueryRow(w.ctx, `SELECT COUNT(*) FROM audit_log WHERE action = 'events.attendance_history' AND subject_id = ?`,
				w.alex.UserID).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		if hist, err := AttendanceHistory(w.ctx, d, w.alex, w.alex.UserID, 5); err != nil || len(hist) != 1 {
			t.Fatalf("own history: %+v %v", hist, err)
		}
		if n := reads(); n != 0 {
			t.Fatalf("a member's own read was audited %d times", n)
		}
		if hist, err := AttendanceHistory(w.ctx, d, w.coach, w.alex.UserID, 5); err != nil || len(hist) != 1 {
			t.Fatalf("coach's read: %+v %v", hist, err)
		}
		if n := reads(); n != 1 {
			t.Fatalf("the coach's read: %d audit entries, want 1", n)
		}
		err := d.Tx(w.ctx, func(tx *db.Tx) error {
			_, err := AttendanceHistory(w.ctx, tx, w.coord, w.alex.UserID, 5)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if n := reads(); n != 2 {
			t.Fatalf("a read inside a transaction: %d audit entries, want 2", n)
		}
		var actor string
		if err := d.QueryRow(w.ctx, `SELECT actor_id FROM audit_log WHERE action = 'events.attendance_history' ORDER BY seq DESC LIMIT 1`).Scan(&actor); err != nil || actor != w.coord.UserID {
			t.Errorf("last read by %q, %v", actor, err)
		}
		// Refused reads are not recorded as reads.
		_, err = AttendanceHistory(w.ctx, d, w.bo, w.alex.UserID, 5)
		wantNotFound(t, err, "a peer's history")
		if n := reads(); n != 2 {
			t.Fatalf("a refused read was audited: %d", n)
		}
	})
}
