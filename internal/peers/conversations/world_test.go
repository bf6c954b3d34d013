package conversations

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/programs"
)

// world is two programs and the people of the tests.
type world struct {
	ctx                                      context.Context
	d                                        *db.DB
	prog, other                              string
	alex, coach, peer, bo, staff, family     access.Actor
	stranger, admin, alien, disabled, other2 access.Actor
}

func addUser(t *testing.T, ctx context.Context, d *db.DB, programID string, role access.Role, first, last string) access.Actor {
	t.Helper()
	id := uuid.Must(uuid.NewV7()).String()
	now := time.Now().UTC()
	if _, err := d.Exec(ctx, `INSERT INTO users (id, program_id, email, first_name, last_name, role, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, id, programID, strings.ToLower(first)+"-"+id[len(id)-8:]+"@example.test",
		first, last, string(role), now, now); err != nil {
		t.Fatalf("add user: %v", err)
	}
	return access.Actor{UserID: id, ProgramID: programID, Role: role}
}

func newWorld(t *testing.T, d *db.DB) *world {
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
	w := &world{ctx: ctx, d: d, prog: p1.ID, other: p2.ID}
	w.alex = addUser(t, ctx, d, p1.ID, access.Alumnus, "Alex", "Rivera")
	w.coach = addUser(t, ctx, d, p1.ID, access.Coach, "Casey", "Moreno")
	w.peer = addUser(t, ctx, d, p1.ID, access.Alumnus, "Pat", "Quinn")
	w.bo = addUser(t, ctx, d, p1.ID, access.Alumnus, "Bo", "Lind")
	w.staff = addUser(t, ctx, d, p1.ID, access.Coordinator, "Sam", "Ortiz")
	w.admin = addUser(t, ctx, d, p1.ID, access.Admin, "Ada", "Min")
	w.family = addUser(t, ctx, d, p1.ID, access.Family, "Fran", "Rivera")
	w.stranger = addUser(t, ctx, d, p1.ID, access.Alumnus, "Sol", "Vance")
	w.disabled = addUser(t, ctx, d, p1.ID, access.Alumnus, "Dee", "Gone")
	w.alien = addUser(t, ctx, d, p2.ID, access.Alumnus, "Ola", "Nord")
	w.other2 = addUser(t, ctx, d, p2.ID, access.Coordinator, "Oto", "Berg")
	now := time.Now().UTC()
	if _, err := d.Exec(ctx, `UPDATE users SET disabled_at = ? WHERE id = ?`, now, w.disabled.UserID); err != nil {
		t.Fatal(err)
	}
	if _, err := d.Exec(ctx, `INSERT INTO family_links (id, program_id, alumnus_id, family_id, email, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
		uuid.NewString(), p1.ID, w.alex.UserID, w.family.UserID, "fran@example.test", now); err != nil {
		t.Fatal(err)
	}
	return w
}

// block records that blocker blocked blocked.
func (w *world) block(t *testing.T, blocker, blocked access.Actor) {
	t.Helper()
	if _, err := w.d.Exec(w.ctx, `INSERT INTO blocks (blocker_id, blocked_id, program_id, created_at) VALUES (?, ?, ?, ?)`,
		blocker.UserID, blocked.UserID, blocker.ProgramID, time.Now().UTC()); err != nil {
		t.Fatal(err)
	}
}

// start starts a conversation of a with others, failing the test on error.
func (w *world) start(t *testing.T, a access.Actor, title string, others ...access.Actor) *Conversation {
	t.Helper()
	in := NewConversation{Title: title}
	for _, o := range others {
		in.MemberIDs = append(in.MemberIDs, o.UserID)
	}
	c, _, err := Start(w.ctx, w.d, a, in)
	if err != nil {
		t.Fatalf("start: %v", err)
	}
	return c
}

// send sends body as a into conversation id, failing the test on error.
func (w *world) send(t *testing.T, a access.Actor, id, body string) *Message {
	t.Helper()
	m, _, err := Send(w.ctx, w.d, a, id, body)
	if err != nil {
		t.Fatalf("send: %v", err)
	}
	return m
}

// count runs a COUNT query.
func (w *world) count(t *testing.T, query string, args ...any) int {
	t.Helper()
	var n int
	if err := w.d.QueryRow(w.ctx, query, args...).Scan(&n); err != nil {
		t.Fatalf("count: %v", err)
	}
	return n
}

// fakeClock sets the package clock (and notify's) to a moving fake time.
func fakeClock(t *testing.T, start time.Time) *time.Time {
	t.Helper()
	now := start
	old := clock
	clock = func() time.Time { return now }
	t.Cleanup(func() { clock = old })
	return &now
}
