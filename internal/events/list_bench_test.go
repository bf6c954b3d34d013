package events

import (
	"context"
	"fmt"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/programs"
	"github.com/cairn-recovery/cairn/internal/testkit"
)

// benchEvents is the size of the program in BenchmarkListEventsPage.
const benchEvents = 10000

// seedListBench stores benchEvents weekly events (a quarter for each
// audience) with 3 months of occurrences each, and an RSVP of the viewer
// on every 20th occurrence, directly in the tables. It returns the viewer.
func seedListBench(b *testing.B, d *db.DB) (access.Actor, time.Time) {
	b.Helper()
	ctx := context.Background()
	p, err := programs.Create(ctx, d, programs.Settings{Name: "Bench", TimeZone: "America/Chicago"})
	if err != nil {
		b.Fatal(err)
	}
	loc, _ := time.LoadLocation("America/Chicago")
	viewer := coreUser(&testing.T{}, ctx, d, p.ID, access.Alumnus, "Viewer")
	start := time.Date(2027, 1, 4, 0, 0, 0, 0, loc)
	ts := time.Now().UTC()
	auds := []Audience{Alumni, AlumniFamily, StaffOnly, Public}
	err = d.Tx(ctx, func(tx *db.Tx) error {
		var evs, occs, rsvps [][]any
		flush := func() error {
			if err := tx.InsertRows(ctx, `INSERT INTO events (id, program_id, series_id, kind, title, starts_local, duration_minutes,
				rrule, first_date, materialized_until, audience, created_at, updated_at) VALUES `, evs); err != nil {
				return err
			}
			if err := tx.InsertRows(ctx, `INSERT INTO event_occurrences (event_id, occurrence, program_id, starts_at, ends_at)
				VALUES `, occs); err != nil {
				return err
			}
			if err := tx.InsertRows(ctx, `INSERT INTO event_rsvps (id, event_id, occurrence, program_id, user_id, status, state,
				created_at, updated_at) VALUES `, rsvps); err != nil {
				return err
			}
			evs, occs, rsvps = nil, nil, nil
			return nil
		}
		n := 0
		for i := range benchEvents {
			id := fmt.Sprintf("bench-%05d", i)
			first := start.AddDate(0, 0, i%7).Add(time.Duration(8+i%12) * time.Hour)
			lt := LocalTimeOf(first, loc)
			evs = append(evs, []any{id, p.ID, id, string(Activity), fmt.Sprintf("Event %d", i), lt.String(), 60,
				"FREQ=WEEKLY", lt.Date, lt.Date.AddMonths(3), string(auds[i%4]), ts, ts})
			for w := range 13 {
				s := first.AddDate(0, 0, 7*w)
				occ := LocalTimeOf(s, loc).Date.String()
				occs = append(occs, []any{id, occ, p.ID, s, s.Add(time.Hour)})
				if n++; n%20 == 0 && auds[i%4] != StaffOnly {
					rsvps = append(rsvps, []any{fmt.Sprintf("r-%d", n), id, occ, p.ID, viewer.UserID, "yes", "confirmed", ts, ts})
				}
			}
			if len(evs) == 40 {
				if err := flush(); err != nil {
					return err
				}
			}
		}
		return flush()
	})
	if err != nil {
		b.Fatal(err)
	}
	return viewer, start
}

// BenchmarkListEventsPage lists the next 50 occurrences of a member's
// events page in a program of 10,000 weekly events (3 months of
// occurrences, 130,000 rows), 64 lists at a time (b.SetParallelism); it
// reports the 99th percentile besides the time per list.
func BenchmarkListEventsPage(b *testing.B) {
	for _, eng := range []struct {
		name string
		open func(testing.TB) *db.DB
	}{{"sqlite", testkit.SQLite}, {"postgres", testkit.Postgres}} {
		b.Run(eng.name, func(b *testing.B) {
			d := eng.open(b)
			viewer, start := seedListBench(b, d)
			old := now
			now = func() time.Time { return start }
			b.Cleanup(func() { now = old })
			from, to := start.AddDate(0, 0, 20), start.AddDate(0, 3, 0)
			if got, err := List(context.Background(), d, viewer, from, to, 50); err != nil || len(got) != 50 {
				b.Fatalf("list: %d (%v)", len(got), err)
			}
			// One list at a time first: the cost of one list without waiting
			// for a connection.
			serial := make([]time.Duration, 0, 200)
			for range 200 {
				t0 := time.Now()
				if _, err := List(context.Background(), d, viewer, from, to, 50); err != nil {
					b.Fatal(err)
				}
				serial = append(serial, time.Since(t0))
			}
			sort.Slice(serial, func(i, j int) bool { return serial[i] < serial[j] })
			var mu sync.Mutex
			var times []time.Duration
			b.SetParallelism(32) // 64 concurrent lists on two cores
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				ctx := context.Background()
				var local []time.Duration
				for pb.Next() {
					t0 := time.Now()
					if _, err := List(ctx, d, viewer, from, to, 50); err != nil {
						b.Error(err)
						return
					}
					local = append(local, time.Since(t0))
				}
				mu.Lock()
				times = append(times, local...)
				mu.Unlock()
			})
			b.StopTimer()
			b.ReportMetric(float64(serial[100].Nanoseconds()), "serial-p50-ns")
			b.ReportMetric(float64(serial[197].Nanoseconds()), "serial-p99-ns")
			if len(times) > 0 {
				sort.Slice(times, func(i, j int) bool { return times[i] < times[j] })
				b.ReportMetric(float64(times[(len(times)*99)/100].Nanoseconds()), "p99-ns")
			}
		})
	}
}
