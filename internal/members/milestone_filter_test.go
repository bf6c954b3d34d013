package members

import (
	"context"
	"fmt"
	"testing"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/testkit"
)

// TestUpcomingFilterMissesNothing checks the SQL pre-filter of start
// dates against Between over every start date of four and a half years
// (and some long recoveries), for windows across the year's end, February
// of leap and common years, and month ends.
func TestUpcomingFilterMissesNothing(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		ctx := context.Background()
		sched := Schedule{{"1 day", Hours, 24}, {"45 days", Days, 45}, {"3 months", Months, 3}, {"1 year", Years, 1}, {"30 months", Months, 30}}
		if err := SaveSchedule(ctx, d, w.staff, w.prog, sched); err != nil {
			t.Fatal(err)
		}
		var starts []Date
		for k := 0; k < 1650; k++ {
			starts = append(starts, MustDate("2021-06-01").AddDays(k))
		}
		for k := 0; k < 40; k++ {
			starts = append(starts, MustDate("1990-02-20").AddDays(k*97))
		}
		err := d.Tx(ctx, func(tx *db.Tx) error {
			for i, s := range starts {
				id := fmt.Sprintf("filter-%05d", i)
				if _, err := tx.Exec(ctx, `INSERT INTO users (id, program_id, email, first_name, last_name, role, created_at, updated_at)
					SELECT ?, program_id, ?, 'F', 'L', 'alumnus', created_at, updated_at FROM users WHERE id = ?`, id, id+"@example.test", w.alex.UserID); err != nil {
					return err
				}
				if _, err := tx.Exec(ctx, `INSERT INTO profiles (user_id, program_id, vis_milestones, updated_at)
					SELECT ?, program_id, 'program', updated_at FROM users WHERE id = ?`, id, w.alex.UserID); err != nil {
					return err
				}
				if _, err := tx.Exec(ctx, `INSERT INTO recovery_periods (id, program_id, user_id, start_date, created_at)
					SELECT ?, program_id, ?, ?, created_at FROM users WHERE id = ?`, id, id, s.String(), w.alex.UserID); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		for _, win := range [][2]string{{"2024-12-20", "2025-01-19"}, {"2024-02-01", "2024-03-02"}, {"2025-02-01", "2025-03-03"},
			{"2025-08-25", "2025-09-24"}, {"2025-02-28", "2025-02-28"}, {"2024-02-29", "2024-02-29"}, {"2025-04-30", "2025-05-31"}} {
			from, to := MustDate(win[0]), MustDate(win[1])
			want := 0
			for _, s := range starts {
				if !s.After(to) {
					want += len(sched.Between(s, from, to))
				}
			}
			got, err := upcoming(ctx, d, access.Actor{UserID: w.staff.UserID, ProgramID: w.prog, Role: access.Coordinator}, from, to)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != want || want == 0 {
				t.Errorf("window %v: %d milestones, want %d", win, len(got), want)
			}
		}
	})
}
