package members

import (
	"testing"

	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/testkit"
)

// TestCurrentRecoveryStarts: one member's current date and the whole
// program's agree; a reset replaces the date, a member without one has
// none, and another program's members are not included.
func TestCurrentRecoveryStarts(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		today := chicagoToday(t)
		set := func(who string, date Date) {
			t.Helper()
			if err := SetRecoveryDate(w.ctx, d, w.alex, who, date, ""); err != nil {
				t.Fatal(err)
			}
		}
		set(w.alex.UserID, today.AddYears(-2))
		set(w.alex.UserID, today.AddDays(-30)) // a reset
		if err := SetRecoveryDate(w.ctx, d, w.alien, w.alien.UserID, today.AddDays(-9), ""); err != nil {
			t.Fatal(err)
		}
		start, ok, err := CurrentRecoveryStart(w.ctx, d, w.alex.UserID)
		if err != nil || !ok || start != today.AddDays(-30) {
			t.Fatalf("alex: %v %v %v", start, ok, err)
		}
		if _, ok, err := CurrentRecoveryStart(w.ctx, d, w.peer.UserID); err != nil || ok {
			t.Fatalf("a member without a date has one: %v %v", ok, err)
		}
		all, err := CurrentRecoveryStarts(w.ctx, d, w.prog)
		if err != nil {
			t.Fatal(err)
		}
		if len(all) != 1 || all[w.alex.UserID] != start {
			t.Fatalf("program dates %v, want only alex's %v", all, start)
		}
	})
}
