package notify

import (
	"context"
	"errors"
	"testing"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/testkit"
)

// TestMarkReadMany: the caller's ids are marked read together; an id that
// is someone else's marks nothing at all and names its place in the list;
// the other person's notification stays unread.
func TestMarkReadMany(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		clock(t)
		f := newFixture(t, d)
		a := f.person(t, "reader@example.org")
		b := f.person(t, "other@example.org")
		mine := []string{
			send(t, d, a.UserID, KindMessage, Data{Title: "One"}),
			send(t, d, a.UserID, KindMessage, Data{Title: "Two"}),
			send(t, d, a.UserID, KindMessage, Data{Title: "Three"}),
		}
		theirs := send(t, d, b.UserID, KindMessage, Data{Title: "Not yours"})
		unreadOf := func(who access.Actor) int {
			t.Helper()
			n, err := UnreadCount(ctx, d, who)
			if err != nil {
				t.Fatal(err)
			}
			return n
		}

		err := MarkReadMany(ctx, d, a, []string{mine[0], theirs, mine[1]})
		var ny *NotYoursError
		if !errors.As(err, &ny) || ny.Index != 1 || !errors.Is(err, access.ErrNotFound) {
			t.Fatalf("someone else's id: err = %v, want NotYoursError at 1", err)
		}
		if n := unreadOf(a); n != 3 {
			t.Fatalf("after a refused list %d unread, want 3 (nothing marked)", n)
		}
		if n := unreadOf(b); n != 1 {
			t.Fatalf("the other person's notification changed: %d unread", n)
		}
		if err := MarkReadMany(ctx, d, a, []string{mine[0], "no-such-id"}); !errors.As(err, &ny) || ny.Index != 1 {
			t.Fatalf("unknown id: err = %v", err)
		}

		if err := MarkReadMany(ctx, d, a, []string{mine[0], mine[2], mine[0]}); err != nil {
			t.Fatal(err)
		}
		if n := unreadOf(a); n != 1 {
			t.Fatalf("%d unread, want 1", n)
		}
		// Marking read ones again, with a new one, changes only the new one.
		if err := MarkReadMany(ctx, d, a, mine); err != nil {
			t.Fatal(err)
		}
		if n := unreadOf(a); n != 0 {
			t.Fatalf("%d unread, want 0", n)
		}
		if n := unreadOf(b); n != 1 {
			t.Fatalf("the other person's notification was marked: %d unread", n)
		}
		if err := MarkReadMany(ctx, d, access.Actor{}, mine); !errors.Is(err, access.ErrNotFound) {
			t.Fatalf("anonymous: %v", err)
		}
	})
}
