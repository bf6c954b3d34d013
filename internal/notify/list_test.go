package notify

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/testkit"
)

func TestListAndGetOutbox(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		now := clock(t)
		first := enqueue(t, d, Message{ProgramID: "p1", To: "a@example.org", Subject: "first", Text: "body one"})
		*now = now.Add(time.Minute)
		second := enqueue(t, d, Message{ProgramID: "p1", To: "b@example.org", Subject: "second", Text: "body two", HTML: "<p>two</p>"})
		other := enqueue(t, d, Message{ProgramID: "p2", To: "c@example.org", Subject: "elsewhere", Text: "body three"})
		if _, err := d.Exec(ctx, `UPDATE mail_outbox SET status = 'sent' WHERE id = ?`, first); err != nil {
			t.Fatal(err)
		}

		admin := access.Actor{UserID: "u-admin", ProgramID: "p1", Role: access.Admin}
		list, err := ListOutbox(ctx, d, admin, "", 0)
		if err != nil {
			t.Fatalf("ListOutbox: %v", err)
		}
		if len(list) != 2 || list[0].ID != second || list[1].ID != first {
			t.Fatalf("ListOutbox = %v, want [second first]", ids(list))
		}
		if list[0].Text != "" || list[0].HTML != "" {
			t.Errorf("the listing carries bodies")
		}
		if list[0].To != "b@example.org" || list[0].Subject != "second" || list[0].Status != StatusQueued {
			t.Errorf("listed entry: %+v", list[0])
		}
		queued, err := ListOutbox(ctx, d, admin, StatusQueued, 10)
		if err != nil || len(queued) != 1 || queued[0].ID != second {
			t.Errorf("queued only = %v, %v", ids(queued), err)
		}
		var fe *FieldError
		if _, err := ListOutbox(ctx, d, admin, "bogus", 10); !errors.As(err, &fe) || fe.Field != "status" {
			t.Errorf("bad status: %v", err)
		}

		e, err := GetOutbox(ctx, d, admin, second)
		if err != nil {
			t.Fatalf("GetOutbox: %v", err)
		}
		if e.Text != "body two" || e.HTML != "<p>two</p>" {
			t.Errorf("GetOutbox bodies %q %q", e.Text, e.HTML)
		}
		var reads int
		if err := d.QueryRow(ctx, `SELECT COUNT(*) FROM audit_log WHERE action = 'outbox.read'
			AND subject_id = ? AND actor_id = ? AND program_id = 'p1'`, second, admin.UserID).Scan(&reads); err != nil || reads != 1 {
			t.Errorf("outbox.read audit entries = %d (%v), want 1", reads, err)
		}

		if _, err := GetOutbox(ctx, d, admin, other); !errors.Is(err, access.ErrNotFound) {
			t.Errorf("another program's mail: %v, want not found", err)
		}
		if _, err := GetOutbox(ctx, d, admin, "no-such-id"); !errors.Is(err, access.ErrNotFound) {
			t.Errorf("missing mail: %v, want not found", err)
		}
		for _, a := range []access.Actor{
			{UserID: "u-coord", ProgramID: "p1", Role: access.Coordinator},
			{UserID: "u-alum", ProgramID: "p1", Role: access.Alumnus},
			{},
		} {
			if _, err := ListOutbox(ctx, d, a, "", 10); !errors.Is(err, access.ErrNotFound) {
				t.Errorf("ListOutbox as %q: %v, want not found", a.Role, err)
			}
			if _, err := GetOutbox(ctx, d, a, second); !errors.Is(err, access.ErrNotFound) {
				t.Errorf("GetOutbox as %q: %v, want not found", a.Role, err)
			}
		}
	})
}

func ids(list []*OutboxEntry) []string {
	var out []string
	for _, e := range list {
		out = append(out, e.Subject)
	}
	return out
}
