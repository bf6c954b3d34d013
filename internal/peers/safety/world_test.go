package safety

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

// world is a program with one person of each role, and an alumnus of
// another program.
type world struct {
	ctx                                         context.Context
	d                                           *db.DB
	prog, other                                 string
	alex, pat, sam, coach, coord, admin, family access.Actor
	alien                                       access.Actor
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
	w.pat = addUser(t, ctx, d, p1.ID, access.Alumnus, "Pat", "Quinn")
	w.sam = addUser(t, ctx, d, p1.ID, access.Alumnus, "Sam", "Lee")
	w.coach = addUser(t, ctx, d, p1.ID, access.Coach, "Casey", "Moreno")
	w.coord = addUser(t, ctx, d, p1.ID, access.Coordinator, "Jo", "Ortiz")
	w.admin = addUser(t, ctx, d, p1.ID, access.Admin, "Ari", "Admin")
	w.family = addUser(t, ctx, d, p1.ID, access.Family, "Fran", "Rivera")
	w.alien = addUser(t, ctx, d, p2.ID, access.Alumnus, "Ola", "Nord")
	return w
}

// count runs a COUNT(*) query.
func (w *world) count(t *testing.T, query string, args ...any) int {
	t.Helper()
	var n int
	if err := w.d.QueryRow(w.ctx, query, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}
