package notify

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/testkit"
)

func TestListPagesMarkRead(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		now := clock(t)
		f := newFixture(t, d)
		a := f.person(t, "reader@example.org")
		b := f.person(t, "other@example.org")
		var ids []string
		for i := range 25 {
			ids = append(ids, send(t, d, a.UserID, KindMessage, Data{Title: fmt.Sprintf("Message %d", i)}))
			if i%3 != 0 { // several share a timestamp: the id breaks the tie
				*now = now.Add(time.Second)
			}
		}
		theirs := send(t, d, b.UserID, KindMessage, Data{Title: "Not yours"})

		var got []string
		cursor := ""
		for page := 0; ; page++ {
			items, next, err := List(ctx, d, a, cursor, 10)
			if err != nil {
				t.Fatalf("List page %d: %v", page, err)
			}
			for _, n := range items {
				if n.UserID != a.UserID {
					t.Fatalf("listed someone else's notification")
				}
				got = append(got, n.ID)
			}
			if next == "" {
				break
			}
			cursor = next
			if page > 5 {
				t.Fatal("pagination does not end")
			}
		}
		if len(got) != 25 {
			t.Fatalf("listed %d, want 25", len(got))
		}
		for i := range got {
			if got[i] != ids[24-i] {
				t.Fatalf("item %d is %s, want %s (newest first)", i, got[i], ids[24-i])
			}
		}
		for _, bad := range []string{"!!", "bm90IGEgY3Vyc29y", encodeCursor(time.Now(), "")} {
			_, _, err := List(ctx, d, a, bad, 10)
			var fe *FieldError
			if !errors.As(err, &fe) || fe.Field != "cursor" {
				t.Errorf("cursor %q: %v, want a FieldError for cursor", bad, err)
			}
		}

		if n, err := UnreadCount(ctx, d, a); err != nil || n != 25 {
			t.Fatalf("UnreadCount = %d, %v", n, err)
		}
		if err := MarkRead(ctx, d, a, theirs); !isNotFound(err) {
			t.Errorf("MarkRead of another's = %v, want not found", err)
		}
		if err := MarkRead(ctx, d, a, "nope"); !isNotFound(err) {
			t.Errorf("MarkRead of none = %v, want not found", err)
		}
		if err := MarkRead(ctx, d, a, ids[3]); err != nil {
			t.Fatal(err)
		}
		if err := MarkRead(ctx, d, a, ids[3]); err != nil {
			t.Errorf("MarkRead twice: %v", err)
		}
		if n, _ := UnreadCount(ctx, d, a); n != 24 {
			t.Errorf("unread after one read = %d", n)
		}
		items, _, _ := List(ctx, d, a, "", 25)
		for _, n := range items {
			if (n.ReadAt != nil) != (n.ID == ids[3]) {
				t.Errorf("%s read at %v", n.Title, n.ReadAt)
			}
		}
		if err := MarkAllRead(ctx, d, a); err != nil {
			t.Fatal(err)
		}
		if n, _ := UnreadCount(ctx, d, a); n != 0 {
			t.Errorf("unread after all read = %d", n)
		}
		if n, _ := UnreadCount(ctx, d, b); n != 1 {
			t.Errorf("someone else's unread count changed: %d", n)
		}
	})
}
