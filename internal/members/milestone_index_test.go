package members

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/testkit"
)

// TestUpcomingAgreesWithBetween: for random start dates and random
// windows (past and future, from one day to a year), the staff list holds
// exactly the milestones Schedule.Between gives, and it follows a reset of
// a recovery date and a change of the program's schedule at once.
func TestUpcomingAgreesWithBetween(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		ctx := context.Background()
		rng := rand.New(rand.NewPCG(4, 25))
		base := MustDate("2025-06-15")
		starts := map[string]Date{}
		var ids []string
		err := d.Tx(ctx, func(tx *db.Tx) error {
			for i := range 300 {
				id := fmt.Sprintf("agree-%03d", i)
				s := base.AddDays(-rng.IntN(6*365) + 30)
				starts[id] = s
				ids = append(ids, id)
				if _, err := tx.Exec(ctx, `INSERT INTO users (id, program_id, email, first_name, last_name, role, created_at, updated_at)
					SELECT ?, program_id, ?, 'F', ?, 'alumnus', created_at, updated_at FROM users WHERE id = ?`, id, id+"@example.test", id, w.alex.UserID); err != nil {
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
		coord := access.Actor{UserID: w.staff.UserID, ProgramID: w.prog, Role: access.Coordinator}
		check := func(s Schedule, from, to Date) {
			t.Helper()
			var want []string
			for _, id := range ids {
				for _, ms := range s.Between(starts[id], from, to) {
					want = append(want, fmt.Sprintf("%s %s %s", id, ms.Date, ms.Label))
				}
			}
			list, err := upcoming(ctx, d, coord, from, to)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, u := range list {
				got = append(got, fmt.Sprintf("%s %s %s", u.MemberID, u.Milestone.Date, u.Milestone.Label))
			}
			slices.Sort(want)
			slices.Sort(got)
			if !slices.Equal(got, want) {
				t.Fatalf("window %s–%s: got %d milestones, want %d\ngot  %v\nwant %v", from, to, len(got), len(want), got, want)
			}
		}
		for range 30 {
			from := base.AddDays(rng.IntN(6*365) - 4*365)
			check(DefaultSchedule, from, from.AddDays(rng.IntN(maxWindow)))
		}
		from, to := base.AddDays(-10), base.AddDays(20)
		check(DefaultSchedule, from, to)

		// A reset after a lapse: the member's 30 days now fall in the window.
		id := ids[slices.IndexFunc(ids, func(id string) bool { return starts[id].Before(base.AddDays(-400)) })]
		member := access.Actor{UserID: id, ProgramID: w.prog, Role: access.Alumnus}
		clock = func() time.Time { return base.AddDays(15).In(time.UTC) }
		defer func() { clock = time.Now }()
		starts[id] = base.AddDays(-25)
		if err := SetRecoveryDate(ctx, d, member, id, starts[id], ""); err != nil {
			t.Fatal(err)
		}
		check(DefaultSchedule, from, to)

		// A new schedule applies to the next list.
		sched := Schedule{{"2 weeks", Days, 14}, {"100 days", Days, 100}, {"5 months", Months, 5}, {"2 years", Years, 2}}
		if err := SaveSchedule(ctx, d, w.staff, w.prog, sched); err != nil {
			t.Fatal(err)
		}
		check(sched, from, to)
		for range 10 {
			from := base.AddDays(rng.IntN(6*365) - 4*365)
			check(sched, from, from.AddDays(rng.IntN(60)))
		}
	})
}
