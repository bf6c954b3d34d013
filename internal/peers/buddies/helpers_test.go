package buddies

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/members"
	"github.com/cairn-recovery/cairn/internal/programs"
)

// world is a program with a coordinator, a coach, a family member and an
// alumnus of another program; alumni are added per test.
type world struct {
	t                      testing.TB
	ctx                    context.Context
	d                      *db.DB
	prog, other            string
	coord, coach, fam, out access.Actor
}

func newWorld(t testing.TB, d *db.DB) *world {
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
	w := &world{t: t, ctx: ctx, d: d, prog: p1.ID, other: p2.ID}
	w.coord = w.user(p1.ID, access.Coordinator, "Sam", "Ortiz")
	w.coach = w.user(p1.ID, access.Coach, "Casey", "Moreno")
	w.fam = w.user(p1.ID, access.Family, "Fran", "Rivera")
	w.out = w.user(p2.ID, access.Alumnus, "Ola", "Nord")
	return w
}

func (w *world) user(programID string, role access.Role, first, last string) access.Actor {
	w.t.Helper()
	id := uuid.Must(uuid.NewV7()).String()
	now := time.Now().UTC()
	if _, err := w.d.Exec(w.ctx, `INSERT INTO users (id, program_id, email, first_name, last_name, role, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, id, programID, strings.ToLower(first)+"-"+id[len(id)-8:]+"@example.test",
		first, last, string(role), now, now); err != nil {
		w.t.Fatalf("add user: %v", err)
	}
	return access.Actor{UserID: id, ProgramID: programID, Role: role}
}

// alum adds an alumnus of the program, in recovery for days (none when
// days < 0), with the given interests.
func (w *world) alum(first string, days int, interests ...string) access.Actor {
	w.t.Helper()
	a := w.user(w.prog, access.Alumnus, first, "Lee")
	now := time.Now().UTC()
	if days >= 0 {
		start := members.Today(time.UTC, time.Now()).AddDays(-days)
		if _, err := w.d.Exec(w.ctx, `INSERT INTO recovery_periods (id, program_id, user_id, start_date, end_date, note, created_at, created_by)
			VALUES (?, ?, ?, ?, NULL, '', ?, ?)`, uuid.Must(uuid.NewV7()).String(), w.prog, a.UserID, start.String(), now, a.UserID); err != nil {
			w.t.Fatal(err)
		}
	}
	if interests == nil {
		interests = []string{}
	}
	if _, err := w.d.Exec(w.ctx, `INSERT INTO profiles (user_id, program_id, city, languages, interests, pathways, contact_times, updated_at)
		VALUES (?, ?, 'Austin', '["English"]', ?, '[]', 'evenings', ?)`, a.UserID, w.prog, encodeList(interests), now); err != nil {
		w.t.Fatal(err)
	}
	return a
}

// offer makes a an active buddy offer for n people.
func (w *world) offer(a access.Actor, n int) *Offer {
	w.t.Helper()
	o, err := SaveOffer(w.ctx, w.d, a, OfferInput{Capacity: n, About: "I have been where you are.", Meeting: MeetEither})
	if err != nil {
		w.t.Fatalf("offer: %v", err)
	}
	return o
}

// ask opens a request for a.
func (w *world) ask(a access.Actor, in RequestInput) *Request {
	w.t.Helper()
	r, err := AskForBuddy(w.ctx, w.d, a, in)
	if err != nil {
		w.t.Fatalf("ask: %v", err)
	}
	return r
}

// run runs the matcher as the coordinator and maps requester -> buddy.
func (w *world) run() (*Run, map[string]string) {
	w.t.Helper()
	r, err := RunMatcher(w.ctx, w.d, w.coord)
	if err != nil {
		w.t.Fatalf("run: %v", err)
	}
	got := map[string]string{}
	for _, p := range r.Proposals {
		got[p.RequesterID] = p.BuddyID
	}
	return r, got
}

func (w *world) count(query string, args ...any) int {
	w.t.Helper()
	var n int
	if err := w.d.QueryRow(w.ctx, query, args...).Scan(&n); err != nil {
		w.t.Fatal(err)
	}
	return n
}

func (w *world) audited(action, actorID string) bool {
	return w.count(`SELECT COUNT(*) FROM audit_log WHERE action = ? AND actor_id = ?`, action, actorID) > 0
}

func (w *world) block(a, b access.Actor) {
	w.t.Helper()
	if _, err := w.d.Exec(w.ctx, `INSERT INTO blocks (blocker_id, blocked_id, program_id, created_at) VALUES (?, ?, ?, ?)`,
		a.UserID, b.UserID, w.prog, time.Now().UTC()); err != nil {
		w.t.Fatal(err)
	}
}
