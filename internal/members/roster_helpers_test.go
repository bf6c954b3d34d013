package members

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/auth"
	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/programs"
)

const testPassword = "blue lanterns at dusk"

// rosterNow is the tests' clock: 9 March 2026, afternoon in Chicago.
var rosterNow = time.Date(2026, 3, 9, 20, 0, 0, 0, time.UTC)

type rosterFixture struct {
	ctx   context.Context
	d     *db.DB
	auth  *auth.Service
	prog  *programs.Program
	admin *auth.User
	coach *auth.User
}

func newRosterFixture(t testing.TB, d *db.DB) *rosterFixture {
	t.Helper()
	ctx := context.Background()
	prog, err := programs.Create(ctx, d, programs.Settings{Name: "Harbor Light Alumni", TimeZone: "America/Chicago"})
	if err != nil {
		t.Fatalf("create program: %v", err)
	}
	s := auth.New(d, auth.Options{SecretKey: []byte("0123456789abcdef0123456789abcdef"), BaseURL: "http://cairn.test",
		Now: func() time.Time { return rosterNow }, Argon: auth.CheapArgon2ParamsForTests()})
	f := &rosterFixture{ctx: ctx, d: d, auth: s, prog: prog}
	f.admin = f.user(t, prog.ID, access.Admin, "admin@harbor.test")
	f.coach = f.user(t, prog.ID, access.Coach, "casey@harbor.test")
	return f
}

func (f *rosterFixture) user(t testing.TB, programID string, role access.Role, email string) *auth.User {
	t.Helper()
	u, err := f.auth.CreateUser(f.ctx, access.System(programID), auth.NewUser{ProgramID: programID, Email: email,
		FirstName: "Test", LastName: "Person", Role: role, Password: testPassword})
	if err != nil {
		t.Fatalf("create %s: %v", email, err)
	}
	return u
}

func (f *rosterFixture) actor() access.Actor { return f.admin.Actor("req") }

func (f *rosterFixture) count(t testing.TB, query string, args ...any) int {
	t.Helper()
	var n int
	if err := f.d.QueryRow(f.ctx, query, args...).Scan(&n); err != nil {
		t.Fatalf("count: %v", err)
	}
	return n
}

// rosterCSV builds a roster file of n people (comma-separated).
func rosterCSV(n int, coach string) []byte {
	var b strings.Builder
	b.WriteString("first_name,last_name,email,phone,discharge_date,recovery_date,coach_email\n")
	for i := range n {
		fmt.Fprintf(&b, "Person%d,Lastname,person%05d@example.org,+1 312 555 %04d,2026-01-%02d,2025-12-%02d,%s\n",
			i, i, i%10000, i%28+1, i%28+1, coach)
	}
	return []byte(b.String())
}

// newRosterFixtureProgram creates a second program.
func newRosterFixtureProgram(t testing.TB, f *rosterFixture, name string) string {
	t.Helper()
	p, err := programs.Create(f.ctx, f.d, programs.Settings{Name: name, TimeZone: "Europe/Paris"})
	if err != nil {
		t.Fatalf("create program: %v", err)
	}
	return p.ID
}
