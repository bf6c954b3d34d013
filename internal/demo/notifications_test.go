package demo

import (
	"context"
	"testing"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/notify"
	"github.com/cairn-recovery/cairn/internal/testkit"
)

func TestSeedNotifications(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		a := newService(d)
		p, err := Seed(ctx, d, a, "driftwood-demo-1")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := Seed(ctx, d, a, "driftwood-demo-1"); err != nil {
			t.Fatal(err)
		}
		var alex string
		if err := d.QueryRow(ctx, `SELECT id FROM users WHERE email = 'alex@demo.cairn.test'`).Scan(&alex); err != nil {
			t.Fatal(err)
		}
		actor := access.Actor{UserID: alex, ProgramID: p.ID, Role: access.Alumnus}
		if n, err := notify.UnreadCount(ctx, d, actor); err != nil || n != 3 {
			t.Errorf("Alex has %d unread notifications (%v), want 3", n, err)
		}
		items, _, err := notify.List(ctx, d, actor, "", 10)
		if err != nil || len(items) != 3 || items[0].Kind != notify.KindMilestone {
			t.Errorf("Alex's notifications: %d, %v", len(items), err)
		}
		list, err := notify.ListOutbox(ctx, d, access.Actor{UserID: "x", ProgramID: p.ID, Role: access.Admin}, notify.StatusSent, 50)
		if err != nil || len(list) != len(sentReminders) {
			t.Errorf("outbox shows %d sent messages (%v), want %d", len(list), err, len(sentReminders))
		}
	})
}
