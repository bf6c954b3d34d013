package events

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/members"
	"github.com/cairn-recovery/cairn/internal/programs"
	"github.com/cairn-recovery/cairn/internal/testkit"
)

// coreWorld is a program in America/Chicago with a coordinator, a coach,
// two alumni and a family member, and a second program with an alumnus.
type coreWorld struct {
	ctx                                   context.Context
	d                                     *db.DB
	prog, other                           string
	loc                                   *time.Location
	coord, coach, alex, bo, family, alien access.Actor
}

// coreNow is the tests' "now": Monday 30 November 2026, 9:00 in Chicago.
var coreNow = time.Date(2026, 11, 30, 15, 0, 0, 0, time.UTC)

// setCoreClock fixes the events clock at t for the test.
func setCoreClock(t *testing.T, at time.Time) {
	t.Helper()
	old := now
	now = func() time.Time { return at }
	t.Cleanup(func() { now = old })
}

func coreUser(t *testing.T, ctx context.Context, d *db.DB, programID string, role access.Role, first string) access.Actor {
	t.Helper()
	id := uuid.Must(uuid.NewV7()).String()
	ts := time.Now().UTC()
	if _, err := d.Exec(ctx, `INSERT INTO users (id, program_id, email, first_name, last_name, role, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, id, programID, strings.ToLower(first)+"-"+id[len(id)-8:]+"@example.test",
		first, "Tester", string(role), ts, ts); err != nil {
		t.Fatalf("add user: %v", err)
	}
	return access.Actor{UserID: id, ProgramID: programID, Role: role}
}

func newCoreWorld(t *testing.T, d *db.DB, zone string) *coreWorld {
	t.Helper()
	setCoreClock(t, coreNow)
	ctx := context.Background()
	p1, err := programs.Create(ctx, d, programs.Settings{Name: "Harbor Light", TimeZone: zone})
	if err != nil {
		t.Fatal(err)
	}
	p2, err := programs.Create(ctx, d, programs.Settings{Name: "Other Shore", TimeZone: "Europe/Berlin"})
	if err != nil {
		t.Fatal(err)
	}
	loc, _ := time.LoadLocation(zone)
	w := &coreWorld{ctx: ctx, d: d, prog: p1.ID, other: p2.ID, loc: loc}
	w.coord = coreUser(t, ctx, d, p1.ID, access.Coordinator, "Cora")
	w.coach = coreUser(t, ctx, d, p1.ID, access.Coach, "Cass")
	w.alex = coreUser(t, ctx, d, p1.ID, access.Alumnus, "Alex")
	w.bo = coreUser(t, ctx, d, p1.ID, access.Alumnus, "Bo")
	w.family = coreUser(t, ctx, d, p1.ID, access.Family, "Fran")
	w.alien = coreUser(t, ctx, d, p2.ID, access.Alumnus, "Ola")
	return w
}

// weekly is the Tuesday alumni meeting from 1 December 2026.
func weekly() Input {
	return Input{Kind: WeeklyMeeting, Title: "Tuesday Alumni Meeting", Start: "2026-12-01T18:30", DurationMinutes: 90,
		RRule: "FREQ=WEEKLY;BYDAY=TU", Capacity: 40, Audience: Alumni, LocationName: "Harbor Hall", Address: "1 Main St"}
}

func (w *coreWorld) create(t *testing.T, in Input) *Event {
	t.Helper()
	e, err := Create(w.ctx, w.d, w.coord, in)
	if err != nil {
		t.Fatalf("create %q: %v", in.Title, err)
	}
	return e
}

func (w *coreWorld) count(t *testing.T, query string, args ...any) int {
	t.Helper()
	var n int
	if err := w.d.QueryRow(w.ctx, query, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// rsvp stores an RSVP row directly, as the RSVP code would.
func (w *coreWorld) rsvp(t *testing.T, a access.Actor, eventID, occ, status, state string, people int) {
	t.Helper()
	ts := time.Now().UTC()
	if _, err := w.d.Exec(w.ctx, `INSERT INTO event_rsvps (id, event_id, occurrence, program_id, user_id, status, state, adults,
		children, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, uuid.Must(uuid.NewV7()).String(),
		eventID, occ, w.prog, a.UserID, status, state, people, 0, ts, ts); err != nil {
		t.Fatalf("rsvp: %v", err)
	}
	if state == "confirmed" {
		if _, err := w.d.Exec(w.ctx, `UPDATE event_occurrences SET confirmed_people = confirmed_people + ?
			WHERE event_id = ? AND occurrence = ?`, people, eventID, occ); err != nil {
			t.Fatal(err)
		}
	}
}

// notices counts the event notices a person got.
func (w *coreWorld) notices(t *testing.T, a access.Actor) int {
	t.Helper()
	return w.count(t, `SELECT COUNT(*) FROM notifications WHERE user_id = ? AND kind = 'event_reminder'`, a.UserID)
}

func TestCreateGetAndMaterialize(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		w := newCoreWorld(t, d, "America/Chicago")
		e := w.create(t, weekly())
		if e.FirstDate != members.MustDate("2026-12-01") || !e.LastDate.IsZero() || e.SeriesID != e.ID {
			t.Errorf("first %s last %s series %s", e.FirstDate, e.LastDate, e.SeriesID)
		}
		// Two years of Tuesdays are rows: 1 Dec 2026 to 1 Dec 2028.
		n := w.count(t, `SELECT COUNT(*) FROM event_occurrences WHERE event_id = ?`, e.ID)
		if n != 105 {
			t.Errorf("materialized %d occurrences, want 105", n)
		}
		mu, err := materializedUntil(w.ctx, d, e.ID)
		if err != nil || mu != members.MustDate("2028-12-01") {
			t.Errorf("materialized until %s (%v)", mu, err)
		}
		if got, err := Get(w.ctx, d, w.alex, e.ID); err != nil || got.Title != "Tuesday Alumni Meeting" || got.Capacity != 40 {
			t.Errorf("alumnus get: %+v %v", got, err)
		}
		for name, a := range map[string]access.Actor{"family": w.family, "alien": w.alien, "anonymous": {}} {
			if _, err := Get(w.ctx, d, a, e.ID); !errors.Is(err, db.ErrNotFound) {
				t.Errorf("%s get: %v, want not found", name, err)
			}
		}
		for name, a := range map[string]access.Actor{"alumnus": w.alex, "coach": w.coach, "family": w.family} {
			if _, err := Create(w.ctx, d, a, weekly()); !errors.Is(err, db.ErrNotFound) {
				t.Errorf("%s create: %v, want not found", name, err)
			}
		}
		_, o, err := GetOccurrence(w.ctx, d, w.alex, e.ID, "2026-12-08")
		if err != nil {
			t.Fatal(err)
		}
		if want := time.Date(2026, 12, 8, 18, 30, 0, 0, w.loc); !o.Start.Equal(want) || !o.End.Equal(want.Add(90*time.Minute)) {
			t.Errorf("occurrence %s–%s", o.Start, o.End)
		}
		if _, _, err := GetOccurrence(w.ctx, d, w.alex, e.ID, "2026-12-09"); !errors.Is(err, db.ErrNotFound) {
			t.Errorf("a Wednesday: %v, want not found", err)
		}
		// Beyond the horizon, on demand.
		if _, o, err := GetOccurrence(w.ctx, d, w.alex, e.ID, "2029-06-05"); err != nil || o.ID != "2029-06-05" {
			t.Errorf("beyond the horizon: %v", err)
		}
		if w.count(t, `SELECT COUNT(*) FROM audit_log WHERE action = 'events.create' AND subject_id = ?`, e.ID) != 1 {
			t.Error("create not audited")
		}
	})
}
