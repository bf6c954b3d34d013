package events

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/programs"
	"github.com/cairn-recovery/cairn/internal/testkit"
)

// dnClock stops the events clock at at for the rest of the test.
func dnClock(t *testing.T, at time.Time) {
	t.Helper()
	old := now
	now = func() time.Time { return at }
	t.Cleanup(func() { now = old })
}

// dnRSVP answers for a as a member.
func (w *dnWorld) rsvp(t *testing.T, a access.Actor, e *Event, occ, status string) *RSVP {
	t.Helper()
	r, err := SetRSVP(w.ctx, w.d, a, e.ID, occ, RSVPInput{Status: status, Adults: 1})
	if err != nil {
		t.Fatalf("rsvp %s: %v", status, err)
	}
	return r
}

// sentOffsets lists the reminder offsets (minutes) recorded for a person.
func (w *dnWorld) sentOffsets(t *testing.T, userID string) []int {
	t.Helper()
	rows, err := w.d.Query(w.ctx, `SELECT offset_minutes FROM event_reminders_sent WHERE user_id = ? ORDER BY offset_minutes DESC`, userID)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []int
	for rows.Next() {
		var n int
		if err := rows.Scan(&n); err != nil {
			t.Fatal(err)
		}
		out = append(out, n)
	}
	return out
}

// TestSendReminders: the 24-hour and 2-hour reminders go once each to
// confirmed and maybe RSVPs, never to declined or waitlisted ones nor for
// a cancelled occurrence; the online link only to confirmed people; an
// RSVP made an hour before gets only the 2-hour reminder; runs repeated
// send nothing again.
func TestSendReminders(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		w := newDnWorld(t, d)
		start := time.Date(2027, 3, 2, 18, 30, 0, 0, w.loc)
		dnClock(t, start.Add(-30*time.Hour))
		e := w.create(t, Input{Kind: FamilyDinner, Title: "Family Dinner", LocationName: "Harbor Hall", Address: "1 Main St",
			OnlineURL: "https://meet.example.org/dinner", Start: "2027-03-02T18:30", DurationMinutes: 90, Capacity: 1, Audience: AlumniFamily})
		other := w.create(t, Input{Kind: Activity, Title: "Hike", Start: "2027-03-02T18:30", DurationMinutes: 90, Audience: Alumni})
		occ := "2027-03-02"
		ana := w.user(t, access.Alumnus, "Ana", "Yes")
		ben := w.user(t, access.Alumnus, "Ben", "Maybe")
		cal := w.user(t, access.Alumnus, "Cal", "No")
		dee := w.user(t, access.Alumnus, "Dee", "Waitlist")
		fay := w.user(t, access.Alumnus, "Fay", "Late")
		w.rsvp(t, ana, e, occ, "yes")
		w.rsvp(t, ben, e, occ, "maybe")
		w.rsvp(t, cal, e, occ, "no")
		if r := w.rsvp(t, dee, e, occ, "yes"); r.State != "waitlisted" {
			t.Fatalf("Dee's state = %s, want waitlisted", r.State)
		}
		w.rsvp(t, ana, other, occ, "yes")
		if err := CancelOccurrence(w.ctx, d, w.coord, other.ID, occ, ""); err != nil {
			t.Fatal(err)
		}

		// Nothing is due 30 hours before.
		if n, err := SendReminders(w.ctx, d); err != nil || n != 0 {
			t.Fatalf("30 hours before: sent %d (%v), want 0", n, err)
		}
		dnClock(t, start.Add(-23*time.Hour))
		if n, err := SendReminders(w.ctx, d); err != nil || n != 2 {
			t.Fatalf("23 hours before: sent %d (%v), want 2", n, err)
		}
		if n, err := SendReminders(w.ctx, d); err != nil || n != 0 {
			t.Fatalf("second run: sent %d (%v), want 0", n, err)
		}
		link := "/events/" + e.ID + "/" + occ
		got := w.notes(t, ana.UserID, link)
		if len(got) != 1 || got[0].Title != "Reminder: Family Dinner at Tue Mar 2, 6:30 PM" ||
			!strings.Contains(got[0].Body, "Harbor Hall, 1 Main St") || !strings.Contains(got[0].Body, "https://meet.example.org/dinner") {
			t.Errorf("Ana's reminder = %+v", got)
		}
		got = w.notes(t, ben.UserID, link)
		if len(got) != 1 || strings.Contains(got[0].Body, "meet.example.org") {
			t.Errorf("Ben's reminder (maybe, no online link) = %+v", got)
		}
		for _, a := range []access.Actor{cal, dee} {
			if n := len(w.notes(t, a.UserID, "/events/")); n != 0 {
				t.Errorf("%s got %d reminders, want none", a.UserID, n)
			}
		}

		// Fay answers an hour before: she gets the 2-hour reminder only.
		dnClock(t, start.Add(-61*time.Minute))
		w.rsvp(t, fay, e, occ, "maybe")
		dnClock(t, start.Add(-60*time.Minute))
		if n, err := SendReminders(w.ctx, d); err != nil || n != 3 {
			t.Fatalf("an hour before: sent %d (%v), want 3 (Ana, Ben, Fay)", n, err)
		}
		dnClock(t, start.Add(-50*time.Minute))
		if n, err := SendReminders(w.ctx, d); err != nil || n != 0 {
			t.Fatalf("later run: sent %d (%v), want 0", n, err)
		}
		if got := w.sentOffsets(t, ana.UserID); len(got) != 2 || got[0] != 1440 || got[1] != 120 {
			t.Errorf("Ana's reminders = %v, want [1440 120]", got)
		}
		if got := w.sentOffsets(t, fay.UserID); len(got) != 1 || got[0] != 120 {
			t.Errorf("Fay's reminders = %v, want [120]", got)
		}
		if n := len(w.notes(t, ana.UserID, "/events/"+other.ID)); n != 1 {
			// The one notice is the cancellation itself, not a reminder.
			t.Errorf("Ana got %d notices about the cancelled hike, want only the cancellation", n)
		}
		// After the start, nothing more.
		dnClock(t, start.Add(time.Minute))
		if n, err := SendReminders(w.ctx, d); err != nil || n != 0 {
			t.Fatalf("after the start: sent %d (%v), want 0", n, err)
		}
	})
}

// TestSendRemindersProgramOffsets: a program's own offsets are used.
func TestSendRemindersProgramOffsets(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		w := newDnWorld(t, d)
		start := time.Date(2027, 3, 2, 18, 30, 0, 0, w.loc)
		dnClock(t, start.Add(-5*time.Hour))
		if err := SaveSettings(w.ctx, d, w.coord, w.prog.ID, Settings{ReminderOffsets: []time.Duration{3 * time.Hour}}); err != nil {
			t.Fatal(err)
		}
		e := w.create(t, Input{Kind: WeeklyMeeting, Title: "Meeting", Start: "2027-03-02T18:30", DurationMinutes: 60, Audience: Alumni})
		ana := w.user(t, access.Alumnus, "Ana", "Yes")
		w.rsvp(t, ana, e, "2027-03-02", "yes")
		if n, err := SendReminders(w.ctx, d); err != nil || n != 0 {
			t.Fatalf("5 hours before: sent %d (%v), want 0", n, err)
		}
		dnClock(t, start.Add(-150*time.Minute))
		if n, err := SendReminders(w.ctx, d); err != nil || n != 1 {
			t.Fatalf("2.5 hours before: sent %d (%v), want 1", n, err)
		}
		if got := w.sentOffsets(t, ana.UserID); len(got) != 1 || got[0] != 180 {
			t.Errorf("reminders = %v, want [180]", got)
		}
	})
}

// BenchmarkSendReminders measures the reminders job on SQLite with 1,000
// RSVPs to 20 occurrences starting within the day: the first run sends
// their 24-hour reminders (reported as sent/op on the first iteration
// only); every later run is the job's steady cost, finding nothing due.
func BenchmarkSendReminders(b *testing.B) {
	d := testkit.SQLite(b)
	ctx := context.Background()
	p, err := programs.Create(ctx, d, programs.Settings{Name: "Bench", TimeZone: "America/Chicago"})
	if err != nil {
		b.Fatal(err)
	}
	w := &dnWorld{ctx: ctx, d: d, prog: p, loc: p.Location()}
	coord := w.user(b, access.Coordinator, "Sam", "Ortiz")
	base := time.Date(2027, 3, 2, 18, 30, 0, 0, w.loc)
	old := now
	now = func() time.Time { return base.Add(-30 * time.Hour) }
	defer func() { now = old }()
	var people []access.Actor
	for i := range 50 {
		people = append(people, w.user(b, access.Alumnus, fmt.Sprintf("Member%02d", i), "Bench"))
	}
	var rows [][]any
	at := time.Now().UTC()
	for i := range 20 {
		e, err := Create(ctx, d, coord, Input{Kind: Activity, Title: fmt.Sprintf("Activity %d", i),
			Start: base.Add(time.Duration(i) * 30 * time.Minute).Format("2006-01-02T15:04"), DurationMinutes: 60, Audience: Alumni})
		if err != nil {
			b.Fatal(err)
		}
		for _, a := range people {
			rows = append(rows, []any{uuid.Must(uuid.NewV7()).String(), e.ID, e.FirstDate.String(), p.ID, a.UserID, "yes", "confirmed", 1, 0, at, at})
		}
	}
	err = d.Tx(ctx, func(tx *db.Tx) error {
		for len(rows) > 0 {
			n := min(len(rows), 200)
			if err := tx.InsertRows(ctx, `INSERT INTO event_rsvps (id, event_id, occurrence, program_id, user_id, status, state, adults, children, created_at, updated_at) VALUES `, rows[:n]); err != nil {
				return err
			}
			rows = rows[n:]
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	now = func() time.Time { return base.Add(-14 * time.Hour) }
	start := time.Now()
	sent, err := SendReminders(ctx, d)
	if err != nil || sent != 1000 {
		b.Fatalf("first run sent %d, %v", sent, err)
	}
	b.Logf("first run: %d reminders in %v", sent, time.Since(start))
	b.ResetTimer()
	for b.Loop() {
		if n, err := SendReminders(ctx, d); err != nil || n != 0 {
			b.Fatalf("steady run sent %d, %v", n, err)
		}
	}
}
