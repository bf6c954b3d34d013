package demo

import (
	"context"
	"testing"

	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/peers/circles"
	"github.com/cairn-recovery/cairn/internal/testkit"
)

func TestSeedCircles(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		p, err := Seed(ctx, d, newService(d), "driftwood-demo-1")
		if err != nil {
			t.Fatal(err)
		}
		if err := seedCircles(ctx, d, p); err != nil { // again: nothing added
			t.Fatal(err)
		}
		var n int
		if err := d.QueryRow(ctx, `SELECT COUNT(*) FROM circles WHERE program_id = ?`, p.ID).Scan(&n); err != nil || n != len(demoCircles) {
			t.Fatalf("circles = %d, %v", n, err)
		}
		alex := demoActor(t, d, p.ID, "alex@demo.cairn.test")
		list, err := circles.List(ctx, d, alex)
		if err != nil {
			t.Fatal(err)
		}
		mine, byRequest := 0, 0
		for _, c := range list {
			if !c.Open() {
				byRequest++
			}
			if c.Member() {
				mine++
				page, err := circles.Posts(ctx, d, alex, c.ID, "")
				if err != nil || len(page.Posts) == 0 || page.Posts[0].Comments == 0 {
					t.Errorf("%s: posts %v", c.Name, err)
				}
			}
		}
		if mine != 2 || byRequest != 2 {
			t.Errorf("alex is in %d circles; %d are joined by request", mine, byRequest)
		}
		fam := demoActor(t, d, p.ID, "family@demo.cairn.test")
		if list, err := circles.List(ctx, d, fam); err != nil || len(list) != 1 || !list[0].Member() {
			t.Errorf("family's circles = %d, %v", len(list), err)
		}
		if s, err := circles.Suggest(ctx, d, alex); err != nil || len(s) == 0 {
			t.Errorf("no suggestions for alex: %v", err)
		}
	})
}
