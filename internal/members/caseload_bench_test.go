package members

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/programs"
	"github.com/cairn-recovery/cairn/internal/testkit"
)

// BenchmarkCaseload reads a coach's caseload of 150 alumni (half of them
// as secondary coach), each with a recovery date and RSVPs to 5 upcoming
// events, in a program of 2,000 alumni who all RSVP'd too, with table
// statistics gathered. The read takes a fixed number of queries however
// big the caseload is.
func BenchmarkCaseload(b *testing.B) {
	for _, eng := range []struct {
		name string
		open func(testing.TB) *db.DB
	}{{"sqlite", testkit.SQLite}, {"postgres", testkit.Postgres}} {
		b.Run(eng.name, func(b *testing.B) {
			d := eng.open(b)
			coach := seedCaseloadBench(b, d, 2000, 150, 5)
			ctx := context.Background()
			b.ResetTimer()
			for b.Loop() {
				list, err := Caseload(ctx, d, coach, CaseloadFilter{})
				if err != nil || len(list) != 150 {
					b.Fatalf("%d, %v", len(list), err)
				}
			}
		})
	}
}

// seedCaseloadBench writes a program of alumni, a coach with caseload of
// them (every other one as secondary), and events everyone RSVP'd to.
func seedCaseloadBench(b *testing.B, d *db.DB, alumni, caseload, evs int) access.Actor {
	b.Helper()
	ctx := context.Background()
	p, err := programs.Create(ctx, d, programs.Settings{Name: "Bench", TimeZone: "America/Chicago"})
	if err != nil {
		b.Fatal(err)
	}
	now := time.Now().UTC()
	coach := access.Actor{UserID: uuid.Must(uuid.NewV7()).String(), ProgramID: p.ID, Role: access.Coach}
	other := uuid.Must(uuid.NewV7()).String()
	err = d.Tx(ctx, func(tx *db.Tx) error {
		for _, id := range []string{coach.UserID, other} {
			if _, err := tx.Exec(ctx, `INSERT INTO users (id, program_id, email, first_name, last_name, role, created_at, updated_at)
				VALUES (?, ?, ?, 'Coach', 'Bench', 'coach', ?, ?)`, id, p.ID, id+"@example.test", now, now); err != nil {
				return err
			}
		}
		var eventIDs []string
		for i := range evs {
			id, start := fmt.Sprintf("ev-%d", i), now.Add(time.Duration(i+1)*24*time.Hour)
			day := start.Format("2006-01-02")
			if _, err := tx.Exec(ctx, `INSERT INTO events (id, program_id, series_id, kind, title, starts_local, duration_minutes,
				first_date, materialized_until, audience, created_at, updated_at) VALUES (?, ?, ?, 'activity', ?, '18:00', 60, ?, ?, 'alumni', ?, ?)`,
				id, p.ID, id, "Event "+id, day, day, now, now); err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, `INSERT INTO event_occurrences (event_id, occurrence, program_id, starts_at, ends_at, cancelled)
				VALUES (?, ?, ?, ?, ?, FALSE)`, id, day, p.ID, start, start.Add(time.Hour)); err != nil {
				return err
			}
			eventIDs = append(eventIDs, id+"|"+day)
		}
		for i := range alumni {
			id := uuid.Must(uuid.NewV7()).String()
			if _, err := tx.Exec(ctx, `INSERT INTO users (id, program_id, email, first_name, last_name, role, created_at, updated_at)
				VALUES (?, ?, ?, ?, 'Member', 'alumnus', ?, ?)`, id, p.ID, id+"@example.test", fmt.Sprintf("First%d", i), now, now); err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, `INSERT INTO recovery_periods (id, program_id, user_id, start_date, created_at) VALUES (?, ?, ?, ?, ?)`,
				uuid.Must(uuid.NewV7()).String(), p.ID, id, Today(time.UTC, now).AddDays(-i).String(), now); err != nil {
				return err
			}
			for j, ev := range eventIDs {
				eid, day := ev[:len(ev)-11], ev[len(ev)-10:]
				if _, err := tx.Exec(ctx, `INSERT INTO event_rsvps (id, event_id, occurrence, program_id, user_id, status, state, created_at, updated_at)
					VALUES (?, ?, ?, ?, ?, 'yes', 'confirmed', ?, ?)`, fmt.Sprintf("r-%d-%d", i, j), eid, day, p.ID, id, now, now); err != nil {
					return err
				}
			}
			if i < caseload {
				coachID, role := coach.UserID, PrimaryCoach
				if i%2 == 1 {
					role = SecondaryCoach
					if _, err := tx.Exec(ctx, `INSERT INTO coach_assignments (member_id, coach_id, program_id, role) VALUES (?, ?, ?, 'primary')`,
						id, other, p.ID); err != nil {
						return err
					}
				}
				if _, err := tx.Exec(ctx, `INSERT INTO coach_assignments (member_id, coach_id, program_id, role) VALUES (?, ?, ?, ?)`,
					id, coachID, p.ID, role); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	// Statistics as a live database has them (PostgreSQL's autovacuum).
	if _, err := d.Exec(ctx, `ANALYZE`); err != nil {
		b.Fatal(err)
	}
	return coach
}
