package events

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/members"
	"github.com/cairn-recovery/cairn/internal/programs"
)

// rsWorld is a program in America/Chicago with a coordinator, a coach,
// alumni (Alex Rivera, Bo Lind, Pat Quinn), a family member, and an
// alumnus of another program, for the RSVP and attendance tests.
type rsWorld struct {
	ctx                                           context.Context
	d                                             *db.DB
	prog, other                                   string
	loc                                           *time.Location
	coord, coach, alex, bo, pat, family, stranger access.Actor
}

// rsNow is the RSVP tests' "now": Tuesday 1 December 2026, 12:00 in
// Chicago.
var rsNow = time.Date(2026, 12, 1, 18, 0, 0, 0, time.UTC)

// rsClock fixes the events clock at at for the rest of the test.
func rsClock(t *testing.T, at time.Time) {
	t.Helper()
	old := now
	now = func() time.Time { return at }
	t.Cleanup(func() { now = old })
}

// rsTickingClock makes the events clock start at at and move on by a
// microsecond on every reading, so that stored times show the order in
// which transactions ran.
func rsTickingClock(t *testing.T, at time.Time) {
	t.Helper()
	old := now
	var n atomic.Int64
	now = func() time.Time { return at.Add(time.Duration(n.Add(1)) * time.Microsecond) }
	t.Cleanup(func() { now = old })
}

func rsUser(t testing.TB, ctx context.Context, q db.Querier, programID string, role access.Role, first, last string) access.Actor {
	t.Helper()
	id := uuid.Must(uuid.NewV7()).String()
	ts := time.Now().UTC()
	if _, err := q.Exec(ctx, `INSERT INTO users (id, program_id, email, first_name, last_name, role, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, id, programID, strings.ToLower(first)+"-"+id[len(id)-8:]+"@example.test",
		first, last, string(role), ts, ts); err != nil {
		t.Fatalf("add user: %v", err)
	}
	return access.Actor{UserID: id, ProgramID: programID, Role: role}
}

func rsNewWorld(t testing.TB, d *db.DB) *rsWorld {
	t.Helper()
	ctx := context.Background()
	p1, err := programs.Create(ctx, d, programs.Settings{Name: "Harbor Light", TimeZone: "America/Chicago"})
	if err != nil {
		t.Fatal(err)
	}
	p2, err := programs.Create(ctx, d, programs.Settings{Name: "Other Shore", TimeZone: "Europe/Berlin"})
	if err != nil {
		t.Fatal(err)
	}
	loc, _ := time.LoadLocation("America/Chicago")
	w := &rsWorld{ctx: ctx, d: d, prog: p1.ID, other: p2.ID, loc: loc}
	w.coord = rsUser(t, ctx, d, p1.ID, access.Coordinator, "Cora", "Diaz")
	w.coach = rsUser(t, ctx, d, p1.ID, access.Coach, "Cass", "Moreno")
	w.alex = rsUser(t, ctx, d, p1.ID, access.Alumnus, "Alex", "Rivera")
	w.bo = rsUser(t, ctx, d, p1.ID, access.Alumnus, "Bo", "Lind")
	w.pat = rsUser(t, ctx, d, p1.ID, access.Alumnus, "Pat", "Quinn")
	w.family = rsUser(t, ctx, d, p1.ID, access.Family, "Fran", "Rivera")
	w.stranger = rsUser(t, ctx, d, p2.ID, access.Alumnus, "Ola", "Nord")
	return w
}

// rsDinner is a one-off family dinner on Saturday 5 December 2026 at
// 17:30 for alumni and family, with capacity people.
func rsDinner(capacity int) Input {
	return Input{Kind: FamilyDinner, Title: "December Family Dinner", Start: "2026-12-05T17:30", DurationMinutes: 120,
		Capacity: capacity, Audience: AlumniFamily, LocationName: "Harbor Hall"}
}

// event creates in as the coordinator and returns it with its first
// occurrence.
func (w *rsWorld) event(t testing.TB, in Input) (*Event, *Occurrence) {
	t.Helper()
	e, err := Create(w.ctx, w.d, w.coord, in)
	if err != nil {
		t.Fatalf("create event: %v", err)
	}
	o, err := loadOccurrence(w.ctx, w.d, e.ID, e.FirstDate.String())
	if err != nil {
		t.Fatalf("first occurrence: %v", err)
	}
	return e, o
}

// rsvp answers for a as status with a party of adults and children.
func (w *rsWorld) rsvp(t testing.TB, a access.Actor, e *Event, o *Occurrence, status string, adults, children int) *RSVP {
	t.Helper()
	r, err := SetRSVP(w.ctx, w.d, a, e.ID, o.ID, RSVPInput{Status: status, Adults: adults, Children: children})
	if err != nil {
		t.Fatalf("rsvp %s %d+%d: %v", status, adults, children, err)
	}
	return r
}

// state is a's stored RSVP at o, or nil.
func (w *rsWorld) state(t testing.TB, a access.Actor, e *Event, o *Occurrence) *RSVP {
	t.Helper()
	r, err := MyRSVP(w.ctx, w.d, a, e.ID, o.ID)
	if err != nil {
		t.Fatalf("my rsvp: %v", err)
	}
	return r
}

// confirmedPeople is the occurrence's stored count.
func (w *rsWorld) confirmedPeople(t testing.TB, e *Event, o *Occurrence) int {
	t.Helper()
	var n int
	if err := w.d.QueryRow(w.ctx, `SELECT confirmed_people FROM event_occurrences WHERE event_id = ? AND occurrence = ?`,
		e.ID, o.ID).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// auditActions counts the audit entries about e by action.
func (w *rsWorld) auditActions(t testing.TB, e *Event) map[string]int {
	t.Helper()
	rows, err := w.d.Query(w.ctx, `SELECT action FROM audit_log WHERE subject_type = 'event' AND subject_id = ?`, e.ID)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var a string
		if err := rows.Scan(&a); err != nil {
			t.Fatal(err)
		}
		out[a]++
	}
	return out
}

// notices returns the titles and links of a person's notifications.
func (w *rsWorld) notices(t testing.TB, userID string) []string {
	t.Helper()
	rows, err := w.d.Query(w.ctx, `SELECT title, link FROM notifications WHERE user_id = ? ORDER BY created_at`, userID)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var title, link string
		if err := rows.Scan(&title, &link); err != nil {
			t.Fatal(err)
		}
		out = append(out, title+" "+link)
	}
	return out
}

// wantField checks that err is a validation error on field whose message
// contains text.
func wantField(t testing.TB, err error, field, text string) {
	t.Helper()
	var v members.ValidationError
	if !errors.As(err, &v) {
		t.Fatalf("got %v, want a validation error on %s", err, field)
	}
	msg := v.For(field)
	if msg == "" || !strings.Contains(msg, text) {
		t.Fatalf("got %v, want %s: …%s…", err, field, text)
	}
}

func wantNotFound(t testing.TB, err error, what string) {
	t.Helper()
	if !errors.Is(err, db.ErrNotFound) {
		t.Fatalf("%s: got %v, want not found", what, err)
	}
}

// rsName is the n-th test person's first name.
func rsName(n int) string { return fmt.Sprintf("Member%03d", n) }
