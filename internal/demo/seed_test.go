package demo

import (
	"context"
	"strings"
	"testing"

	"github.com/cairn-recovery/cairn/internal/audit"
	"github.com/cairn-recovery/cairn/internal/auth"
	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/programs"
	"github.com/cairn-recovery/cairn/internal/testkit"
)

func newService(d *db.DB) *auth.Service {
	return auth.New(d, auth.Options{
		SecretKey: []byte(strings.Repeat("k", 32)),
		BaseURL:   "http://127.0.0.1:8080",
		Argon:     auth.CheapArgon2ParamsForTests(),
	})
}

// counts returns the number of rows in the tables the seed writes.
func counts(t *testing.T, d *db.DB) map[string]int {
	t.Helper()
	out := map[string]int{}
	for _, table := range []string{"programs", "users", "audit_log", "sessions"} {
		var n int
		if err := d.QueryRow(context.Background(), "SELECT COUNT(*) FROM "+table).Scan(&n); err != nil {
			t.Fatalf("count %s: %v", table, err)
		}
		out[table] = n
	}
	return out
}

func TestSeedIsIdempotent(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		a := newService(d)
		p, err := Seed(ctx, d, a, "driftwood-demo-1")
		if err != nil {
			t.Fatalf("first seed: %v", err)
		}
		if p.Name != ProgramName || p.TimeZone != "America/Chicago" || p.Phone != "(512) 759-8330" {
			t.Errorf("program = %+v", p)
		}
		first := counts(t, d)
		if first["programs"] != 1 || first["users"] != 46 {
			t.Fatalf("after first seed: %v, want 1 program and 46 users (45 people and the second coach)", first)
		}
		p2, err := Seed(ctx, d, a, "driftwood-demo-1")
		if err != nil {
			t.Fatalf("second seed: %v", err)
		}
		if p2.ID != p.ID {
			t.Errorf("second seed returned program %s, want %s", p2.ID, p.ID)
		}
		if second := counts(t, d); !equal(first, second) {
			t.Errorf("second seed changed counts: %v → %v", first, second)
		}
		if n, err := audit.Verify(ctx, d); err != nil || n != int64(first["audit_log"]) {
			t.Errorf("audit chain: %d entries, %v", n, err)
		}
		// The named accounts exist with their roles and names.
		got, err := programs.Get(ctx, d, p.ID)
		if err != nil || !strings.Contains(got.Description, "milestone dinners") {
			t.Errorf("program description missing or wrong: %v", err)
		}
		var first5, role string
		if err := d.QueryRow(ctx, `SELECT first_name || ' ' || last_name, role FROM users WHERE email = ?`, "alex@demo.cairn.test").Scan(&first5, &role); err != nil {
			t.Fatal(err)
		}
		if first5 != "Alex Rivera" || role != "alumnus" {
			t.Errorf("alex = %q %q", first5, role)
		}
	})
}

func TestSeedSetsNewPassword(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		a := newService(d)
		if _, err := Seed(ctx, d, a, "first-password-1"); err != nil {
			t.Fatal(err)
		}
		before := counts(t, d)
		if _, err := Seed(ctx, d, a, "second-password-2"); err != nil {
			t.Fatal(err)
		}
		after := counts(t, d)
		if after["users"] != before["users"] || after["programs"] != before["programs"] {
			t.Errorf("reseeding with a new password changed accounts: %v → %v", before, after)
		}
		// The new password signs in through the account service, the old one not.
		for _, email := range []string{"admin@demo.cairn.test", "alex@demo.cairn.test", "priya.raman@demo.cairn.test"} {
			if _, _, err := a.SignIn(ctx, email, "second-password-2", "127.0.0.1", "test", "req"); err != nil {
				t.Errorf("%s: sign in with the new password: %v", email, err)
			}
			if _, _, err := a.SignIn(ctx, email, "first-password-1", "127.0.0.2", "test", "req"); err == nil {
				t.Errorf("%s: the old password still signs in", email)
			}
		}
		if _, err := audit.Verify(ctx, d); err != nil {
			t.Errorf("audit chain: %v", err)
		}
	})
}

func TestSeedRefusesWeakPassword(t *testing.T) {
	d := testkit.SQLite(t)
	if _, err := Seed(context.Background(), d, newService(d), "short"); err == nil {
		t.Fatal("a 5-character password was accepted")
	}
	if c := counts(t, d); c["programs"] != 0 {
		t.Errorf("a refused seed wrote %v", c)
	}
}

func TestPeople(t *testing.T) {
	seen := map[string]bool{}
	for _, p := range people() {
		if seen[p.Email] || !strings.HasSuffix(p.Email, "@demo.cairn.test") || strings.ContainsAny(p.Email, "ñ' ") {
			t.Errorf("bad or duplicate email %q", p.Email)
		}
		seen[p.Email] = true
	}
	if len(seen) != 45 {
		t.Errorf("%d people, want 45", len(seen))
	}
	if len(Emails) != 5 || Emails[3] != "alex@demo.cairn.test" {
		t.Errorf("Emails = %v", Emails)
	}
}

func equal(a, b map[string]int) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}
