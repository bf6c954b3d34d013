package demo

import (
	"context"
	"testing"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/members"
	"github.com/cairn-recovery/cairn/internal/testkit"
)

func TestSeedProfiles(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		p, err := Seed(ctx, d, newService(d), "driftwood-demo-1")
		if err != nil {
			t.Fatal(err)
		}
		id := func(email string) string {
			var id string
			if err := d.QueryRow(ctx, `SELECT id FROM users WHERE email = ?`, email).Scan(&id); err != nil {
				t.Fatal(err)
			}
			return id
		}
		alex, coach, priya := id("alex@demo.cairn.test"), id("coach@demo.cairn.test"), id("priya.raman@demo.cairn.test")
		var coached int
		if err := d.QueryRow(ctx, `SELECT COUNT(*) FROM coach_assignments WHERE coach_id = ?`, coach).Scan(&coached); err != nil || coached < 15 {
			t.Errorf("coach coaches %d (%v), want at least 15", coached, err)
		}
		coachActor := access.Actor{UserID: coach, ProgramID: p.ID, Role: access.Coach}
		if rel, err := members.RelationTo(ctx, d, coachActor, alex); err != nil || !rel.Coach {
			t.Errorf("coach of alex: %+v, %v", rel, err)
		}
		priyaActor := access.Actor{UserID: priya, ProgramID: p.ID, Role: access.Alumnus}
		if rel, err := members.RelationTo(ctx, d, priyaActor, alex); err != nil || !rel.Buddy {
			t.Errorf("alex's buddy: %+v, %v", rel, err)
		}
		// Alex shows pathways to the buddy but not to other alumni.
		if v, err := members.ViewMember(ctx, d, priyaActor, alex); err != nil || !v.PathwaysVisible {
			t.Errorf("buddy view of alex: %+v, %v", v, err)
		}
		other := access.Actor{UserID: id("tomas.delgado@demo.cairn.test"), ProgramID: p.ID, Role: access.Alumnus}
		if v, err := members.ViewMember(ctx, d, other, alex); err != nil || v.PathwaysVisible {
			t.Errorf("peer view of alex: %+v, %v", v, err)
		}
		list, err := members.Directory(ctx, d, other, members.DirectoryFilter{})
		if err != nil || len(list) < 30 {
			t.Fatalf("directory: %d members, %v", len(list), err)
		}
		cities := map[string]bool{}
		for _, m := range list {
			cities[m.City] = true
		}
		if len(cities) < 5 {
			t.Errorf("only %d cities", len(cities))
		}
		var n int
		if err := d.QueryRow(ctx, `SELECT COUNT(*) FROM profiles WHERE program_id = ? AND hidden = ?`, p.ID, true).Scan(&n); err != nil || n == 0 {
			t.Errorf("hidden profiles: %d, %v", n, err)
		}
		before := 0
		_ = d.QueryRow(ctx, `SELECT COUNT(*) FROM profiles`).Scan(&before)
		if _, err := Seed(ctx, d, newService(d), "driftwood-demo-1"); err != nil {
			t.Fatal(err)
		}
		after := 0
		_ = d.QueryRow(ctx, `SELECT COUNT(*) FROM profiles`).Scan(&after)
		if before != after {
			t.Errorf("second seed: %d profiles, was %d", after, before)
		}
	})
}
