package programs_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/audit"
	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/programs"
	"github.com/cairn-recovery/cairn/internal/testkit"
)

func TestValidate(t *testing.T) {
	tests := []struct {
		s     programs.Settings
		field string
	}{
		{programs.Settings{Name: "", TimeZone: "America/Chicago"}, "name"},
		{programs.Settings{Name: "  ", TimeZone: "America/Chicago"}, "name"},
		{programs.Settings{Name: "A", TimeZone: ""}, "timezone"},
		{programs.Settings{Name: "A", TimeZone: "Mars/Olympus"}, "timezone"},
		{programs.Settings{Name: "A", TimeZone: "Local"}, "timezone"},
		{programs.Settings{Name: "A", TimeZone: "UTC", Phone: "call us"}, "phone"},
		{programs.Settings{Name: "A", TimeZone: "America/Chicago", Phone: "(512) 759-8330"}, ""},
	}
	for _, tt := range tests {
		err := tt.s.Validate()
		var fe *programs.FieldError
		switch {
		case tt.field == "" && err != nil:
			t.Errorf("%+v: unexpected error %v", tt.s, err)
		case tt.field != "" && (!errors.As(err, &fe) || fe.Field != tt.field):
			t.Errorf("%+v: got %v, want an error on %q", tt.s, err, tt.field)
		}
	}
}

func TestTelURI(t *testing.T) {
	for in, want := range map[string]string{
		"(512) 759-8330":   "tel:+15127598330",
		"+44 20 7946 0018": "tel:+442079460018",
		"988":              "tel:988",
	} {
		if got := programs.TelURI(in); got != want {
			t.Errorf("TelURI(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestCreateUpdateAndScope(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		p, err := programs.Create(ctx, d, programs.Settings{Name: "Driftwood", TimeZone: "America/Chicago", Phone: "(512) 759-8330"})
		if err != nil {
			t.Fatal(err)
		}
		other, err := programs.Create(ctx, d, programs.Settings{Name: "Elsewhere", TimeZone: "UTC"})
		if err != nil {
			t.Fatal(err)
		}
		if loc := p.Location(); loc.String() != "America/Chicago" {
			t.Errorf("location %v", loc)
		}
		admin := access.Actor{UserID: "u1", ProgramID: p.ID, Role: access.Admin}
		coord := access.Actor{UserID: "u2", ProgramID: p.ID, Role: access.Coordinator}
		foreign := access.Actor{UserID: "u3", ProgramID: other.ID, Role: access.Admin}
		next := programs.Settings{Name: "Driftwood Alumni", TimeZone: "America/Chicago", Description: "We stay connected."}
		for _, a := range []access.Actor{coord, foreign} {
			if _, err := programs.Update(ctx, d, a, p.ID, next); !errors.Is(err, access.ErrNotFound) {
				t.Errorf("%s of %s updated the program: %v", a.Role, a.ProgramID, err)
			}
		}
		bad := next
		bad.TimeZone = "Nowhere/Town"
		if _, err := programs.Update(ctx, d, admin, p.ID, bad); err == nil {
			t.Errorf("bad time zone accepted")
		}
		got, err := programs.Update(ctx, d, admin, p.ID, next)
		if err != nil {
			t.Fatal(err)
		}
		if got.Name != "Driftwood Alumni" || got.Description != "We stay connected." || got.Phone != "" {
			t.Errorf("after update: %+v", got)
		}
		// Create and the one good update are audited; the refused ones are not.
		var n int
		if err := d.QueryRow(ctx, `SELECT COUNT(*) FROM audit_log WHERE action = 'program.update' AND subject_id = ?`, p.ID).Scan(&n); err != nil || n != 1 {
			t.Errorf("program.update audit entries: %d (%v), want 1", n, err)
		}
		if _, err := audit.Verify(ctx, d); err != nil {
			t.Error(err)
		}
		list, err := programs.List(ctx, d)
		if err != nil || len(list) != 2 || list[0].ID != p.ID {
			t.Errorf("list: %v (%v), want the oldest first", list, err)
		}
		if _, err := programs.Get(ctx, d, "missing"); !errors.Is(err, db.ErrNotFound) {
			t.Errorf("missing program: %v", err)
		}
	})
}

func TestCache(t *testing.T) {
	d := testkit.SQLite(t)
	ctx := context.Background()
	c := programs.NewCache(d, time.Hour)
	if p, err := c.Default(ctx); err != nil || p != nil {
		t.Fatalf("empty installation: %v, %v", p, err)
	}
	p, err := programs.Create(ctx, d, programs.Settings{Name: "Driftwood", TimeZone: "UTC"})
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := c.Default(ctx); got != nil {
		t.Errorf("cached 'no program' was dropped before its time")
	}
	c.Forget()
	if got, _ := c.Default(ctx); got == nil || got.ID != p.ID {
		t.Errorf("after Forget: %v", got)
	}
	admin := access.Actor{UserID: "u", ProgramID: p.ID, Role: access.Admin}
	if _, err := c.Get(ctx, p.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := programs.Update(ctx, d, admin, p.ID, programs.Settings{Name: "Renamed", TimeZone: "UTC"}); err != nil {
		t.Fatal(err)
	}
	c.Forget()
	if got, _ := c.Get(ctx, p.ID); got.Name != "Renamed" {
		t.Errorf("after Forget the cache still says %q", got.Name)
	}
	short := programs.NewCache(d, time.Nanosecond)
	if _, err := short.Get(ctx, "missing"); !errors.Is(err, db.ErrNotFound) {
		t.Errorf("missing program through the cache: %v", err)
	}
}
