package demo

import (
	"context"
	"testing"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/members"
	"github.com/cairn-recovery/cairn/internal/testkit"
)

// TestSeedCaseloads: the demo coach has a caseload of several alumni with
// Alex among them; Alex has a secondary coach, Naomi, who has a caseload
// of her own; Marcus is secondary coach of one of hers. Seeding again
// changes no assignment.
func TestSeedCaseloads(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		a := newService(d)
		p, err := Seed(ctx, d, a, "driftwood-demo-1")
		if err != nil {
			t.Fatal(err)
		}
		id := func(email string) string {
			t.Helper()
			id, ok, err := userID(ctx, d, p.ID, email)
			if err != nil || !ok {
				t.Fatalf("%s: %v", email, err)
			}
			return id
		}
		marcus := access.Actor{UserID: id("coach@demo.cairn.test"), ProgramID: p.ID, Role: access.Coach}
		naomi := access.Actor{UserID: id(secondCoach.Email), ProgramID: p.ID, Role: access.Coach}
		alex, priya := id("alex@demo.cairn.test"), id("priya.raman@demo.cairn.test")
		roles := func(coach access.Actor) map[string]string {
			t.Helper()
			list, err := members.Caseload(ctx, d, coach, members.CaseloadFilter{})
			if err != nil {
				t.Fatal(err)
			}
			out := map[string]string{}
			for _, e := range list {
				out[e.MemberID] = e.Role
			}
			return out
		}
		m, n := roles(marcus), roles(naomi)
		if len(m) < 5 || m[alex] != members.PrimaryCoach || m[priya] != members.SecondaryCoach {
			t.Errorf("marcus's caseload: %d people, alex %q, priya %q", len(m), m[alex], m[priya])
		}
		if len(n) != len(naomisPeople)+1 || n[alex] != members.SecondaryCoach || n[priya] != members.PrimaryCoach {
			t.Errorf("naomi's caseload: %v", n)
		}
		count := func() (c int) {
			t.Helper()
			if err := d.QueryRow(ctx, `SELECT COUNT(*) FROM coach_assignment_history`).Scan(&c); err != nil {
				t.Fatal(err)
			}
			return c
		}
		before := count()
		if _, err := Seed(ctx, d, a, "driftwood-demo-1"); err != nil {
			t.Fatal(err)
		}
		if after := count(); after != before {
			t.Errorf("a second seed changed the coach history: %d → %d rows", before, after)
		}
	})
}
