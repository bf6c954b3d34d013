package crisis

import (
	"sync"
	"testing"
	"time"

	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/testkit"
)

// TestFlagRaceNotifiesOnce: many writes by one member, flagged at the
// same moment in concurrent transactions, tell the coach exactly once;
// every flag is still recorded. On PostgreSQL the transactions run side by
// side (SQLite has one writer, so there they queue).
func TestFlagRaceNotifiesOnce(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		now := time.Date(2026, 3, 2, 3, 0, 0, 0, time.UTC)
		setClock(t, &now)
		const writers = 12
		atOnce(t, writers, func() error {
			return d.Tx(w.ctx, func(tx *db.Tx) error {
				_, err := Check(w.ctx, tx, w.alex, "I want to kill myself", Source{Kind: "message", ID: "m-1"})
				return err
			})
		})
		if n := w.count(t, `SELECT COUNT(*) FROM crisis_flags WHERE user_id = ?`, w.alex.UserID); n != writers {
			t.Errorf("flags = %d, want %d", n, writers)
		}
		if n := w.count(t, `SELECT COUNT(*) FROM notifications WHERE user_id = ?`, w.coach.UserID); n != 1 {
			t.Errorf("coach notifications = %d, want exactly 1", n)
		}
		if n := w.count(t, `SELECT COUNT(*) FROM crisis_flags WHERE user_id = ? AND notified = TRUE`, w.alex.UserID); n != 1 {
			t.Errorf("flags marked notified = %d, want 1", n)
		}
		// Thirty-one minutes later the next flag tells the coach again.
		now = now.Add(31 * time.Minute)
		w.check(t, w.alex, "I want to die")
		if n := w.count(t, `SELECT COUNT(*) FROM notifications WHERE user_id = ?`, w.coach.UserID); n != 2 {
			t.Errorf("coach notifications = %d, want 2 after 30 minutes", n)
		}
	})
}

// TestReachOutRaceNotifiesOnce: a member who presses "Reach out to my
// coach now" twice at once (a double tap, two tabs) tells the coach once;
// both presses are answered without an error.
func TestReachOutRaceNotifiesOnce(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		now := time.Date(2026, 3, 2, 3, 0, 0, 0, time.UTC)
		setClock(t, &now)
		atOnce(t, 8, func() error {
			_, err := ReachOut(w.ctx, d, w.alex)
			return err
		})
		if n := w.count(t, `SELECT COUNT(*) FROM notifications WHERE user_id = ?`, w.coach.UserID); n != 1 {
			t.Errorf("coach notifications = %d, want exactly 1", n)
		}
	})
}

// atOnce runs fn n times side by side, started together, and fails t on
// any error.
func atOnce(t *testing.T, n int, fn func() error) {
	t.Helper()
	var wg sync.WaitGroup
	start := make(chan struct{})
	errs := make(chan error, n)
	for range n {
		wg.Go(func() {
			<-start
			errs <- fn()
		})
	}
	close(start)
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
}
