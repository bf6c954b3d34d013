package demo

import (
	"context"
	"testing"
	"time"

	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/members"
	"github.com/cairn-recovery/cairn/internal/testkit"
)

func TestSeedRecovery(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		p, err := Seed(ctx, d, newService(d), "driftwood-demo-1")
		if err != nil {
			t.Fatal(err)
		}
		today := members.Today(p.Location(), time.Now())
		first := members.Date{Year: today.Year, Month: today.Month, Day: 1}
		last := first.AddMonths(1).AddDays(-1)
		rows, err := d.Query(ctx, `SELECT start_date FROM recovery_periods WHERE program_id = ? AND end_date IS NULL`, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		current, thisMonth := 0, 0
		for rows.Next() {
			var s members.Date
			if err := rows.Scan(&s); err != nil {
				t.Fatal(err)
			}
			current++
			if s.After(today) {
				t.Errorf("a start in the future: %s", s)
			}
			if len(members.DefaultSchedule.Between(s, first, last)) > 0 {
				thisMonth++
			}
		}
		rows.Close()
		var closed int
		if err := d.QueryRow(ctx, `SELECT COUNT(*) FROM recovery_periods WHERE program_id = ? AND end_date IS NOT NULL`, p.ID).Scan(&closed); err != nil {
			t.Fatal(err)
		}
		if current != 41 || closed < 5 || thisMonth < 10 {
			t.Errorf("current %d, closed %d, with a milestone this month %d", current, closed, thisMonth)
		}
		if _, err := Seed(ctx, d, newService(d), "driftwood-demo-1"); err != nil {
			t.Fatal(err)
		}
		var again int
		if err := d.QueryRow(ctx, `SELECT COUNT(*) FROM recovery_periods WHERE program_id = ?`, p.ID).Scan(&again); err != nil || again != current+closed {
			t.Errorf("second seed: %d periods, want %d (%v)", again, current+closed, err)
		}
	})
}
