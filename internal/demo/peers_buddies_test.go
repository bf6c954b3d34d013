package demo

import (
	"context"
	"testing"

	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/peers/buddies"
	"github.com/cairn-recovery/cairn/internal/testkit"
)

func TestSeedBuddies(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		p, err := Seed(ctx, d, newService(d), "driftwood-demo-1")
		if err != nil {
			t.Fatal(err)
		}
		count := func(q string) int {
			var n int
			if err := d.QueryRow(ctx, q, p.ID).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		offers, reqs := count(`SELECT COUNT(*) FROM buddy_offers WHERE program_id = ?`), count(`SELECT COUNT(*) FROM buddy_requests WHERE program_id = ?`)
		if offers != len(demoOffers) || reqs != len(demoRequests) {
			t.Errorf("%d offers, %d requests", offers, reqs)
		}
		coord := demoActor(t, d, p.ID, "coordinator@demo.cairn.test")
		c, err := buddies.Coordinate(ctx, d, coord)
		if err != nil || len(c.Drafts) == 0 || c.LastRun == nil {
			t.Fatalf("coordinator sees %+v, %v", c, err)
		}
		for _, dr := range c.Drafts {
			if dr.RequesterID == dr.BuddyID {
				t.Errorf("a draft pairs someone with themself: %+v", dr)
			}
		}
		alex := demoActor(t, d, p.ID, "alex@demo.cairn.test")
		st, err := buddies.MyState(ctx, d, alex)
		if err != nil || len(st.Pairings) != 1 || st.Pairings[0].ConversationID == "" {
			t.Errorf("alex's buddies page: %+v, %v", st, err)
		}
		// Idempotent: a second seed adds nothing.
		if _, err := Seed(ctx, d, newService(d), "driftwood-demo-1"); err != nil {
			t.Fatal(err)
		}
		if n := count(`SELECT COUNT(*) FROM buddy_runs WHERE program_id = ?`); n != 1 {
			t.Errorf("%d runs after a second seed", n)
		}
		if count(`SELECT COUNT(*) FROM buddy_pairings WHERE program_id = ?`) != 1 {
			t.Error("second seed added pairings")
		}
		if count(`SELECT COUNT(*) FROM buddy_offers WHERE program_id = ?`) != offers {
			t.Error("second seed added offers")
		}
	})
}
