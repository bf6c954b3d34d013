package demo

import (
	"context"
	"testing"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/peers/safety"
	"github.com/cairn-recovery/cairn/internal/testkit"
)

func TestSeedSafetyQueue(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		a := newService(d)
		p, err := Seed(ctx, d, a, "driftwood-demo-1")
		if err != nil {
			t.Fatal(err)
		}
		coordID, _, err := userID(ctx, d, p.ID, "coordinator@demo.cairn.test")
		if err != nil {
			t.Fatal(err)
		}
		coord := access.Actor{UserID: coordID, ProgramID: p.ID, Role: access.Coordinator}
		q, err := safety.Queue(ctx, d, coord)
		if err != nil || len(q) != 1 || q[0].Count != 1 || q[0].AuthorName != "Reuben A." {
			t.Fatalf("queue = %+v, %v", q, err)
		}
		if _, err := Seed(ctx, d, a, "driftwood-demo-1"); err != nil {
			t.Fatal(err)
		}
		var n int
		if err := d.QueryRow(ctx, `SELECT COUNT(*) FROM reports`).Scan(&n); err != nil || n != 1 {
			t.Errorf("after a second seed: %d reports, %v", n, err)
		}
		// Dismissed, it stays dismissed.
		if err := safety.Dismiss(ctx, d, coord, q[0].ReportID); err != nil {
			t.Fatal(err)
		}
		if _, err := Seed(ctx, d, a, "driftwood-demo-1"); err != nil {
			t.Fatal(err)
		}
		if q, _ := safety.Queue(ctx, d, coord); len(q) != 0 {
			t.Errorf("a third seed reopened %+v", q)
		}
	})
}
