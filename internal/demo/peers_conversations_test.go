package demo

import (
	"context"
	"testing"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/peers/conversations"
	"github.com/cairn-recovery/cairn/internal/testkit"
)

func TestSeedConversations(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		a := newService(d)
		p, err := Seed(ctx, d, a, "driftwood-demo-1")
		if err != nil {
			t.Fatal(err)
		}
		alexID, _, err := userID(ctx, d, p.ID, "alex@demo.cairn.test")
		if err != nil {
			t.Fatal(err)
		}
		alex := access.Actor{UserID: alexID, ProgramID: p.ID, Role: access.Alumnus}
		list, err := conversations.List(ctx, d, alex)
		if err != nil || len(list) != 3 {
			t.Fatalf("alex's conversations = %+v, %v", list, err)
		}
		var n int
		titles := map[string]int{}
		for _, c := range list {
			titles[c.Title] = c.Unread
		}
		if titles["Marcus B."] != 1 || titles["Priya R."] != 1 || titles[demoGroupTitle] != 2 {
			t.Errorf("unread by title = %v", titles)
		}
		if err := d.QueryRow(ctx, `SELECT COUNT(*) FROM notifications WHERE kind = 'message' AND link LIKE '/conversations/%'`).Scan(&n); err != nil || n != 0 {
			t.Errorf("seeding notified %d times, %v", n, err)
		}
		if _, err := Seed(ctx, d, a, "driftwood-demo-1"); err != nil {
			t.Fatal(err)
		}
		if err := d.QueryRow(ctx, `SELECT COUNT(*) FROM conversation_messages`).Scan(&n); err != nil || n != 11 {
			t.Errorf("after a second seed: %d messages, %v", n, err)
		}
	})
}
