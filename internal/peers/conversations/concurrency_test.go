package conversations

import (
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/testkit"
)

// Several people starting the same direct conversation, and the first
// messages of a program (which make its first key), at the same moment
// end with one conversation, one key, and every message readable.
func TestConcurrentStartsAndFirstKey(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		var wg sync.WaitGroup
		ids := make([]string, 8)
		errs := make([]error, 8)
		for i := range 8 {
			wg.Go(func() {
				a, b := w.alex, w.peer
				if i%2 == 1 {
					a, b = b, a
				}
				c, _, err := Start(w.ctx, d, a, NewConversation{MemberIDs: []string{b.UserID}, Body: "hello"})
				if err == nil {
					ids[i] = c.ID
				}
				errs[i] = err
			})
		}
		wg.Wait()
		for i, err := range errs {
			if err != nil {
				t.Fatalf("start %d: %v", i, err)
			}
			if ids[i] != ids[0] {
				t.Errorf("start %d made conversation %s, not %s", i, ids[i], ids[0])
			}
		}
		if n := w.count(t, `SELECT COUNT(*) FROM conversation_keys WHERE program_id = ?`, w.prog); n != 1 {
			t.Errorf("%d keys", n)
		}
		msgs, err := Messages(w.ctx, d, w.alex, ids[0], Page{})
		if err != nil || len(msgs) != 8 {
			t.Fatalf("messages = %d, %v", len(msgs), err)
		}
		for i := 1; i < len(msgs); i++ {
			if !msgs[i].SentAt.After(msgs[i-1].SentAt) {
				t.Errorf("sent_at does not increase: %v then %v", msgs[i-1].SentAt, msgs[i].SentAt)
			}
		}
		// Writing marks what came before as read: at most alex's four.
		if l, _ := List(w.ctx, d, w.peer); len(l) != 1 || l[0].Unread > 4 {
			t.Errorf("peer's list = %+v", l)
		}
	})
}

func FuzzBodyAndTitle(f *testing.F) {
	for _, s := range []string{"", " ", "hello", "two\nlines", "\xff", "a\x00b", strings.Repeat("é", MaxBody+1), "🙂 " + strings.Repeat("x", 100)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		msg := bodyProblem(s)
		if msg == "" && (strings.TrimSpace(s) == "" || !utf8.ValidString(s) || utf8.RuneCountInString(s) > MaxBody) {
			t.Fatalf("%q accepted", s)
		}
		p := preview(s)
		if utf8.ValidString(s) && (utf8.RuneCountInString(p) > PreviewLength || strings.ContainsAny(p, "\n\r")) {
			t.Fatalf("preview of %q = %q", s, p)
		}
		_, _, _, err := checkNew(access.Actor{UserID: "me"}, NewConversation{MemberIDs: []string{"a", "b", s}, Title: s, Body: s})
		if err != nil {
			if _, ok := err.(ValidationError); !ok {
				t.Fatalf("%q: %v", s, err)
			}
		}
	})
}

// A send that read the conversation before another message went in, with
// a clock behind that message, still comes after it.
func TestSendAfterAStaleRead(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		now := fakeClock(t, time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC))
		c := w.start(t, w.alex, "", w.peer)
		stale, err := loadConv(w.ctx, d, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		*now = now.Add(time.Minute)
		first := w.send(t, w.peer, c.ID, "first")
		*now = now.Add(-30 * time.Second) // a clock behind the first message
		var second *Message
		err = d.Tx(w.ctx, func(tx *db.Tx) error {
			p, err := prepare(w.ctx, tx, w.alex, stale)
			if err != nil {
				return err
			}
			second, _, err = send(w.ctx, tx, w.alex, stale, "second", p)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if !second.SentAt.After(first.SentAt) {
			t.Errorf("second %v is not after first %v", second.SentAt, first.SentAt)
		}
		got, _ := Get(w.ctx, d, w.alex, c.ID)
		if !got.LastMessageAt.Equal(second.SentAt) || got.Preview != "second" {
			t.Errorf("conversation = %v %q", got.LastMessageAt, got.Preview)
		}
	})
}
