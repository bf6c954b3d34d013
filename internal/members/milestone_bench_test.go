package members

import (
	"context"
	"fmt"
	"sort"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/programs"
	"github.com/cairn-recovery/cairn/internal/testkit"
)

// benchMembers is the size of the program in BenchmarkUpcomingMilestones.
const benchMembers = 50_000

// seedBenchProgram creates a program of n alumni with recovery dates
// spread over 15 years (one in five with an earlier, closed period), a
// quarter sharing milestones with the program, a coach of 500 of them, and
// a coordinator; it returns the coordinator and the coach. All rows are
// written in one transaction.
func seedBenchProgram(tb testing.TB, d *db.DB, n int) (coord, coach access.Actor) {
	tb.Helper()
	ctx := context.Background()
	p, err := programs.Create(ctx, d, programs.Settings{Name: "Bench", TimeZone: "America/Chicago"})
	if err != nil {
		tb.Fatal(err)
	}
	now := time.Now().UTC()
	today := Today(p.Location(), now)
	newID := func() string { return uuid.Must(uuid.NewV7()).String() }
	addUser := func(tx *db.Tx, role access.Role, i int) string {
		id := newID()
		if _, err := tx.Exec(ctx, `INSERT INTO users (id, program_id, email, first_name, last_name, role, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, id, p.ID, fmt.Sprintf("%s%d@bench.test", role, i), fmt.Sprintf("First%d", i), "Last",
			string(role), now, now); err != nil {
			tb.Fatal(err)
		}
		return id
	}
	err = d.Tx(ctx, func(tx *db.Tx) error {
		coord = access.Actor{UserID: addUser(tx, access.Coordinator, 0), ProgramID: p.ID, Role: access.Coordinator}
		coach = access.Actor{UserID: addUser(tx, access.Coach, 0), ProgramID: p.ID, Role: access.Coach}
		for i := 0; i < n; i++ {
			id := addUser(tx, access.Alumnus, i)
			start := today.AddDays(-(i*7919)%(15*365) - 1)
			if i%5 == 0 {
				if _, err := tx.Exec(ctx, `INSERT INTO recovery_periods (id, program_id, user_id, start_date, end_date, created_at)
					VALUES (?, ?, ?, ?, ?, ?)`, newID(), p.ID, id, start.AddDays(-400).String(), start.AddDays(-1).String(), now); err != nil {
					return err
				}
			}
			if _, err := tx.Exec(ctx, `INSERT INTO recovery_periods (id, program_id, user_id, start_date, end_date, created_at)
				VALUES (?, ?, ?, ?, NULL, ?)`, newID(), p.ID, id, start.String(), now); err != nil {
				return err
			}
			vis := []string{"program", "coach", "buddy", "me"}[i%4]
			if _, err := tx.Exec(ctx, `INSERT INTO profiles (user_id, program_id, vis_milestones, updated_at) VALUES (?, ?, ?, ?)`,
				id, p.ID, vis, now); err != nil {
				return err
			}
			if i%100 == 0 {
				if _, err := tx.Exec(ctx, `INSERT INTO coach_assignments (member_id, coach_id, program_id) VALUES (?, ?, ?)`,
					id, coach.UserID, p.ID); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
	// Statistics, as autovacuum (PostgreSQL) and the optimizer (SQLite)
	// keep them in a running installation.
	if _, err := d.Exec(ctx, `ANALYZE`); err != nil {
		tb.Fatal(err)
	}
	return coord, coach
}

// BenchmarkUpcomingMilestones lists a 31-day window of milestones over
// 50,000 members, as a coordinator (the whole program to filter) would,
// including the audit entry of the read; it reports the 99th percentile.
func BenchmarkUpcomingMilestones(b *testing.B) {
	for _, eng := range []struct {
		name string
		open func(testing.TB) *db.DB
	}{{"sqlite", testkit.SQLite}, {"postgres", testkit.Postgres}} {
		b.Run(eng.name, func(b *testing.B) {
			d := eng.open(b)
			coord, _ := seedBenchProgram(b, d, benchMembers)
			ctx := context.Background()
			from := Today(time.UTC, time.Now())
			to := from.AddDays(30)
			times := make([]time.Duration, 0, b.N)
			count := 0
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				t0 := time.Now()
				list, err := UpcomingMilestones(ctx, d, coord, from, to)
				times = append(times, time.Since(t0))
				if err != nil {
					b.Fatal(err)
				}
				count = len(list)
			}
			b.StopTimer()
			sort.Slice(times, func(i, j int) bool { return times[i] < times[j] })
			b.ReportMetric(float64(times[(len(times)*99)/100].Nanoseconds()), "p99-ns")
			b.ReportMetric(float64(count), "listed")
		})
	}
}
