package mydata

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

// testNow is when requests and confirmations happen in these tests.
var testNow = time.Date(2026, 3, 9, 20, 0, 0, 0, time.UTC)

// world is a program with a few alumni and staff.
type world struct {
	ctx                                     context.Context
	d                                       *db.DB
	prog                                    string
	alex, pat, bo, dee, coach, coord, admin access.Actor
	emails                                  map[string]string
}

func newWorld(t *testing.T, d *db.DB) *world {
	t.Helper()
	ctx := context.Background()
	p, err := programs.Create(ctx, d, programs.Settings{Name: "Harbor Light", TimeZone: "America/Chicago"})
	if err != nil {
		t.Fatal(err)
	}
	w := &world{ctx: ctx, d: d, prog: p.ID, emails: map[string]string{}}
	w.alex = w.user(t, access.Alumnus, "Alex")
	w.pat = w.user(t, access.Alumnus, "Pat")
	w.bo = w.user(t, access.Alumnus, "Bo")
	w.dee = w.user(t, access.Alumnus, "Dee")
	w.coach = w.user(t, access.Coach, "Casey")
	w.coord = w.user(t, access.Coordinator, "Sam")
	w.admin = w.user(t, access.Admin, "Ada")
	return w
}

func (w *world) user(t *testing.T, role access.Role, first string) access.Actor {
	t.Helper()
	id := uuid.Must(uuid.NewV7()).String()
	email := strings.ToLower(first) + "-" + id[len(id)-8:] + "@example.test"
	now := time.Now().UTC()
	if _, err := w.d.Exec(w.ctx, `INSERT INTO users (id, program_id, email, first_name, last_name, role, created_at, updated_at)
		VALUES (?, ?, ?, ?, 'Tester', ?, ?, ?)`, id, w.prog, email, first, string(role), now, now); err != nil {
		t.Fatalf("add user: %v", err)
	}
	w.emails[id] = email
	return access.Actor{UserID: id, ProgramID: w.prog, Role: role}
}

func (w *world) exec(t *testing.T, q string, args ...any) {
	t.Helper()
	if _, err := w.d.Exec(w.ctx, q, args...); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}

func (w *world) count(t *testing.T, q string, args ...any) int {
	t.Helper()
	var n int
	if err := w.d.QueryRow(w.ctx, q, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}
