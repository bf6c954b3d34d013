package events

import (
	"context"
	"fmt"
	"sort"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/testkit"
)

// BenchmarkRSVPThroughput measures RSVPs per second at 64 concurrent
// clients, in-process (no HTTP), against the single-row INSERT reference
// on the same database in the same run: "popular" sends every RSVP to one
// occurrence with 50 places (most are waitlisted), "spread" to 1,000
// different occurrences. Each RSVP is a new yes (1–3 adults, 0–2
// children) of a distinct member. Run with -benchtime 1x:
//
//	go test ./internal/events -run '^$' -bench RSVPThroughput -benchtime 1x
func BenchmarkRSVPThroughput(b *testing.B) {
	for _, engine := range []string{"sqlite", "postgres"} {
		b.Run(engine, func(b *testing.B) {
			var d *db.DB
			if engine == "sqlite" {
				d = testkit.SQLite(b)
			} else {
				d = testkit.Postgres(b)
			}
			benchRSVP(b, d)
		})
	}
}

const (
	benchClients = 64
	benchOps     = 3000
)

func benchRSVP(b *testing.B, d *db.DB) {
	ctx := context.Background()
	old := now
	now = func() time.Time { return rsNow }
	b.Cleanup(func() { now = old })
	w := rsNewWorld(b, d)
	users := make([]access.Actor, benchOps)
	if err := d.Tx(ctx, func(tx *db.Tx) error {
		for i := range users {
			users[i] = rsUser(b, ctx, tx, w.prog, access.Alumnus, rsName(i), "Bench")
		}
		return nil
	}); err != nil {
		b.Fatal(err)
	}
	if _, err := d.Exec(ctx, `CREATE TABLE bench_ref (id TEXT PRIMARY KEY, v INTEGER NOT NULL, at TIMESTAMPTZ NOT NULL)`); err != nil {
		b.Fatal(err)
	}
	popular, po := w.event(b, rsDinner(50))
	daily := Input{Kind: FamilyDinner, Title: "Daily dinner", Start: "2026-12-02T17:30", DurationMinutes: 60,
		RRule: "FREQ=DAILY", Capacity: 50, Audience: AlumniFamily}
	var spread []struct{ id, occ string }
	for len(spread) < 1000 {
		e, _ := w.event(b, daily)
		occs, err := Occurrences(ctx, d, w.coord, e.ID, rsNow, rsNow.AddDate(3, 0, 0))
		if err != nil {
			b.Fatal(err)
		}
		for _, o := range occs {
			if len(spread) < 1000 {
				spread = append(spread, struct{ id, occ string }{e.ID, o.ID})
			}
		}
	}
	party := func(i int) RSVPInput { return RSVPInput{Status: "yes", Adults: 1 + i%3, Children: (i / 3) % 3} }
	scenarios := []struct {
		name string
		op   func(i int) error
	}{
		{"insert_reference", func(i int) error {
			_, err := d.Exec(ctx, `INSERT INTO bench_ref (id, v, at) VALUES (?, ?, ?)`, uuid.Must(uuid.NewV7()).String(), i, time.Now())
			return err
		}},
		{"rsvp_popular", func(i int) error {
			_, err := SetRSVP(ctx, d, users[i], popular.ID, po.ID, party(i))
			return err
		}},
		{"rsvp_spread", func(i int) error {
			s := spread[i%len(spread)]
			_, err := SetRSVP(ctx, d, users[i], s.id, s.occ, party(i))
			return err
		}},
	}
	for _, s := range scenarios {
		b.Run(s.name, func(b *testing.B) {
			for n := 0; n < b.N; n++ {
				if n > 0 && s.name != "insert_reference" {
					b.Skip("one round per database: every RSVP needs a new member")
				}
				rate, p50, p99 := drive(b, s.op)
				b.ReportMetric(rate, "ops/s")
				b.ReportMetric(float64(p50.Microseconds())/1000, "p50_ms")
				b.ReportMetric(float64(p99.Microseconds())/1000, "p99_ms")
			}
		})
	}
}

// drive runs benchOps operations from benchClients goroutines and returns
// the rate and the latency percentiles.
func drive(b *testing.B, op func(i int) error) (float64, time.Duration, time.Duration) {
	var next atomic.Int64
	lat := make([]time.Duration, benchOps)
	var wg sync.WaitGroup
	var failed atomic.Value
	b.ResetTimer()
	start := time.Now()
	for c := 0; c < benchClients; c++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1)) - 1
				if i >= benchOps {
					return
				}
				t := time.Now()
				if err := op(i); err != nil {
					failed.Store(fmt.Sprint(err))
					return
				}
				lat[i] = time.Since(t)
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	b.StopTimer()
	if f := failed.Load(); f != nil {
		b.Fatal(f)
	}
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	return float64(benchOps) / elapsed.Seconds(), lat[benchOps/2], lat[benchOps*99/100]
}
