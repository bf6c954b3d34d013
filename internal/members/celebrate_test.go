package members

import (
	"testing"
	"time"

	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/testkit"
)

// TestCelebrateMilestones: on the day of a milestone the member is
// congratulated, and their coach too when the member chose it (their buddy
// not, as they did not); a second run celebrates nothing again.
func TestCelebrateMilestones(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		chicago, _ := time.LoadLocation("America/Chicago")
		today := Today(chicago, clock())
		start := today.AddDays(-30) // 30 days today
		if err := SetRecoveryDate(w.ctx, d, w.alex, w.alex.UserID, start, ""); err != nil {
			t.Fatal(err)
		}
		if err := SaveRecoverySettings(w.ctx, d, w.alex, RecoverySettings{CelebrateCoach: true}); err != nil {
			t.Fatal(err)
		}
		// The buddy has a date with no milestone today.
		if err := SetRecoveryDate(w.ctx, d, w.buddy, w.buddy.UserID, today.AddDays(-45), ""); err != nil {
			t.Fatal(err)
		}
		count := func(userID string) int {
			var n int
			if err := d.QueryRow(w.ctx, `SELECT COUNT(*) FROM notifications WHERE user_id = ? AND kind = 'milestone'`, userID).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		n, err := CelebrateMilestones(w.ctx, d)
		if err != nil || n != 1 {
			t.Fatalf("first run celebrated %d (%v), want 1", n, err)
		}
		if count(w.alex.UserID) != 1 || count(w.coach.UserID) != 1 || count(w.buddy.UserID) != 0 {
			t.Errorf("notifications: alex %d, coach %d, buddy %d; want 1, 1, 0",
				count(w.alex.UserID), count(w.coach.UserID), count(w.buddy.UserID))
		}
		n, err = CelebrateMilestones(w.ctx, d)
		if err != nil || n != 0 {
			t.Fatalf("second run celebrated %d (%v), want 0", n, err)
		}
		if count(w.alex.UserID) != 1 || count(w.coach.UserID) != 1 {
			t.Error("a milestone was celebrated twice")
		}
	})
}
